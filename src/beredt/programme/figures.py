"""Figures for the budget-initiatives app (:meth:`ProgrammeConfig.initiative_figures`).

Each takes ``start`` and ``end`` (dates, both inclusive, Copenhagen time) and
``organisation_ids`` (None: everything; else the cases of the municipalities of those
organisations and the cases referred by them, with the organisations below them).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from beredt.organisations.models import Organisation
from beredt.organisations.selectors import descendant_ids

from .models import Case, HourEntry, Phase


def _scope(qs: QuerySet, organisation_ids, prefix: str = "") -> QuerySet:
    if organisation_ids is None:
        return qs
    ids = descendant_ids(organisation_ids)
    codes = Organisation.objects.filter(pk__in=ids, municipality__isnull=False).values(
        "municipality_id")
    return qs.filter(Q(**{f"{prefix}municipality_id__in": codes})
                     | Q(**{f"{prefix}referring_organisation_id__in": ids}))


def cases_opened(*, start: dt.date, end: dt.date, organisation_ids: list[int] | None) -> int:
    """Cases referred in the period and offered the programme (not "not offered")."""
    qs = Case.objects.filter(referred_at__date__gte=start, referred_at__date__lte=end).exclude(
        phase=Phase.NOT_OFFERED)
    return _scope(qs, organisation_ids).count()


def cases_closed(*, start: dt.date, end: dt.date, organisation_ids: list[int] | None) -> int:
    qs = Case.objects.filter(phase=Phase.CLOSED, closed_at__date__gte=start,
                             closed_at__date__lte=end)
    return _scope(qs, organisation_ids).count()


def hours_used(*, start: dt.date, end: dt.date, organisation_ids: list[int] | None) -> Decimal:
    """Hours logged (all kinds) with dates in the period, to two decimals."""
    qs = HourEntry.objects.filter(date__gte=start, date__lte=end)
    minutes = _scope(qs, organisation_ids, "case__").aggregate(m=Sum("minutes"))["m"] or 0
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"))
