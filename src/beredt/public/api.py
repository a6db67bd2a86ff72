"""Public API: the incident page and self-registration (no login), and the staff queue."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Field, Router, Schema, Status

from beredt.core import audit
from beredt.core.audit import AuditAction
from beredt.core.errors import NotFound
from beredt.core.middleware import client_ip

from . import challenge, content, selectors, services
from .models import SelfRegistration

router = Router(tags=["public"])


class IncidentPageOut(Schema):
    slug: str
    title: str
    what_happened: str
    what_happened_en: str
    hotline_phone: str
    hotline_hours: str
    epc_location: str
    followup_offered: str
    followup_offered_en: str
    self_registration_open: bool
    municipality_code: int = Field(..., alias="incident.municipality_id")
    is_exercise: bool = Field(..., alias="incident.is_exercise")
    updated_at: dt.datetime


class SelfRegistrationIn(Schema):
    full_name: str = Field(..., max_length=200)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=200)
    postcode: str = Field("", max_length=4)
    relation: str = Field(..., description="present, witness, relative or other")
    children_affected: bool = False
    message: str = Field("", max_length=2000)
    language: str = Field("da", description="da, en, ar, uk or pl: the consent text shown")
    consent: bool = Field(..., description="Consent to follow-up contact; must be true")
    website: str = Field("", description="Honeypot: leave empty")
    pow_challenge: str = Field("", max_length=300,
                               description="From GET /challenge; required under load")
    pow_solution: str = Field("", max_length=20, description=(
        "A counter n such that SHA-256 of `challenge:n` starts with `bits` zero bits"))


class ChallengeOut(Schema):
    challenge: str
    bits: int


class Accepted(Schema):
    status: str


class SelfRegistrationOut(Schema):
    id: uuid.UUID
    incident_id: uuid.UUID
    full_name: str
    phone: str
    email: str
    postcode: str
    relation: str
    children_affected: bool
    message: str
    language: str
    submitted_at: dt.datetime
    status: str
    registration_id: uuid.UUID | None


class RejectIn(Schema):
    reason: str = Field(..., max_length=200)


def _page(slug: str):
    page = selectors.published_page(slug)
    if page is None:
        raise NotFound()
    return page


@router.get("/incidents/{slug}", response=IncidentPageOut, auth=None,
            summary="A published incident page")
def get_page(request, slug: str):
    return _page(slug)


@router.post("/incidents/{slug}/self-registrations", response={202: Accepted}, auth=None,
             summary="Ask for follow-up (self-registration, confirmed by staff)")
def self_register(request, slug: str, payload: SelfRegistrationIn):
    data = payload.dict()
    language = data.pop("language")
    if language not in content.LANGUAGES:
        language = content.DEFAULT_LANGUAGE
    services.submit_self_registration(page=_page(slug), data=data, language=language,
                                      ip=client_ip(request))
    # The same answer whether stored or caught by the honeypot.
    return Status(202, {"status": "received"})


@router.get("/challenge", response=ChallengeOut, auth=None,
            summary="A proof-of-work challenge for a self-registration")
def get_challenge(request):
    return {"challenge": challenge.issue(), "bits": challenge.bits()}


@router.get("/self-registrations", response=list[SelfRegistrationOut],
            summary="Self-registrations waiting for confirmation (my incidents)")
def list_pending(request, incident: uuid.UUID | None = None):
    qs = selectors.pending_for(request.user)
    if incident:
        qs = qs.filter(incident_id=incident)
    items = list(qs[:200])
    audit.record_many(action=AuditAction.VIEW, objects=items,
                      fields=list(SelfRegistration.PERSONAL_FIELDS))
    return items


@router.post("/self-registrations/{item_id}/confirm", response=SelfRegistrationOut,
             summary="Confirm: register the person in the registry")
def confirm(request, item_id: uuid.UUID):
    return services.confirm_self_registration(by=request.user, self_registration_id=item_id)


@router.post("/self-registrations/{item_id}/reject", response=SelfRegistrationOut,
             summary="Reject: the personal data is deleted")
def reject(request, item_id: uuid.UUID, payload: RejectIn):
    return services.reject_self_registration(by=request.user, self_registration_id=item_id,
                                             reason=payload.reason)
