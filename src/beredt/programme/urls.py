from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.home, name="home"),
    path("refer/", views.refer, name="refer"),
    path("who-answers/", views.who_answers, name="who_answers"),
    path("overview/", views.overview, name="overview"),
    path("cases/<uuid:case_id>/", views.case_page, name="case"),
    path("cases/<uuid:case_id>/phase/", views.phase_action, name="phase"),
    path("cases/<uuid:case_id>/team/", views.team_action, name="team"),
    path("cases/<uuid:case_id>/calls/", views.call_action, name="call"),
    path("cases/<uuid:case_id>/consents/", views.consent_action, name="consent"),
    path("cases/<uuid:case_id>/consents/<int:consent_id>/withdraw/", views.withdraw_action,
         name="withdraw"),
    path("cases/<uuid:case_id>/hours/", views.hours_action, name="hours"),
    path("cases/<uuid:case_id>/meetings/", views.meeting_action, name="meeting"),
    path("cases/<uuid:case_id>/helpers/", views.helper_action, name="helper"),
    path("cases/<uuid:case_id>/activities/", views.activity_action, name="activity"),
    path("cases/<uuid:case_id>/close/", views.close_action, name="close"),
    path("cases/<uuid:case_id>/letters/", views.letter_action, name="letter"),
    path("cases/<uuid:case_id>/letters/<uuid:letter_id>.pdf", views.letter_pdf,
         name="letter_pdf"),
    path("cases/<uuid:case_id>/letters/<uuid:letter_id>.json", views.letter_fhir,
         name="letter_fhir"),
    path("cases/<uuid:case_id>/readmissions/", views.readmission_action, name="readmission"),
    path("cases/<uuid:case_id>/fhir.json", views.case_fhir, name="case_fhir"),
    path("cases/<uuid:case_id>/plans/<str:kind>/", views.plan_edit, name="plan_edit"),
    path("cases/<uuid:case_id>/plans/<int:plan_id>.pdf", views.plan_pdf, name="plan_pdf"),
    path("cases/<uuid:case_id>/plans/<int:plan_id>/shared/", views.shared_action,
         name="shared"),
]
