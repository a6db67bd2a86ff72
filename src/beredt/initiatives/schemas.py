"""API schemas of the budget initiatives."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Field, Schema

from .periods import kroner


class CommitteeIn(Schema):
    organisation_id: int
    name: str = Field(..., max_length=200)


class CommitteeOut(Schema):
    id: int
    name: str
    organisation_id: int


class AllocationIn(Schema):
    year: int
    amount: Decimal
    explanation: str | None = None


class AllocationChangeIn(Schema):
    amount: Decimal
    explanation: str | None = None


class ExplanationIn(Schema):
    explanation: str = Field(..., max_length=4000)


class YearCheckOut(Schema):
    year: int
    allocated: Decimal
    recommended: Decimal
    difference: Decimal
    difference_text: str
    explanation: str
    state: str

    @staticmethod
    def resolve_difference_text(obj):
        return kroner(obj.difference)


class InitiativeIn(Schema):
    id: uuid.UUID | None = Field(None, description="Client id: a retry with the same id "
                                 "answers 200 with the initiative instead of a second one.")
    budget_year: int
    title: str = Field(..., max_length=200)
    organisation_id: int
    committee_id: int
    purpose: str = Field(..., max_length=20000)
    description: str = Field("", max_length=20000)
    approved_on: dt.date | None = None
    approved_by: str = Field("", max_length=200)
    position: int = Field(1, ge=1, le=999)
    allocations: list[AllocationIn] = Field(default_factory=list, max_length=50)


class InitiativeChangeIn(Schema):
    budget_year: int | None = None
    title: str | None = Field(None, max_length=200)
    committee_id: int | None = None
    purpose: str | None = Field(None, max_length=20000)
    description: str | None = Field(None, max_length=20000)
    approved_on: dt.date | None = None
    approved_by: str | None = Field(None, max_length=200)
    position: int | None = Field(None, ge=1, le=999)


class InitiativeOut(Schema):
    id: uuid.UUID
    budget_year: int
    position: int
    title: str
    organisation_id: int
    committee_id: int
    purpose: str
    description: str
    approved_on: dt.date | None
    approved_by: str
    check: list[YearCheckOut]
    ready: bool


class MilestoneIn(Schema):
    title: str = Field(..., max_length=300)
    planned_quarter: str = Field(..., max_length=10, examples=["2024Q3"])


class MilestoneChangeIn(Schema):
    done_on: dt.date | None


class MilestoneOut(Schema):
    id: int
    title: str
    planned_quarter: str
    done_on: dt.date | None


class RecommendationIn(Schema):
    id: uuid.UUID | None = None
    number: int | None = Field(None, ge=1, le=9999)
    title: str = Field(..., max_length=300)
    position: int = Field(0, ge=0, le=999)
    responsible_id: int | None = None
    responsible_name: str = Field("", max_length=200)
    figure_key: str = Field("", max_length=100)
    first_quarter: str = Field("", max_length=10)
    last_quarter: str = Field("", max_length=10)
    amounts: dict[int, Decimal] = Field(default_factory=dict, max_length=50,
                                        description="Kroner per year, e.g. {\"2024\": "
                                        "\"1200000.00\"}")


class RecommendationChangeIn(Schema):
    number: int | None = Field(None, ge=1, le=9999)
    title: str | None = Field(None, max_length=300)
    position: int | None = Field(None, ge=0, le=999)
    responsible_name: str | None = Field(None, max_length=200)
    figure_key: str | None = Field(None, max_length=100)
    first_quarter: str | None = Field(None, max_length=10)
    last_quarter: str | None = Field(None, max_length=10)
    amounts: dict[int, Decimal] | None = Field(None, max_length=50)


class RecommendationOut(Schema):
    id: uuid.UUID
    initiative_id: uuid.UUID
    number: int | None
    heading: str
    title: str
    responsible: str
    figure_key: str
    first_quarter: str
    last_quarter: str
    amounts: dict[int, Decimal]
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_responsible(obj):
        return obj.responsible_label

    @staticmethod
    def resolve_amounts(obj):
        return {a.year: a.amount for a in obj.amounts.all()}

    @staticmethod
    def resolve_milestones(obj):
        return list(obj.milestones.all())


class StatusIn(Schema):
    light: str = Field(..., max_length=10, examples=["green"])
    text: str = Field(..., max_length=20000)
    next_steps: str = Field("", max_length=20000)


class FigureOut(Schema):
    key: str
    label: str
    value: Decimal | None


class StatusOut(Schema):
    id: int
    recommendation_id: uuid.UUID
    heading: str
    quarter: str
    light: str
    text: str
    next_steps: str
    updated_at: dt.datetime
    updated_by: str | None
    figure: FigureOut | None = None

    @staticmethod
    def resolve_heading(obj):
        return obj.recommendation.heading

    @staticmethod
    def resolve_updated_by(obj):
        return obj.updated_by.username if obj.updated_by_id else None


class StatusVersionOut(Schema):
    light: str
    text: str
    next_steps: str
    changed_at: dt.datetime = Field(..., alias="history_date")
    changed_by: str | None

    @staticmethod
    def resolve_changed_by(obj):
        return obj.history_user.username if obj.history_user_id else None


class AvailableFigureOut(Schema):
    key: str
    label: str


class MissingOut(Schema):
    recommendation_id: uuid.UUID
    initiative: str
    heading: str


class ReadinessOut(Schema):
    committee_id: int
    quarter: str
    ready: bool
    code: str | None
    detail: str | None
    missing: list[MissingOut]
    unexplained: list[dict]


class ReportOut(Schema):
    id: int
    committee_id: int
    quarter: str
    version: int
    format: str
    content_hash: str
    generated_at: dt.datetime
    generated_by: str | None

    @staticmethod
    def resolve_generated_by(obj):
        return obj.generated_by.username if obj.generated_by_id else None
