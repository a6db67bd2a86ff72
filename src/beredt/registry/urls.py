from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.home, name="home"),
    path("form.pdf", views.form_pdf, name="form_pdf"),
    path("postcode/", views.postcode_municipalities, name="postcode_municipalities"),
    path("cpr/", views.cpr_birth_date, name="cpr_birth_date"),
    path("incidents/<uuid:incident_id>/", views.registration_list, name="list"),
    path("incidents/<uuid:incident_id>/new/", views.registration_create, name="create"),
    path("incidents/<uuid:incident_id>/duplicates/", views.duplicates, name="duplicates"),
    path("incidents/<uuid:incident_id>/import/", views.import_upload, name="import"),
    path("imports/<uuid:batch_id>/", views.import_review, name="import_review"),
    path("imports/<uuid:batch_id>/commit/", views.import_commit, name="import_commit"),
    path("people/<uuid:registration_id>/", views.registration_detail, name="detail"),
    path("people/<uuid:registration_id>/reveal/", views.reveal, name="reveal_cpr"),
    path("people/<uuid:registration_id>/consents/", views.consent_add, name="consent_add"),
    path("people/<uuid:registration_id>/consents/<uuid:consent_id>/withdraw/",
         views.consent_withdraw, name="consent_withdraw"),
    path("duplicates/<int:candidate_id>/merge/", views.candidate_merge, name="merge"),
    path("duplicates/<int:candidate_id>/reject/", views.candidate_reject, name="reject"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="undo_merge"),
]
