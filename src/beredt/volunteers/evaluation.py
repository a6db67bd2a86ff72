"""The first-year evaluation: figures computed from the rota, the requests and the
volunteers, per month and in total; SVG bar charts for the page; also the figures the
budget-initiatives app reads (``VolunteersConfig.initiative_figures``).

Every ``compute`` function takes ``start`` and ``end`` (dates, both inclusive) and
``organisation_ids`` (units of these volunteer organisations or acute-reception
departments; None: every unit) and counts shifts by their start. Covered shifts, hours
and accompaniments count only what has happened (up to now); planned shifts count the
whole period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import AccompanyRequest, RequestStatus, ShiftStatus, Volunteer, VolunteerShift


def _bounds(start: dt.date, end: dt.date, *, past_only: bool = True):
    """The period as datetimes; ``past_only``: not beyond now (what has happened)."""
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0)))
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time(0))),
        min(hi, timezone.now()) if past_only else hi,
    )


def _unit_filter(prefix: str, organisation_ids) -> Q:
    if organisation_ids is None:
        return Q()
    return Q(**{f"{prefix}organisation_id__in": organisation_ids}) | Q(
        **{f"{prefix}site__organisation_id__in": organisation_ids}
    )


def _shifts(start, end, organisation_ids, *, past_only=True) -> QuerySet[VolunteerShift]:
    lo, hi = _bounds(start, end, past_only=past_only)
    return VolunteerShift.objects.filter(
        _unit_filter("unit__", organisation_ids),
        status=ShiftStatus.PLANNED, starts_at__gte=lo, starts_at__lt=hi,
    )


def _accepted(start, end, organisation_ids) -> QuerySet[AccompanyRequest]:
    lo, hi = _bounds(start, end)
    return AccompanyRequest.objects.filter(
        _unit_filter("shift__unit__", organisation_ids),
        status=RequestStatus.ACCEPTED, needed_at__gte=lo, needed_at__lt=hi,
    )


def shifts_planned(*, start: dt.date, end: dt.date, organisation_ids: list[int] | None) -> int:
    """Every planned shift of the period, the coming ones too."""
    return _shifts(start, end, organisation_ids, past_only=False).count()


def shifts_covered(*, start: dt.date, end: dt.date, organisation_ids: list[int] | None) -> int:
    return _shifts(start, end, organisation_ids).filter(volunteer__isnull=False).count()


def accompaniments(*, start: dt.date, end: dt.date, organisation_ids: list[int] | None) -> int:
    return _accepted(start, end, organisation_ids).count()


def hours_covered(*, start: dt.date, end: dt.date, organisation_ids: list[int] | None) -> Decimal:
    seconds = sum(
        (e - s).total_seconds()
        for s, e in _shifts(start, end, organisation_ids)
        .filter(volunteer__isnull=False).values_list("starts_at", "ends_at")
    )
    return (Decimal(int(seconds)) / Decimal(3600)).quantize(Decimal("0.1"))


@dataclass
class Month:
    month: dt.date
    planned: int = 0
    covered: int = 0
    hours: Decimal = Decimal(0)
    accompaniments: int = 0
    without_relative: int = 0


@dataclass
class Evaluation:
    start: dt.date
    end: dt.date
    months: list[Month] = field(default_factory=list)
    planned: int = 0
    covered: int = 0
    hours: Decimal = Decimal(0)
    accompaniments: int = 0
    without_relative: int = 0
    requests: int = 0
    declined: int = 0
    late_cancellations: int = 0
    started: int = 0
    stopped: int = 0
    active_at_end: int = 0

    @property
    def coverage_pct(self) -> int:
        return round(100 * self.covered / self.planned) if self.planned else 0

    @property
    def without_relative_pct(self) -> int:
        if not self.accompaniments:
            return 0
        return round(100 * self.without_relative / self.accompaniments)


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def evaluate(*, start: dt.date, end: dt.date, organisation_ids: list[int] | None) -> Evaluation:
    result = Evaluation(start=start, end=end)
    rows = {m: Month(month=m) for m in _month_starts(start, end)}
    shifts = _shifts(start, end, organisation_ids).values_list(
        "starts_at", "ends_at", "volunteer_id", "late_cancellations"
    )
    for starts_at, ends_at, volunteer_id, late in shifts:
        row = rows[timezone.localtime(starts_at).date().replace(day=1)]
        row.planned += 1
        result.late_cancellations += late
        if volunteer_id:
            row.covered += 1
            row.hours += Decimal(int((ends_at - starts_at).total_seconds())) / Decimal(3600)
    lo, hi = _bounds(start, end)
    requests = AccompanyRequest.objects.filter(
        _unit_filter("shift__unit__", organisation_ids), needed_at__gte=lo, needed_at__lt=hi
    ).values_list("needed_at", "status", "without_relative")
    for needed_at, status, without in requests:
        result.requests += 1
        if status == RequestStatus.DECLINED:
            result.declined += 1
        if status == RequestStatus.ACCEPTED:
            row = rows[timezone.localtime(needed_at).date().replace(day=1)]
            row.accompaniments += 1
            row.without_relative += int(without)
    volunteers = Volunteer.objects.filter(_unit_filter("unit__", organisation_ids))
    result.started = volunteers.filter(started_on__gte=start, started_on__lte=end).count()
    result.stopped = volunteers.filter(stopped_on__gte=start, stopped_on__lte=end).count()
    result.active_at_end = volunteers.filter(started_on__lte=end).filter(
        Q(stopped_on__isnull=True) | Q(stopped_on__gt=end)
    ).count()
    result.months = list(rows.values())
    for row in result.months:
        row.hours = row.hours.quantize(Decimal("0.1"))
        result.planned += row.planned
        result.covered += row.covered
        result.hours += row.hours
        result.accompaniments += row.accompaniments
        result.without_relative += row.without_relative
    return result


# --- SVG bar charts ------------------------------------------------------------------------
@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: str
    css: str


@dataclass
class Chart:
    title: str
    width: int
    height: int
    bars: list[Bar]
    labels: list[tuple[float, str]]
    legend: list[tuple[str, str]]
    max_value: str
    baseline: float


def bar_chart(title: str, months: list[Month], series: list[tuple[str, str, str]]) -> Chart:
    """Grouped bars per month; ``series`` = ``[(attribute, label, css class)]``. Rendered
    by ``volunteers/_chart.svg`` (no JavaScript)."""
    width, height, top, bottom, left = 640, 220, 16, 28, 8
    values = [float(getattr(m, attr)) for m in months for attr, _l, _c in series]
    peak = max([*values, 1.0])
    slot = (width - left) / max(1, len(months))
    bar_w = max(2.0, slot * 0.8 / len(series))
    plot_h = height - top - bottom
    bars, labels = [], []
    for i, month in enumerate(months):
        x0 = left + i * slot + slot * 0.1
        for j, (attr, _label, css) in enumerate(series):
            value = float(getattr(month, attr))
            h = plot_h * value / peak
            bars.append(Bar(x=round(x0 + j * bar_w, 1), y=round(top + plot_h - h, 1),
                            width=round(bar_w - 1, 1), height=round(h, 1),
                            value=f"{getattr(month, attr)}", css=css))
        labels.append((round(left + i * slot + slot / 2, 1), month.month.strftime("%m/%y")))
    return Chart(title=title, width=width, height=height, bars=bars, labels=labels,
                 legend=[(label, css) for _a, label, css in series],
                 max_value=f"{peak:g}", baseline=top + plot_h)


def charts(result: Evaluation) -> list[Chart]:
    return [
        bar_chart(_("Shifts planned and covered"), result.months,
                  [("planned", _("Planned"), "bar-a"), ("covered", _("Covered"), "bar-b")]),
        bar_chart(_("Accompaniments"), result.months,
                  [("accompaniments", _("All"), "bar-a"),
                   ("without_relative", _("Without relative present"), "bar-b")]),
        bar_chart(_("Hours on shift"), result.months,
                  [("hours", pgettext("amount of time", "Hours"), "bar-b")]),
    ]
