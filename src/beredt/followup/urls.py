from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("", views.home, name="home"),
    path("incident/<uuid:incident_id>/", views.incident, name="incident"),
    path("incident/<uuid:incident_id>/settings/", views.incident_settings, name="settings"),
    path("incident/<uuid:incident_id>/route/", views.route, name="route"),
    path("incident/<uuid:incident_id>/hand-over/", views.hand_over, name="hand_over"),
    path("incident/<uuid:incident_id>/campaign/", views.campaign_create, name="campaign_create"),
    path("decision/<uuid:registration_id>/", views.decide, name="decide"),
    path("handover/<uuid:handover_id>/", views.handover, name="handover"),
    path("handover/<uuid:handover_id>/receipt/", views.receipt, name="receipt"),
    path("handover/<uuid:handover_id>/fhir/", views.export_fhir, name="fhir"),
    path("handover/<uuid:handover_id>/csv/", views.export_csv, name="csv"),
    path("handover/import/", views.import_bundle, name="import"),
    path("item/<uuid:item_id>/reroute/", views.reroute, name="reroute"),
    path("task/<int:task_id>/", views.task, name="task"),
    path("campaign/<uuid:campaign_id>/", views.campaign, name="campaign"),
    path("rules/", views.rules, name="rules"),
]
