"""API for preparedness and activation: plans (with their roles and who holds them), action
cards and their versions, rosters, training, alarms, call-outs, dispatch, the incident log,
after-action and statistics."""

import datetime as dt
import uuid

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from beredt.accounts.models import User
from beredt.core.errors import Forbidden, NotFound
from beredt.incidents import selectors as incident_selectors
from beredt.incidents import services as incident_services
from beredt.incidents.api import IncidentOut
from beredt.incidents.models import IncidentStatus
from beredt.notify import delivery
from beredt.notify import selectors as notify_selectors
from beredt.organisations.models import Organisation, Site

from . import plan_services, selectors, services
from .models import ActionCard, CalloutStatus, DutyRole, SiteKind, TrainingKind

router = Router(tags=["activation"])


# --- Schemas -------------------------------------------------------------------------------
class PlanRoleOut(Schema):
    id: int
    order: int
    duty_role: str
    title: str
    description: str
    organisation_id: int | None
    site_id: int | None


class PlanOut(Schema):
    id: int
    organisation_id: int
    title: str
    summary: str
    activation_criteria: str
    ack_timeout_seconds: int
    escalation: list[str]
    activating_organisation_ids: list[int]
    roles: list[PlanRoleOut]

    @staticmethod
    def resolve_activating_organisation_ids(obj):
        return [o.pk for o in obj.activating_organisations.all()]

    @staticmethod
    def resolve_roles(obj):
        return list(obj.roles.all())


class ActionCardOut(Schema):
    id: int
    code: str
    version: int
    title: str
    duty_role: str
    organisation_id: int
    items: list[str]
    is_current: bool
    created_at: dt.datetime


CLIENT_ID = Field(
    None,
    description="Client-chosen UUID; a retry with the same value returns 200 and what the "
    "first request created.",
)


class PlanChangeIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field("", max_length=10000)
    activation_criteria: str = Field("", max_length=10000)
    ack_timeout_seconds: int | None = Field(
        None,
        ge=plan_services.MIN_ACK_TIMEOUT_SECONDS,
        le=plan_services.MAX_ACK_TIMEOUT_SECONDS,
        description="Without it: BEREDT_ACK_TIMEOUT_SECONDS",
    )
    escalation: list[DutyRole] | None = Field(
        None,
        min_length=1,
        max_length=plan_services.MAX_ESCALATION_STEPS,
        description="Duty roles alerted in turn; default kop, deputy_kop, al, hl",
    )
    activating_organisation_ids: list[int] = Field(default_factory=list, max_length=100)
    webhook_url: str = Field("", max_length=200)


class PlanIn(PlanChangeIn):
    client_id: uuid.UUID | None = CLIENT_ID
    organisation_id: int


class PlanRoleChangeIn(Schema):
    duty_role: DutyRole
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=10000)
    organisation_id: int | None = Field(None, description="Department (the plan's or below)")
    site_id: int | None = None
    order: int | None = Field(None, ge=0, le=1000, description="Without it: last")


class PlanRoleIn(PlanRoleChangeIn):
    client_id: uuid.UUID | None = CLIENT_ID


class HolderIn(Schema):
    user_id: int


class HolderOut(Schema):
    user_id: int
    username: str = Field(..., alias="user.username")
    display_name: str = Field(..., alias="user.display_name")
    assigned_at: dt.datetime


class CardVersionIn(Schema):
    client_id: uuid.UUID | None = CLIENT_ID
    title: str = Field(..., min_length=1, max_length=200)
    duty_role: DutyRole
    items: list[str] = Field(..., min_length=1, max_length=plan_services.MAX_CARD_ITEMS)


class ActionCardIn(CardVersionIn):
    organisation_id: int
    code: str = Field(..., min_length=1, max_length=30, examples=["C-BUR"])


class ShiftIn(Schema):
    organisation_id: int
    duty_role: DutyRole
    user_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    site_id: int | None = None
    note: str = Field("", max_length=200)


class ShiftOut(Schema):
    id: int
    organisation_id: int
    site_id: int | None
    duty_role: str
    user_id: int
    username: str = Field(..., alias="user.username")
    starts_at: dt.datetime
    ends_at: dt.datetime
    note: str
    swapped_from_id: int | None


class SwapIn(Schema):
    user_id: int


class PersonOut(Schema):
    id: int
    username: str
    display_name: str


class TrainingIn(Schema):
    user_id: int
    kind: TrainingKind
    completed_on: dt.date
    expires_on: dt.date | None = None
    provider: str = Field("", max_length=200)


class TrainingOut(Schema):
    id: int
    user_id: int
    kind: str
    completed_on: dt.date
    expires_on: dt.date | None
    provider: str


class AlarmIn(Schema):
    organisation_id: int
    note: str = Field("", max_length=2000)


class AlarmOut(Schema):
    id: int
    organisation_id: int
    status: str
    step: int
    escalation: list[str]
    timeout_seconds: int
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by_id: int | None


class ChannelDeliveryOut(Schema):
    channel: str
    status: str = Field(..., description="queued, sent, delivered, failed (or a newer state)")
    status_label: str
    reason: str = Field("", description="Why it failed, in the caller's language")
    at: dt.datetime | None = None


def _reach(callout):
    if not hasattr(callout, "reach"):
        callout.reach = delivery.reach_by_about([callout.about])[callout.about]
    return callout.reach


class CalloutOut(Schema):
    id: int
    incident_id: uuid.UUID
    alarm_id: int | None
    user_id: int
    username: str = Field(..., alias="user.username")
    duty_role: str
    step: int
    status: str
    site_id: int | None
    alerted_at: dt.datetime
    responded_at: dt.datetime | None
    dispatched_at: dt.datetime | None
    on_site_at: dt.datetime | None
    released_at: dt.datetime | None
    eta_minutes: int | None = None
    reach: str = Field(
        "", description="delivered, sent, pending, not_reached or no_channel (SMS and e-mail)"
    )
    delivery: list[ChannelDeliveryOut] = []

    @staticmethod
    def resolve_reach(obj):
        return _reach(obj).state

    @staticmethod
    def resolve_delivery(obj):
        return [line.__dict__ for line in _reach(obj).lines]


class RequestIn(Schema):
    user_ids: list[int] = Field(..., min_length=1)
    note: str = Field("", max_length=300)


class RespondIn(Schema):
    accept: bool
    eta_minutes: int | None = Field(
        None, ge=1, le=600, description="With accept: I am coming, in about N minutes"
    )


class CalloutStatusIn(Schema):
    status: CalloutStatus


class DispatchIn(Schema):
    site_id: int


class SiteIn(Schema):
    kind: SiteKind
    name: str = Field(..., min_length=1, max_length=200)
    address: str = Field(..., min_length=1, max_length=300)


class SiteOut(Schema):
    id: int
    kind: str
    name: str
    address: str


class LogIn(Schema):
    text: str = Field(..., min_length=1, max_length=4000)
    corrects_id: int | None = None


class LogOut(Schema):
    id: int
    at: dt.datetime
    author_id: int | None
    kind: str
    text: str
    corrects_id: int | None


class StatusIn(Schema):
    status: IncidentStatus


class TickIn(Schema):
    card_id: int
    item: int = Field(..., ge=0)


class TickOut(Schema):
    card_id: int
    item: int
    ticked_by_id: int | None
    ticked_at: dt.datetime


class AfterActionIn(Schema):
    supervision_at: dt.datetime | None = None
    supervision_place: str = Field("", max_length=200)
    supervisor: str = Field("", max_length=200)
    went_well: str = ""
    to_improve: str = ""
    follow_up: str = ""


class AfterActionOut(AfterActionIn):
    updated_at: dt.datetime


class DeliveryOut(Schema):
    id: int
    channel: str
    recipient_id: int | None
    purpose: str
    status: str
    attempts: int
    last_error: str
    reason: str = Field("", description="Why it failed, in the caller's language")
    about: str = ""
    created_at: dt.datetime
    sent_at: dt.datetime | None
    delivered_at: dt.datetime | None = None

    @staticmethod
    def resolve_reason(obj):
        return delivery.reason(obj)


# --- Helpers -------------------------------------------------------------------------------
def _incident(request, incident_id):
    return get_object_or_404(incident_selectors.incidents_visible_to(request.user), pk=incident_id)


def _callout(request, callout_id):
    callout = get_object_or_404(
        selectors.Callout.objects.select_related("incident", "user"), pk=callout_id
    )
    if callout.user_id != request.user.pk:
        _incident(request, callout.incident_id)
    return callout


def _plan(request, plan_id):
    return get_object_or_404(selectors.plans_visible_to(request.user), pk=plan_id)


def _role(request, plan_id, role_id):
    return get_object_or_404(
        _plan(request, plan_id).roles.select_related("plan", "plan__organisation"), pk=role_id
    )


def _organisations(ids: list[int]) -> list[Organisation]:
    """The organisations with these ids; 404 when one is unknown."""
    found = list(Organisation.objects.filter(pk__in=set(ids)))
    if len(found) != len(set(ids)):
        raise NotFound(_("Unknown organisation."), field="activating_organisation_ids")
    return found


def _plan_changes(payload: PlanChangeIn) -> dict:
    data = payload.dict(exclude={"client_id", "organisation_id", "activating_organisation_ids"})
    data["activating_organisations"] = _organisations(payload.activating_organisation_ids)
    return data


def _role_changes(payload: PlanRoleChangeIn) -> dict:
    data = payload.dict(exclude={"client_id", "organisation_id", "site_id"})
    data["organisation"] = (
        get_object_or_404(Organisation, pk=payload.organisation_id)
        if payload.organisation_id
        else None
    )
    data["site"] = get_object_or_404(Site, pk=payload.site_id) if payload.site_id else None
    return data


def _created(result):
    obj, created = result
    return Status(201 if created else 200, obj)


# --- Plans, cards, rosters, training -------------------------------------------------------
@router.get("/plans", response=list[PlanOut], summary="Preparedness plans")
def list_plans(request, organisation_id: int | None = None):
    qs = selectors.plans_visible_to(request.user).prefetch_related("roles")
    return list(qs.filter(organisation_id=organisation_id) if organisation_id else qs)


@router.get("/plans/{plan_id}", response=PlanOut, summary="One plan")
def get_plan(request, plan_id: int):
    return _plan(request, plan_id)


@router.post(
    "/plans",
    response={200: PlanOut, 201: PlanOut},
    summary="Create a plan (preparedness leads; idempotent on client_id)",
)
def create_plan(request, payload: PlanIn):
    org = get_object_or_404(Organisation, pk=payload.organisation_id)
    return _created(
        plan_services.create_plan(
            by=request.user, organisation=org, client_id=payload.client_id, **_plan_changes(payload)
        )
    )


@router.put("/plans/{plan_id}", response=PlanOut, summary="Change a plan")
def update_plan(request, plan_id: int, payload: PlanChangeIn):
    return plan_services.update_plan(
        by=request.user, plan=_plan(request, plan_id), **_plan_changes(payload)
    )


@router.delete("/plans/{plan_id}", response={204: None}, summary="Delete a plan and its roles")
def delete_plan(request, plan_id: int):
    plan_services.delete_plan(by=request.user, plan=_plan(request, plan_id))
    return Status(204, None)


@router.post(
    "/plans/{plan_id}/roles",
    response={200: PlanRoleOut, 201: PlanRoleOut},
    summary="Add a role to a plan (idempotent on client_id)",
)
def add_role(request, plan_id: int, payload: PlanRoleIn):
    return _created(
        plan_services.add_role(
            by=request.user,
            plan=_plan(request, plan_id),
            client_id=payload.client_id,
            **_role_changes(payload),
        )
    )


@router.put("/plans/{plan_id}/roles/{role_id}", response=PlanRoleOut, summary="Change a role")
def update_role(request, plan_id: int, role_id: int, payload: PlanRoleChangeIn):
    return plan_services.update_role(
        by=request.user, role=_role(request, plan_id, role_id), **_role_changes(payload)
    )


@router.delete("/plans/{plan_id}/roles/{role_id}", response={204: None}, summary="Remove a role")
def remove_role(request, plan_id: int, role_id: int):
    plan_services.remove_role(by=request.user, role=_role(request, plan_id, role_id))
    return Status(204, None)


@router.get(
    "/plans/{plan_id}/roles/{role_id}/holders",
    response=list[HolderOut],
    summary="Who holds a role (members of the plan's organisation tree)",
)
def list_holders(request, plan_id: int, role_id: int):
    role = _role(request, plan_id, role_id)
    if not selectors.can_see_holders(request.user, role.plan):
        raise Forbidden(_("Only members of the plan's organisation can see who holds its roles."))
    return list(role.holdings.select_related("user"))


@router.post(
    "/plans/{plan_id}/roles/{role_id}/holders",
    response={200: HolderOut, 201: HolderOut},
    summary="Appoint a person to a role (idempotent)",
)
def assign_holder(request, plan_id: int, role_id: int, payload: HolderIn):
    role = _role(request, plan_id, role_id)
    user = get_object_or_404(User, pk=payload.user_id)
    return _created(plan_services.assign_holder(by=request.user, role=role, user=user))


@router.delete(
    "/plans/{plan_id}/roles/{role_id}/holders/{user_id}",
    response={204: None},
    summary="Release a person from a role",
)
def unassign_holder(request, plan_id: int, role_id: int, user_id: int):
    role = _role(request, plan_id, role_id)
    user = get_object_or_404(User, pk=user_id)
    plan_services.unassign_holder(by=request.user, role=role, user=user)
    return Status(204, None)


@router.get("/action-cards", response=list[ActionCardOut], summary="Current action cards")
def list_cards(request, organisation_id: int | None = None):
    org = get_object_or_404(Organisation, pk=organisation_id) if organisation_id else None
    return list(selectors.current_cards(org))


@router.post(
    "/action-cards",
    response={200: ActionCardOut, 201: ActionCardOut},
    summary="Create an action card, version 1 (idempotent on client_id)",
)
def create_card(request, payload: ActionCardIn):
    org = get_object_or_404(Organisation, pk=payload.organisation_id)
    return _created(
        plan_services.create_card(
            by=request.user, organisation=org, **payload.dict(exclude={"organisation_id"})
        )
    )


@router.get("/action-cards/{card_id}", response=ActionCardOut, summary="One version of a card")
def get_card(request, card_id: int):
    return get_object_or_404(selectors.action_cards_visible_to(request.user), pk=card_id)


@router.get(
    "/action-cards/{card_id}/versions",
    response=list[ActionCardOut],
    summary="Every version of the card, newest first",
)
def card_versions(request, card_id: int):
    return list(selectors.card_versions(get_card(request, card_id)))


@router.post(
    "/action-cards/{card_id}/versions",
    response={200: ActionCardOut, 201: ActionCardOut},
    summary="Publish a new version of a card (card_id must be the current version)",
)
def publish_card_version(request, card_id: int, payload: CardVersionIn):
    return _created(
        plan_services.publish_card_version(
            by=request.user, card=get_card(request, card_id), **payload.dict()
        )
    )


@router.get("/shifts", response=list[ShiftOut], summary="Roster")
@paginate(PageNumberPagination)
def list_shifts(
    request,
    organisation_id: int | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    user_id: int | None = None,
):
    qs = selectors.shifts_visible_to(request.user)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if user_id:
        qs = qs.filter(user_id=user_id)
    if start:
        qs = qs.filter(ends_at__gt=start)
    if end:
        qs = qs.filter(starts_at__lt=end)
    return qs


@router.post("/shifts", response={201: ShiftOut}, summary="Plan a shift")
def create_shift(request, payload: ShiftIn):
    org = get_object_or_404(Organisation, pk=payload.organisation_id)
    user = get_object_or_404(User, pk=payload.user_id, is_active=True)
    site = get_object_or_404(Site, pk=payload.site_id) if payload.site_id else None
    return Status(
        201,
        services.create_shift(
            by=request.user,
            organisation=org,
            duty_role=payload.duty_role,
            user=user,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            site=site,
            note=payload.note,
        ),
    )


@router.post("/shifts/{shift_id}/swap", response=ShiftOut, summary="Swap a shift")
def swap_shift(request, shift_id: int, payload: SwapIn):
    shift = get_object_or_404(selectors.shifts_visible_to(request.user), pk=shift_id)
    to_user = get_object_or_404(User, pk=payload.user_id, is_active=True)
    return services.swap_shift(by=request.user, shift=shift, to_user=to_user)


@router.delete("/shifts/{shift_id}", response={204: None}, summary="Delete a shift")
def delete_shift(request, shift_id: int):
    shift = get_object_or_404(selectors.shifts_visible_to(request.user), pk=shift_id)
    services.delete_shift(by=request.user, shift=shift)
    return Status(204, None)


@router.get("/on-duty", response=list[PersonOut], summary="Who is on duty now (or at `at`)")
def on_duty(request, organisation_id: int, duty_role: DutyRole, at: dt.datetime | None = None):
    if organisation_id not in selectors.roster_organisation_ids(request.user):
        raise Forbidden("You cannot see this roster.")
    org = get_object_or_404(Organisation, pk=organisation_id)
    return selectors.on_duty(org, duty_role, at)


@router.get("/training", response=list[TrainingOut], summary="Training records")
def list_training(request, user_id: int | None = None):
    qs = selectors.training_visible_to(request.user)
    return list(qs.filter(user_id=user_id) if user_id else qs)


@router.post("/training", response={201: TrainingOut}, summary="Record a training")
def add_training(request, payload: TrainingIn):
    user = get_object_or_404(User, pk=payload.user_id)
    return Status(
        201,
        services.record_training(
            by=request.user,
            user=user,
            kind=payload.kind,
            completed_on=payload.completed_on,
            expires_on=payload.expires_on,
            provider=payload.provider,
        ),
    )


# --- Alarms and call-outs ------------------------------------------------------------------
@router.post(
    "/incidents/{uuid:incident_id}/alarms", response={201: AlarmOut}, summary="Alarm a department"
)
def raise_alarm(request, incident_id: uuid.UUID, payload: AlarmIn):
    incident = _incident(request, incident_id)
    org = get_object_or_404(Organisation, pk=payload.organisation_id, is_active=True)
    return Status(
        201,
        services.raise_alarm(
            by=request.user, incident=incident, organisation=org, note=payload.note
        ),
    )


@router.post(
    "/incidents/{uuid:incident_id}/call-in",
    response={201: list[CalloutOut]},
    summary="Call in everyone of a department on every channel",
)
def call_in(request, incident_id: uuid.UUID, payload: AlarmIn):
    incident = _incident(request, incident_id)
    org = get_object_or_404(Organisation, pk=payload.organisation_id, is_active=True)
    return Status(
        201,
        services.call_in_department(
            by=request.user, incident=incident, organisation=org, note=payload.note
        ),
    )


@router.get("/incidents/{uuid:incident_id}/alarms", response=list[AlarmOut], summary="Alarms")
def list_alarms(request, incident_id: uuid.UUID):
    return list(selectors.alarms_of(_incident(request, incident_id)))


@router.get(
    "/incidents/{uuid:incident_id}/callouts",
    response=list[CalloutOut],
    summary="People called out (the board)",
)
def list_callouts(request, incident_id: uuid.UUID):
    callouts = list(selectors.callouts_of(_incident(request, incident_id)))
    reach = delivery.reach_by_about([c.about for c in callouts])
    for c in callouts:
        c.reach = reach[c.about]
    return callouts


@router.post(
    "/incidents/{uuid:incident_id}/requests",
    response={201: list[CalloutOut]},
    summary="Request crisis-team members",
)
def request_members(request, incident_id: uuid.UUID, payload: RequestIn):
    incident = _incident(request, incident_id)
    users = list(User.objects.filter(pk__in=payload.user_ids, is_active=True))
    return Status(
        201,
        services.request_members(
            by=request.user, incident=incident, users=users, note=payload.note
        ),
    )


@router.get("/me/callouts", response=list[CalloutOut], summary="My open call-outs")
def my_callouts(request):
    return list(selectors.my_open_callouts(request.user))


@router.post(
    "/callouts/{callout_id}/respond", response=CalloutOut, summary="Acknowledge / accept or decline"
)
def respond(request, callout_id: int, payload: RespondIn):
    return services.respond(
        by=request.user,
        callout=_callout(request, callout_id),
        accept=payload.accept,
        eta_minutes=payload.eta_minutes,
    )


@router.post(
    "/callouts/{callout_id}/alarm-again",
    response=CalloutOut,
    summary="Alarm one person again (same answer link, every channel)",
)
def callout_again(request, callout_id: int):
    return services.alarm_again(by=request.user, callout=_callout(request, callout_id))


@router.post(
    "/incidents/{uuid:incident_id}/alarms/{alarm_id}/alarm-again",
    response=AlarmOut,
    summary="Alarm a department again (a pending alarm re-sends, an ended one starts anew)",
)
def alarm_again(request, incident_id: uuid.UUID, alarm_id: int):
    alarm = get_object_or_404(selectors.alarms_of(_incident(request, incident_id)), pk=alarm_id)
    return services.alarm_department_again(by=request.user, alarm=alarm)


@router.post(
    "/callouts/{callout_id}/status", response=CalloutOut, summary="En route, on site, released"
)
def callout_status(request, callout_id: int, payload: CalloutStatusIn):
    return services.set_callout_status(
        by=request.user, callout=_callout(request, callout_id), status=payload.status
    )


@router.post(
    "/callouts/{callout_id}/dispatch", response=CalloutOut, summary="Dispatch to a deployment site"
)
def dispatch(request, callout_id: int, payload: DispatchIn):
    callout = _callout(request, callout_id)
    site = get_object_or_404(callout.incident.deployment_sites, pk=payload.site_id)
    return services.dispatch(by=request.user, callout=callout, site=site)


@router.get(
    "/incidents/{uuid:incident_id}/sites", response=list[SiteOut], summary="Deployment sites"
)
def list_sites(request, incident_id: uuid.UUID):
    return list(_incident(request, incident_id).deployment_sites.all())


@router.post(
    "/incidents/{uuid:incident_id}/sites", response={201: SiteOut}, summary="Add a deployment site"
)
def add_site(request, incident_id: uuid.UUID, payload: SiteIn):
    return Status(
        201,
        services.add_site(
            by=request.user, incident=_incident(request, incident_id), **payload.dict()
        ),
    )


# --- Log, status, cards, after-action ------------------------------------------------------
@router.get("/incidents/{uuid:incident_id}/log", response=list[LogOut], summary="Incident log")
def get_log(request, incident_id: uuid.UUID):
    incident = _incident(request, incident_id)
    if not incident_selectors.can_read_log(request.user, incident):
        raise Forbidden(_("Only people deployed to the incident can read its log."))
    log = list(incident_selectors.log_of(incident))
    incident_services.record_log_view(incident=incident, entries=log)
    return log


@router.post(
    "/incidents/{uuid:incident_id}/log",
    response={201: LogOut},
    summary="Add a log entry or a correction",
)
def add_log(request, incident_id: uuid.UUID, payload: LogIn):
    return Status(
        201,
        services.add_note(
            by=request.user,
            incident=_incident(request, incident_id),
            text=payload.text,
            corrects_id=payload.corrects_id,
        ),
    )


@router.post(
    "/incidents/{uuid:incident_id}/status",
    response=IncidentOut,
    summary="Change status (logged; stand-down stops alarms)",
)
def change_status(request, incident_id: uuid.UUID, payload: StatusIn):
    return services.change_status(
        by=request.user, incident=_incident(request, incident_id), status=payload.status
    )


@router.post(
    "/incidents/{uuid:incident_id}/ticks",
    response={201: TickOut},
    summary="Tick an action-card item",
)
def tick(request, incident_id: uuid.UUID, payload: TickIn):
    card = get_object_or_404(ActionCard, pk=payload.card_id)
    return Status(
        201,
        services.tick(
            by=request.user, incident=_incident(request, incident_id), card=card, item=payload.item
        ),
    )


@router.put(
    "/incidents/{uuid:incident_id}/after-action",
    response=AfterActionOut,
    summary="Supervision and debrief after stand-down",
)
def after_action(request, incident_id: uuid.UUID, payload: AfterActionIn):
    return services.save_after_action(
        by=request.user, incident=_incident(request, incident_id), **payload.dict()
    )


@router.get(
    "/incidents/{uuid:incident_id}/deliveries",
    response=list[DeliveryOut],
    summary="Delivery log of the incident's messages",
)
def deliveries(request, incident_id: uuid.UUID):
    incident = _incident(request, incident_id)
    if not incident_selectors.can_manage(request.user, incident):
        raise Forbidden("Only the incident's lead can read the delivery log.")
    return list(notify_selectors.delivery_log(f"incident:{incident.pk}"))


@router.get("/statistics", summary="Alarm statistics (operational or exercise)")
def statistics(request, exercise: bool = False):
    return selectors.alarm_statistics(request.user, exercise=exercise)
