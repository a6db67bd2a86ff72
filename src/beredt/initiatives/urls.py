from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.initiative_edit, name="create"),
    path("<uuid:pk>/", views.initiative, name="initiative"),
    path("<uuid:pk>/edit/", views.initiative_edit, name="edit"),
    path("<uuid:pk>/allocation/", views.allocation, name="allocation"),
    path("<uuid:pk>/explain/<int:year>/", views.explain, name="explain"),
    path("<uuid:pk>/recommendation/", views.recommendation_edit, name="recommendation_create"),
    path("<uuid:pk>/recommendation/<uuid:rec_pk>/", views.recommendation_edit,
         name="recommendation_edit"),
    path("<uuid:pk>/note/<str:quarter>/", views.note, name="note"),
    path("recommendation/<uuid:rec_pk>/status/<str:quarter>/", views.status, name="status"),
    path("recommendation/<uuid:rec_pk>/milestone/", views.milestone_add, name="milestone_add"),
    path("milestone/<int:milestone_pk>/done/", views.milestone_done, name="milestone_done"),
    path("committee/<int:pk>/", views.committee, name="committee"),
    path("committee/<int:pk>/generate/", views.generate, name="generate"),
    path("report/<int:report_pk>/", views.report_file, name="report_file"),
]
