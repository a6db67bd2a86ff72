"""API schemas of the change programme."""


import datetime as dt
import uuid

from ninja import Field, Schema

from .models import (
    ConsentMethod,
    ConsentPurpose,
    ContactOption,
    HelperKind,
    HourKind,
    LetterKind,
    Outcome,
    Phase,
)


class ConsentIn(Schema):
    purpose: ConsentPurpose
    method: ConsentMethod
    witness: str = Field("", max_length=200, description="Needed for verbal_witnessed.")


class CallIn(Schema):
    number: str = Field(..., max_length=30)
    line_name: str = Field("", max_length=200)
    patient_present: bool = True
    agreed: str = Field("", max_length=4000)
    called_at: dt.datetime | None = None


class ReferralIn(Schema):
    client_id: uuid.UUID = Field(..., description="Client-chosen UUID: a retry returns 200 "
                                 "and the case made the first time.")
    referring_organisation_id: int | None = Field(
        None, description="The department referring; may be left out when the user refers "
        "from one department only.")
    municipality_code: int = Field(..., description="The citizen's municipality, e.g. 730.")
    full_name: str = Field(..., min_length=1, max_length=200)
    cpr: str = Field(..., max_length=11)
    phone: str = Field("", max_length=30)
    gp: str = Field("", max_length=300)
    admitted_on: dt.date
    admission_number: int = Field(2, ge=1, le=99)
    eligibility: dict[str, bool] = Field(
        ..., description="Every criterion of GET /programme/criteria answered true/false.")
    note: str = Field("", max_length=4000)
    consents: list[ConsentIn] = Field(default_factory=list)
    call: CallIn | None = None


class ConsentOut(Schema):
    id: int
    purpose: str
    method: str
    given_at: dt.datetime
    withdrawn_at: dt.datetime | None
    is_active: bool


class CaseRow(Schema):
    id: uuid.UUID
    full_name: str
    cpr_masked: str
    municipality_code: int
    phase: str
    referred_at: dt.datetime
    contract_start: dt.date | None
    programme_ends: dt.date | None
    followup_ends: dt.date | None
    used_minutes: int
    budget_minutes: int
    near_limit: bool


class PhaseChangeOut(Schema):
    from_phase: str
    to_phase: str
    at: dt.datetime
    by_id: int


class CaseOut(CaseRow):
    client_id: uuid.UUID
    side: str
    birth_date: dt.date
    referring_organisation_id: int
    admitted_on: dt.date
    admission_number: int
    eligibility: dict[str, bool]
    not_offered_reasons: list[str]
    contact_option: str
    skp_id: int | None
    caseworker_id: int | None
    programme_minutes: int
    followup_minutes: int
    extra_minutes: int
    remaining_minutes: int
    outcome: str
    closed_at: dt.datetime | None
    timeline: list[PhaseChangeOut]
    consents: list[ConsentOut]
    sees_plans: bool


class PhaseIn(Schema):
    to: Phase
    contact_option: ContactOption | None = None
    note: str = Field("", max_length=2000)


class TeamIn(Schema):
    skp_id: int | None = None
    caseworker_id: int | None = None


class ResponsibilityIn(Schema):
    who: str = Field("", max_length=200)
    what: str = Field("", max_length=1000)


class ContractIn(Schema):
    start_date: dt.date
    goals: list[str] = Field(default_factory=list, max_length=20)
    actions: list[str] = Field(default_factory=list, max_length=20)
    expectations: str = Field("", max_length=4000)
    responsibilities: list[ResponsibilityIn] = Field(default_factory=list, max_length=20)
    priorities: list[str] = Field(default_factory=list, max_length=20,
                                  description="The citizen's own order, most important first.")
    other_helpers: str = Field("", max_length=4000)
    consent_note: str = Field("", max_length=4000)
    signed_citizen_on: str = Field("", max_length=10)
    signed_skp_on: str = Field("", max_length=10)


class CrisisPlanIn(Schema):
    wants_from_talk: str = Field("", max_length=4000)
    background: str = Field("", max_length=4000)
    wish: str = Field("", max_length=4000)
    hinders: str = Field("", max_length=4000)
    vulnerability: str = Field("", max_length=4000)
    shared_focus: str = Field("", max_length=4000)
    zoom_in: str = Field("", max_length=4000)
    plan: str = Field("", max_length=4000)
    phase1_safety: str = Field("", max_length=4000)
    phase2_health: str = Field("", max_length=4000)
    phase3_ending: str = Field("", max_length=4000)
    may_contact_again: bool = False


class RelapsePlanIn(Schema):
    changed: str = Field("", max_length=4000)
    keep_using: str = Field("", max_length=4000)
    hold_on: str = Field("", max_length=4000)
    obstacles: str = Field("", max_length=4000)
    tackle: str = Field("", max_length=4000)
    warning_inner: str = Field("", max_length=4000)
    warning_outer: str = Field("", max_length=4000)
    high_risk: str = Field("", max_length=4000)
    good_things: list[str] = Field(default_factory=list, max_length=10)


class PlanOut(Schema):
    id: int
    kind: str
    version: int
    saved_at: dt.datetime
    saved_by_id: int
    content: dict


class HoursIn(Schema):
    client_id: uuid.UUID | None = Field(None, description="Makes a retried POST safe.")
    date: dt.date
    minutes: int = Field(..., ge=1, le=1440)
    kind: HourKind = HourKind.FACE_TO_FACE
    note: str = Field("", max_length=1000)


class HoursOut(Schema):
    id: uuid.UUID
    date: dt.date
    minutes: int
    kind: str
    period: str
    worker_id: int
    used_minutes: int
    remaining_minutes: int
    near_limit: bool


class ParticipantIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    role: str = Field("", max_length=200)
    organisation: str = Field("", max_length=200)


class MeetingIn(Schema):
    client_id: uuid.UUID | None = None
    starts_at: dt.datetime
    place: str = Field(..., min_length=1, max_length=200)
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=30)
    caseworker_invited: bool = False
    minutes_text: str = Field("", max_length=4000)
    decisions: str = Field("", max_length=4000)
    extra_hours: float = Field(0, ge=0, le=40)


class MeetingOut(Schema):
    id: uuid.UUID
    starts_at: dt.datetime
    place: str
    participants: list[dict]
    caseworker_invited_at: dt.datetime | None
    extra_minutes: int


class CloseIn(Schema):
    outcome: Outcome
    note: str = Field("", max_length=4000)


class LetterIn(Schema):
    kind: LetterKind
    text: str = Field(..., min_length=1, max_length=4000)
    contact_phone: str = Field("", max_length=30)
    patient_accepted: bool = False


class LetterOut(Schema):
    id: uuid.UUID
    kind: str
    created_at: dt.datetime
    patient_accepted_at: dt.datetime | None


class ReadmissionIn(Schema):
    admitted_on: dt.date


class WithdrawIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)


class HelperIn(Schema):
    kind: HelperKind
    name: str = Field(..., min_length=1, max_length=200)
    relation: str = Field("", max_length=200)
    phone: str = Field("", max_length=30)


class ActivityIn(Schema):
    service_id: uuid.UUID
    note: str = Field("", max_length=1000)


class CriterionOut(Schema):
    key: str
    label: str
    eligible_answer: bool
