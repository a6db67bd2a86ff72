from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("instructions/", views.instructions, name="instructions"),
    path("units/new/", views.unit_form, name="unit_new"),
    path("units/<int:unit_id>/edit/", views.unit_form, name="unit_edit"),
    path("units/<int:unit_id>/rota/", views.rota, name="rota"),
    path("units/<int:unit_id>/rota/plan-month/", views.plan_month, name="plan_month"),
    path("units/<int:unit_id>/call/", views.call, name="call"),
    path("units/<int:unit_id>/onboarding/", views.onboarding, name="onboarding"),
    path("units/<int:unit_id>/volunteers/", views.volunteers, name="volunteers"),
    path("volunteers/<int:volunteer_id>/", views.volunteer_edit, name="volunteer_edit"),
    path("shifts/<int:shift_id>/", views.shift_action, name="shift_action"),
    path("requests/<uuid:request_id>/", views.request_detail, name="request"),
    path("invitation/<str:uidb64>/<str:token>/", views.invitation, name="invitation"),
    path("partnership/", views.partnership, name="partnership"),
    path("evaluation/", views.evaluation_page, name="evaluation"),
    path("evaluation.pdf", views.evaluation_pdf, name="evaluation_pdf"),
]
