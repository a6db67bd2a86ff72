"""Follow-up API (mounted at /api/v1/followup)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from types import SimpleNamespace

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from beredt.core import audit
from beredt.core.audit import AuditAction
from beredt.core.errors import NotFound
from beredt.incidents.selectors import incidents_visible_to
from beredt.organisations.models import Organisation
from beredt.registry.models import Registration

from . import exchange, outreach, selectors, services
from .models import Campaign, HandoverItem

router = Router(tags=["follow-up"])


def _incident(request, incident_id):
    return get_object_or_404(incidents_visible_to(request.user), pk=incident_id)


def _sender_incident(request, incident_id):
    incident = _incident(request, incident_id)
    if not selectors.can_send(request.user, incident):
        raise NotFound()
    return incident


class DecisionOut(Schema):
    registration_id: uuid.UUID
    unit_id: int | None
    receiver: str | None
    rule: str = Field(..., alias="rule_name")
    explanation: str
    needs_manual_decision: bool

    @staticmethod
    def resolve_receiver(obj):
        return obj.unit.organisation.name if obj.unit else None


class HandoverOut(Schema):
    id: uuid.UUID
    incident_id: uuid.UUID | None
    incident_title: str
    sender_name: str
    receiver_id: int
    status: str
    created_at: dt.datetime
    receipt_due_at: dt.datetime
    received_at: dt.datetime | None
    escalated_at: dt.datetime | None
    imported: bool


class ItemOut(Schema):
    id: uuid.UUID
    status: str
    fields: list[str]
    channels: list[str]
    reason: str
    data: dict

    @staticmethod
    def resolve_data(obj):
        return json.loads(obj.data)


class HandoverDetailOut(HandoverOut):
    items: list[ItemOut]


class RerouteIn(Schema):
    unit_id: int
    reason: str = Field(..., min_length=1, max_length=300)


class ManualIn(Schema):
    unit_id: int
    reason: str = Field(..., min_length=1, max_length=500)


class ImportIn(Schema):
    bundle: dict
    receiver_id: int | None = None


class TaskOut(Schema):
    id: int
    kind: str
    title: str
    due_on: dt.date
    status: str
    tries: int
    outcome: str
    referral: str
    assigned_to_id: int | None
    organisation_id: int
    is_overdue: bool


class CompleteIn(Schema):
    outcome: str
    referral: str = ""
    referral_service_id: uuid.UUID | None = None
    note: str = Field("", max_length=4000)


class TryIn(Schema):
    note: str = Field("", max_length=4000)


class AssignIn(Schema):
    user_id: int | None


class CampaignIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    template_key: str
    channels: list[str]
    registration_ids: list[uuid.UUID] | None = None
    max_per_minute: int = 600


class CampaignOut(Schema):
    id: uuid.UUID
    name: str
    status: str
    channels: list[str]
    created_at: dt.datetime
    finished_at: dt.datetime | None
    counts: dict

    @staticmethod
    def resolve_counts(obj):
        out: dict = {}
        for status in obj.messages.values_list("status", flat=True):
            out[status] = out.get(status, 0) + 1
        return out


@router.get("/incidents/{incident_id}/decisions", response=list[DecisionOut],
            summary="Routing decisions of an incident")
def decisions(request, incident_id: uuid.UUID):
    return list(selectors.decisions_of(_sender_incident(request, incident_id)))


@router.post("/incidents/{incident_id}/route", response=list[DecisionOut],
             summary="Route every consenting person not handed over yet")
def route(request, incident_id: uuid.UUID):
    return services.route_incident(by=request.user, incident=_incident(request, incident_id))


@router.post("/registrations/{registration_id}/decision", response=DecisionOut,
             summary="Decide the receiver of a person by hand")
def decide(request, registration_id: uuid.UUID, payload: ManualIn):
    reg = get_object_or_404(Registration, pk=registration_id)
    _sender_incident(request, reg.incident_id)
    return services.decide_manually(by=request.user, registration=reg,
                                    unit=services.unit_or_404(payload.unit_id),
                                    reason=payload.reason)


@router.post("/incidents/{incident_id}/handovers", response=list[HandoverOut],
             summary="Hand the routed people over (one package per receiver)")
def hand_over(request, incident_id: uuid.UUID):
    return services.hand_over(by=request.user, incident=_incident(request, incident_id))


@router.get("/incidents/{incident_id}/funnel", response=list[dict],
            summary="Registered → consented → routed → received → contacted → outcome")
def funnel(request, incident_id: uuid.UUID):
    return selectors.funnel(_sender_incident(request, incident_id))


@router.get("/handovers", response=list[HandoverOut], summary="Handovers received or sent")
def handovers(request, side: str = "received"):
    qs = (selectors.handovers_sent_by(request.user) if side == "sent"
          else selectors.handovers_received_by(request.user))
    return list(qs[:500])


@router.get("/handovers/{handover_id}", response=HandoverDetailOut,
            summary="A handover with its people (every view is audited)")
def handover_detail(request, handover_id: uuid.UUID):
    handover, side = selectors.handover_for(request.user, handover_id)
    items = list(selectors.visible_items(handover, side))
    audit.record_many(action=AuditAction.VIEW, objects=items,
                      fields=sorted({f for i in items for f in i.fields}),
                      extra={"handover": str(handover.pk), "side": side})
    fields = {name: getattr(handover, name) for name in HandoverOut.model_fields}
    return SimpleNamespace(**fields, items=items)


@router.post("/handovers/{handover_id}/receipt", response=HandoverOut,
             summary="Acknowledge receipt")
def receipt(request, handover_id: uuid.UUID):
    handover, _side = selectors.handover_for(request.user, handover_id)
    return services.acknowledge(by=request.user, handover=handover)


@router.get("/handovers/{handover_id}/fhir", summary="The handover as a FHIR R4 Bundle")
def fhir(request, handover_id: uuid.UUID):
    handover, side = selectors.handover_for(request.user, handover_id)
    body = exchange.export_fhir(by=request.user, handover=handover, side=side)
    return HttpResponse(body, content_type="application/fhir+json")


@router.get("/handovers/{handover_id}/csv", summary="The handover as CSV")
def csv_export(request, handover_id: uuid.UUID):
    handover, side = selectors.handover_for(request.user, handover_id)
    body = exchange.export_csv(by=request.user, handover=handover, side=side)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="handover-{handover.pk}.csv"'
    return response


@router.post("/import", response={201: HandoverOut},
             summary="Import a handover bundle from another installation")
def import_bundle(request, payload: ImportIn):
    receiver = (get_object_or_404(Organisation, pk=payload.receiver_id)
                if payload.receiver_id else None)
    handover = exchange.import_fhir(by=request.user, raw=json.dumps(payload.bundle),
                                    receiver=receiver)
    return Status(201, handover)


@router.post("/items/{item_id}/reroute", response=ItemOut,
             summary="Hand a person on to another receiver")
def reroute(request, item_id: uuid.UUID, payload: RerouteIn):
    item = get_object_or_404(HandoverItem, pk=item_id)
    selectors.handover_for(request.user, item.handover_id)
    return services.reroute(by=request.user, item=item,
                            unit=services.unit_or_404(payload.unit_id), reason=payload.reason)


@router.get("/tasks", response=list[TaskOut], summary="My queue (mine=true) or my "
            "organisations' queue")
def tasks(request, mine: bool = False, overdue: bool = False):
    qs = selectors.tasks_visible_to(request.user).filter(status="open")
    if mine:
        qs = qs.filter(assigned_to=request.user)
    if overdue:
        qs = qs.filter(due_on__lt=dt.date.today())
    return list(qs[:500])


@router.post("/tasks/{task_id}/try", response=TaskOut, summary="Record a contact attempt")
def task_try(request, task_id: int, payload: TryIn):
    return services.record_try(by=request.user, task=selectors.task_for(request.user, task_id),
                               note=payload.note)


@router.post("/tasks/{task_id}/complete", response=TaskOut, summary="Record the outcome")
def task_complete(request, task_id: int, payload: CompleteIn):
    from beredt.directory.models import Service

    service = (get_object_or_404(Service, pk=payload.referral_service_id)
               if payload.referral_service_id else None)
    return services.complete_task(by=request.user, task=selectors.task_for(request.user, task_id),
                                  outcome=payload.outcome, referral=payload.referral,
                                  referral_service=service, note=payload.note)


@router.post("/tasks/{task_id}/assign", response=TaskOut, summary="Assign to a worker")
def task_assign(request, task_id: int, payload: AssignIn):
    from beredt.accounts.models import User

    user = get_object_or_404(User, pk=payload.user_id) if payload.user_id else None
    return services.assign_task(by=request.user, task=selectors.task_for(request.user, task_id),
                                user=user)


@router.post("/incidents/{incident_id}/campaigns", response={201: CampaignOut},
             summary="Queue an outreach campaign")
def campaign_create(request, incident_id: uuid.UUID, payload: CampaignIn):
    campaign = outreach.start_campaign(
        by=request.user, incident=_incident(request, incident_id), name=payload.name,
        template_key=payload.template_key, channels=payload.channels,
        registration_ids=payload.registration_ids, max_per_minute=payload.max_per_minute)
    return Status(201, campaign)


@router.get("/campaigns/{campaign_id}", response=CampaignOut, summary="Campaign status")
def campaign_detail(request, campaign_id: uuid.UUID):
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    _sender_incident(request, campaign.incident_id)
    return campaign
