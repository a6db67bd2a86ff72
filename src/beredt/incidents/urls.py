from django.urls import path

from . import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("<uuid:incident_id>/", views.incident_detail, name="detail"),
    path("<uuid:incident_id>/status/", views.incident_status, name="status"),
    path("<uuid:incident_id>/assign/", views.incident_assign, name="assign"),
    path("<uuid:incident_id>/assignments/<int:assignment_id>/release/", views.assignment_release,
         name="release"),
]
