"""API schemas of /api/v1/volunteers/."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Field, Schema

from .models import NO_CARE_TASKS, ONBOARDING_ITEMS

CLIENT_ID = Field(
    None,
    description="Client-chosen UUID; a retry with the same value returns 200 and what the "
    "first request created.",
)
# Dates and times the API accepts (no year-9999 arithmetic overflows).
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


class UnitOut(Schema):
    id: int
    name: str
    organisation_id: int
    organisation: str = Field(..., alias="organisation.name")
    site_id: int
    site: str = Field(..., alias="site.name")
    department_id: int = Field(..., alias="site.organisation_id")
    notice_hours: int
    place: str
    no_care_tasks: str

    @staticmethod
    def resolve_no_care_tasks(obj):
        return str(NO_CARE_TASKS)


class ShiftOut(Schema):
    id: int
    unit_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    volunteer_id: int | None
    volunteer_name: str | None
    is_open: bool
    swapped_from_id: int | None
    client_id: uuid.UUID | None
    no_care_tasks: str

    @staticmethod
    def resolve_volunteer_name(obj):
        return obj.volunteer.user.display_name if obj.volunteer_id else None

    @staticmethod
    def resolve_no_care_tasks(obj):
        return str(NO_CARE_TASKS)


class ShiftIn(Schema):
    client_id: uuid.UUID | None = CLIENT_ID
    unit_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    volunteer_id: int | None = Field(None, description="Empty: an open shift")


class VolunteerRef(Schema):
    volunteer_id: int


class WishIn(Schema):
    wish: bool = True


class CancelOut(Schema):
    shift: ShiftOut
    late: bool = Field(..., description="Inside the notice period: the leaders were alerted")


class OnDutyOut(Schema):
    unit_id: int
    unit: str
    site_id: int
    on_duty: list[ShiftOut]
    next_shift: ShiftOut | None
    message: str
    no_care_tasks: str


class RequestIn(Schema):
    client_id: uuid.UUID | None = CLIENT_ID
    unit_id: int
    place: str = Field(..., min_length=1, max_length=120, description="Where; no patient data")
    needed_at: dt.datetime | None = Field(None, description="When; empty: now")
    without_relative: bool = Field(..., description="Patient without relative present")
    note: str = Field("", max_length=200, description="No patient data")


class RequestOut(Schema):
    id: uuid.UUID
    client_id: uuid.UUID | None
    unit_id: int = Field(..., alias="shift.unit_id")
    shift_id: int
    volunteer_name: str
    asked_at: dt.datetime
    needed_at: dt.datetime
    place: str
    without_relative: bool
    note: str
    status: str
    status_label: str
    answered_at: dt.datetime | None
    no_care_tasks: str

    @staticmethod
    def resolve_volunteer_name(obj):
        return obj.shift.volunteer.user.display_name if obj.shift.volunteer_id else ""

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_no_care_tasks(obj):
        return str(NO_CARE_TASKS)


class AnswerIn(Schema):
    accept: bool


class OnboardingIn(Schema):
    volunteer_id: int
    items: list[str] = Field(
        ..., max_length=len(ONBOARDING_ITEMS) + 5,
        description="Every checklist key: " + ", ".join(k for k, _l in ONBOARDING_ITEMS),
    )
    shift_id: int | None = None


class OnboardingOut(Schema):
    volunteer_id: int
    volunteer_name: str = Field(..., alias="volunteer.user.display_name")
    unit_id: int = Field(..., alias="volunteer.unit_id")
    shift_id: int | None
    items: list[str]
    signed_by: str = Field(..., alias="signed_by.display_name")
    signed_at: dt.datetime


class ChecklistItemOut(Schema):
    key: str
    label: str


class MonthOut(Schema):
    month: dt.date
    planned: int
    covered: int
    hours: float
    accompaniments: int
    without_relative: int


class EvaluationOut(Schema):
    start: dt.date
    end: dt.date
    planned: int
    covered: int
    coverage_pct: int
    hours: float
    requests: int
    accompaniments: int
    without_relative: int
    without_relative_pct: int
    declined: int
    late_cancellations: int
    started: int
    stopped: int
    active_at_end: int
    months: list[MonthOut]


def checklist() -> list[dict]:
    return [{"key": k, "label": str(_(label))} for k, label in ONBOARDING_ITEMS]
