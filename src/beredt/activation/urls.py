from django.urls import path

from . import views

app_name = "activation"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("roster/", views.roster, name="roster"),
    path("roster/<int:shift_id>/swap/", views.shift_swap, name="swap"),
    path("roster/<int:shift_id>/delete/", views.shift_delete, name="shift_delete"),
    path("roster/feed/<str:token>.ics", views.roster_feed, name="feed"),
    path("training/", views.training, name="training"),
    path("statistics/", views.statistics, name="statistics"),
    path("r/<str:token>/", views.respond_by_link, name="respond"),
    path("incidents/<uuid:incident_id>/", views.board, name="board"),
    path("incidents/<uuid:incident_id>/alarm/", views.board_alarm, name="alarm"),
    path("incidents/<uuid:incident_id>/request/", views.board_request, name="request"),
    path("incidents/<uuid:incident_id>/sites/", views.board_site, name="site"),
    path(
        "incidents/<uuid:incident_id>/callouts/<int:callout_id>/dispatch/",
        views.board_dispatch,
        name="dispatch",
    ),
    path(
        "incidents/<uuid:incident_id>/callouts/<int:callout_id>/status/",
        views.board_callout_status,
        name="callout_status",
    ),
    path(
        "incidents/<uuid:incident_id>/callouts/<int:callout_id>/respond/",
        views.board_respond,
        name="respond_in_app",
    ),
    path("incidents/<uuid:incident_id>/log/", views.board_log, name="log"),
    path("incidents/<uuid:incident_id>/tick/", views.board_tick, name="tick"),
    path("incidents/<uuid:incident_id>/status/", views.board_status, name="status"),
    path(
        "incidents/<uuid:incident_id>/after-action/", views.board_after_action, name="after_action"
    ),
]
