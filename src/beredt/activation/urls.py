from django.urls import path

from . import plan_views, views

app_name = "activation"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/new/", plan_views.plan_create, name="plan_create"),
    path("plans/<int:plan_id>/", plan_views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/edit/", plan_views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/delete/", plan_views.plan_delete, name="plan_delete"),
    path("plans/<int:plan_id>/roles/new/", plan_views.role_create, name="role_create"),
    path("plans/<int:plan_id>/roles/<int:role_id>/edit/", plan_views.role_edit, name="role_edit"),
    path(
        "plans/<int:plan_id>/roles/<int:role_id>/remove/",
        plan_views.role_remove,
        name="role_remove",
    ),
    path(
        "plans/<int:plan_id>/roles/<int:role_id>/holders/",
        plan_views.holder_add,
        name="holder_add",
    ),
    path(
        "plans/<int:plan_id>/roles/<int:role_id>/holders/<int:user_id>/remove/",
        plan_views.holder_remove,
        name="holder_remove",
    ),
    path("cards/new/", plan_views.card_create, name="card_create"),
    path("cards/<int:card_id>/", plan_views.card_detail, name="card"),
    path("cards/<int:card_id>/edit/", plan_views.card_edit, name="card_edit"),
    path("roster/", views.roster, name="roster"),
    path("roster/<int:shift_id>/swap/", views.shift_swap, name="swap"),
    path("roster/<int:shift_id>/delete/", views.shift_delete, name="shift_delete"),
    path("roster/feed/<str:token>.ics", views.roster_feed, name="feed"),
    path("training/", views.training, name="training"),
    path("statistics/", views.statistics, name="statistics"),
    path("r/<str:token>/", views.respond_by_link, name="respond"),
    path("incidents/<uuid:incident_id>/", views.board, name="board"),
    path("incidents/<uuid:incident_id>/alarm/", views.board_alarm, name="alarm"),
    path(
        "incidents/<uuid:incident_id>/alarms/<int:alarm_id>/",
        views.alarm_detail,
        name="alarm_detail",
    ),
    path(
        "incidents/<uuid:incident_id>/alarms/<int:alarm_id>/again/",
        views.alarm_again,
        name="alarm_again",
    ),
    path(
        "incidents/<uuid:incident_id>/callouts/<int:callout_id>/again/",
        views.callout_again,
        name="callout_again",
    ),
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
