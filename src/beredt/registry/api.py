"""Registration API (mounted at /api/v1/, full paths declared here)."""


import datetime as dt
import uuid

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from beredt.core import audit
from beredt.core.audit import AuditAction
from beredt.core.errors import ValidationFailed
from beredt.core.search import holds_cpr
from beredt.incidents.models import Incident
from beredt.incidents.selectors import incidents_visible_to

from . import selectors, services
from .models import (
    Channel,
    ConsentGiver,
    ConsentKind,
    ConsentMethod,
    ConsentRecord,
    Need,
    PersonRole,
    PointKind,
    Registration,
    Relation,
    Residence,
)

router = Router(tags=["registrations"])


class ConsentIn(Schema):
    client_id: uuid.UUID | None = Field(None, description="Makes a retried POST safe.")
    kind: ConsentKind
    channels: list[Channel] = Field(default_factory=list,
                                    description="Only for followup_contact.")
    shared_with: str = Field("", max_length=300, description="Only for sharing.")
    method: ConsentMethod
    witness: str = Field("", max_length=200, description="Needed for verbal_witnessed.")
    given_by: ConsentGiver = ConsentGiver.PERSON
    guardian_name: str = Field("", max_length=200, description="Needed when given_by=guardian.")
    given_at: dt.datetime | None = None
    paper_form_number: str = Field("", max_length=40)


class ConsentOut(Schema):
    id: uuid.UUID
    kind: str
    channels: list[str]
    shared_with: str
    method: str
    given_by: str
    given_at: dt.datetime
    taken_by_id: int
    withdrawn_at: dt.datetime | None
    withdrawn_reason: str
    is_active: bool


class WithdrawIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)


class RevealIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class RegistrationIn(Schema):
    client_id: uuid.UUID = Field(..., description="Client-chosen UUID: a retry returns 200 "
                                 "and the registration made the first time.")
    point_kind: PointKind = PointKind.EPC
    point_name: str = Field("", max_length=120)
    role: PersonRole = PersonRole.UNINJURED
    full_name: str = Field(..., min_length=1, max_length=200)
    cpr: str = Field("", max_length=11)
    birth_date: dt.date | None = None
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    postcode: str = Field("", max_length=10)
    residence: Residence | None = None
    residence_municipality_code: int | None = None
    preferred_language: str = Field("da", max_length=35)
    interpreter_needed: bool = False
    related_to_id: uuid.UUID | None = None
    relation: Relation | None = None
    need: Need = Need.NONE
    reactions: str = Field("", max_length=2000)
    note: str = Field("", max_length=4000)
    paper_form_number: str = Field("", max_length=40)
    consents: list[ConsentIn] = Field(default_factory=list)


class RegistrationOut(Schema):
    id: uuid.UUID
    client_id: uuid.UUID
    incident_id: uuid.UUID
    point: str
    point_kind: str
    role: str
    full_name: str
    cpr_masked: str
    birth_date: dt.date | None
    sex: str
    phone: str
    email: str
    address: str
    postcode: str
    residence: str
    residence_municipality_code: int | None
    preferred_language: str
    interpreter_needed: bool
    related_to_id: uuid.UUID | None
    relation: str
    need: str
    reactions: str
    note: str | None
    paper_form_number: str
    registered_by_id: int
    registered_at: dt.datetime
    status: str
    merged_into_id: uuid.UUID | None
    consents: list[ConsentOut]
    consented_channels: list[str]


def _out(request, reg: Registration) -> dict:
    from beredt.core.cpr import mask

    data = {f: getattr(reg, f) for f in (
        "id", "client_id", "incident_id", "role", "full_name", "birth_date", "sex",
        "phone", "email", "address", "postcode", "residence",
        "preferred_language", "interpreter_needed", "related_to_id", "relation", "need",
        "reactions", "paper_form_number", "registered_by_id", "registered_at", "status",
        "merged_into_id")}
    data["point"], data["point_kind"] = reg.point.name, reg.point.kind
    data["residence_municipality_code"] = reg.residence_municipality_id
    data["cpr_masked"] = mask(reg.cpr)
    data["note"] = reg.note if selectors.sees_note(request.user, reg) else None
    fresh = reg.__dict__.pop("new_consents", None)  # set by register_person on create
    data["consents"] = fresh if fresh is not None else list(reg.consents.all())
    data["consented_channels"] = sorted(
        selectors.channels_of(fresh) if fresh is not None else selectors.consented_channels(reg))
    return data


def _incident(request, incident_id):
    return get_object_or_404(incidents_visible_to(request.user), pk=incident_id)


@router.post("/incidents/{uuid:incident_id}/registrations",
             response={200: RegistrationOut, 201: RegistrationOut},
             summary="Register an affected person (idempotent on client_id)")
def create_registration(request, incident_id: uuid.UUID, payload: RegistrationIn):
    # The service checks the deployment in one query (403 whether or not the incident
    # exists, so an id reveals nothing); no separate read of the incident.
    # from_db: a bare reference (only the id), without building every field's default.
    incident = Incident.from_db(None, ["id"], [incident_id])
    body = payload.dict()
    consents = body.pop("consents")
    reg, created = services.register_person(
        incident=incident, by=request.user, client_id=body.pop("client_id"),
        point_kind=body.pop("point_kind"), point_name=body.pop("point_name"),
        data={**body, "relation": body["relation"] or ""}, consents=consents,
    )
    return Status(201 if created else 200, _out(request, reg))


class SearchIn(Schema):
    q: str = Field("", max_length=200, description="Name, CPR, phone or form number")
    include_merged: bool = False


@router.get("/incidents/{uuid:incident_id}/registrations", response=list[RegistrationOut],
            summary="Registrations of an incident (search: name, phone, form number; "
                    "a CPR number only through POST …/registrations/search)")
@paginate(PageNumberPagination)
def list_registrations(request, incident_id: uuid.UUID, q: str = "",
                       include_merged: bool = False):
    if holds_cpr(q):
        raise ValidationFailed(_("Search for a CPR number with POST …/registrations/search: "
                                 "a URL is logged."), code="cpr_in_url", field="q")
    return _registrations(request, incident_id, q, include_merged)


@router.post("/incidents/{uuid:incident_id}/registrations/search",
             response=list[RegistrationOut],
             summary="Search the registrations of an incident (the term in the body, so a "
                     "CPR number is never in a URL)")
@paginate(PageNumberPagination)
def search_registrations(request, incident_id: uuid.UUID, payload: SearchIn):
    return _registrations(request, incident_id, payload.q.strip(), payload.include_merged)


def _registrations(request, incident_id, q: str, include_merged: bool):
    incident = _incident(request, incident_id)
    if not selectors.can_see_registrations(request.user, incident):
        from beredt.core.errors import Forbidden

        raise Forbidden()
    qs = selectors.incident_registrations(request.user, incident,
                                          include_merged=include_merged)
    return _Audited(request, selectors.search(qs.prefetch_related("consents"), q), bool(q))


class _Audited:
    """A sequence that writes one audit row per registration actually returned (the page)."""

    def __init__(self, request, items, searched: bool):
        self.request, self.items, self.searched = request, items, searched

    def __len__(self):
        return len(self.items) if isinstance(self.items, list) else self.items.count()

    def count(self):
        return len(self)

    def __getitem__(self, item):
        page = list(self.items[item])
        audit.record_many(action=AuditAction.SEARCH if self.searched else AuditAction.LIST,
                          objects=page, fields=["full_name"])
        return [_out(self.request, r) for r in page]


@router.get("/registrations/{uuid:registration_id}", response=RegistrationOut,
            summary="One registration")
def get_registration(request, registration_id: uuid.UUID):
    reg = selectors.registration_for(request.user, registration_id)
    audit.record(action=AuditAction.VIEW, obj=reg, fields=list(Registration.PERSONAL_FIELDS))
    return _out(request, reg)


@router.post("/registrations/{uuid:registration_id}/consents",
             response={200: ConsentOut, 201: ConsentOut}, summary="Document a consent")
def add_consent(request, registration_id: uuid.UUID, payload: ConsentIn):
    reg = selectors.registration_for(request.user, registration_id)
    before = ConsentRecord.objects.filter(client_id=payload.client_id).exists() \
        if payload.client_id else False
    consent = services.add_consent(registration=reg, by=request.user, data=payload.dict())
    return Status(200 if before else 201, consent)


@router.post("/registrations/{uuid:registration_id}/consents/{uuid:consent_id}/withdraw",
             response=ConsentOut, summary="Withdraw a consent (stops pending outreach)")
def withdraw_consent(request, registration_id: uuid.UUID, consent_id: uuid.UUID,
                     payload: WithdrawIn):
    reg = selectors.registration_for(request.user, registration_id)
    consent = get_object_or_404(ConsentRecord, pk=consent_id, registration=reg)
    return services.withdraw_consent(consent=consent, by=request.user, reason=payload.reason)


class RevealOut(Schema):
    cpr: str


@router.post("/registrations/{uuid:registration_id}/reveal-cpr", response=RevealOut,
             summary="Show the full CPR number (reason required, audited)")
def reveal_cpr(request, registration_id: uuid.UUID, payload: RevealIn):
    reg = selectors.registration_for(request.user, registration_id)
    return {"cpr": services.reveal_cpr(registration=reg, by=request.user,
                                       reason=payload.reason)}
