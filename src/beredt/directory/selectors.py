"""Reads of the directory. The directory holds no personal data about citizens: lines,
offers and their hours are public information, so reading needs no role. Editing does
(:func:`can_edit_directory`).

Public selectors, also used by the ``public`` app:

- :func:`open_now` (municipality, moment, audience) → :class:`OpenNow`
- :func:`contact_sheet` (municipality) → :class:`ContactSheet`
- :func:`search_services` → a queryset of services
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from uuid import UUID

from django.db.models import CharField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Lower, Replace
from django.utils import timezone
from django.utils.translation import gettext as _

from beredt.core.errors import DomainError
from beredt.geo.models import Municipality
from beredt.organisations.models import Role
from beredt.organisations.selectors import has_role

from .hours import TZ, LineState, Rule, line_state, local
from .models import (
    Audience,
    Closure,
    Phone,
    Schedule,
    Service,
    ServiceKind,
    ServiceStatus,
    format_number,
)

EDITOR_ROLES = (Role.ADMINISTRATOR,)
AUDIENCES = {a.value for a in Audience}


def can_edit_directory(user) -> bool:
    """Administrators (anywhere in the organisation tree) and superusers edit the directory."""
    return bool(user and user.is_authenticated) and has_role(user, EDITOR_ROLES)


def municipality_or_error(code) -> Municipality:
    try:
        number = int(code)
    except (TypeError, ValueError):
        number = None
    found = Municipality.objects.select_related("region").filter(pk=number).first() \
        if number is not None else None
    if found is None:
        raise DomainError(
            _("Unknown municipality code %(code)s: use the official 3-digit code, e.g. 730 "
              "for Randers.") % {"code": code},
            code="unknown_municipality", field="municipality",
        )
    return found


def _audience_filter(audience: str | None) -> Q:
    if audience in (None, "", Audience.ALL):
        return Q()
    if audience not in AUDIENCES:
        raise DomainError(
            _("Unknown audience %(a)s: use citizen or professional.") % {"a": audience},
            code="unknown_audience", field="audience",
        )
    return Q(audience__in=[Audience.ALL, audience])


def _area_filter(municipality: Municipality) -> Q:
    return Q(municipality_id=municipality.pk) | Q(
        municipality__isnull=True, region_id=municipality.region_id)


@dataclass(frozen=True)
class LineStatus:
    """One contact line at one moment."""

    service_id: str
    name: str
    provider: str
    phone: str  # display form, e.g. "5135 6476"
    phone_number: str  # as stored, for tel: links
    visitation: str
    audience: str
    legal_basis: str
    period: str
    scope: str  # "municipality" or "region"
    state: LineState

    @property
    def is_open(self) -> bool:
        return self.state.is_open

    @property
    def open_until(self) -> datetime | None:
        return self.state.open_until

    @property
    def next_open(self) -> datetime | None:
        return self.state.next_open

    @property
    def always_open(self) -> bool:
        return self.state.always_open

    def as_dict(self) -> dict:
        return {
            "service_id": self.service_id, "name": self.name, "provider": self.provider,
            "phone": self.phone, "phone_number": self.phone_number,
            "visitation": self.visitation, "audience": self.audience,
            "legal_basis": self.legal_basis, "hours": self.period, "scope": self.scope,
            "is_open": self.is_open, "always_open": self.always_open,
            "open_until": self.open_until.isoformat() if self.open_until else None,
            "next_open": self.next_open.isoformat() if self.next_open else None,
        }


@dataclass
class OpenNow:
    """``open``: municipal lines answering now (nearest help first); ``region``: the
    region's lines answering now (24-hour lines); ``closed``: the rest, next to open first."""

    municipality: Municipality
    at: datetime
    audience: str | None
    open: list[LineStatus] = field(default_factory=list)
    region: list[LineStatus] = field(default_factory=list)
    closed: list[LineStatus] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "municipality": {"code": self.municipality.pk, "name": self.municipality.name},
            "at": self.at.isoformat(), "audience": self.audience or "all",
            "open": [s.as_dict() for s in self.open],
            "region": [s.as_dict() for s in self.region],
            "closed": [s.as_dict() for s in self.closed],
        }


RULE_FIELDS = ("opens_at", "closes_at", "byday", "freq", "interval", "bymonthday", "valid_from",
               "valid_to", "dtstart", "until", "holidays")


TEMPORAL_FIELDS = {"opens_at": time.fromisoformat, "closes_at": time.fromisoformat,
                   "valid_from": date.fromisoformat, "valid_to": date.fromisoformat,
                   "dtstart": date.fromisoformat, "until": date.fromisoformat}
# Dates and times are read as text and parsed once per distinct rule (see rule_from_values).
RULE_COLUMNS = {f"r_{name}": Cast(name, CharField()) for name in TEMPORAL_FIELDS}


@lru_cache(maxsize=8192)
def rule_from_values(values: tuple) -> Rule:
    """A :class:`Rule` from a rule row with dates/times as text (shared: it is immutable)."""
    row = dict(zip(RULE_FIELDS, values, strict=True))
    for name, parse in TEMPORAL_FIELDS.items():
        if row[name] is not None:
            row[name] = parse(row[name][:8] if parse is time.fromisoformat else row[name][:10])
    return Rule.from_row(row)


def _rule_column(name: str) -> str:
    return f"r_{name}" if name in TEMPORAL_FIELDS else name


def _lines(municipality: Municipality, audience: str | None, prefix: str = "") -> list[Q]:
    """Two filters (the municipality's own lines; the region's lines), optionally through a
    relation. Two index look-ups combined with UNION ALL, not one OR that scans the table."""
    base = {f"{prefix}kind": ServiceKind.LINE, f"{prefix}status": ServiceStatus.ACTIVE}
    audience_q = _audience_filter(audience)
    if audience_q:
        base[f"{prefix}audience__in"] = audience_q.children[0][1]
    return [
        Q(**base, **{f"{prefix}municipality_id": municipality.pk}),
        Q(**base, **{f"{prefix}region_id": municipality.region_id,
                     f"{prefix}municipality__isnull": True}),
    ]


def _union(qs: QuerySet, filters: list[Q]) -> QuerySet:
    own, region = (qs.filter(f).order_by() for f in filters)
    return own.union(region, all=True)


def open_now(municipality_code, at: datetime | None = None,
             audience: str | None = None) -> OpenNow:
    """Who answers at ``at`` (default now; naive = Copenhagen time) for a municipality.

    Four small queries whatever the size of the directory (municipality, lines with their
    first phone, rules, closures), joined in the database rather than with id lists.
    Municipal lines come before the region's, then by ``rank`` and name.
    """
    municipality = municipality_or_error(municipality_code)
    at = local(at or timezone.now())
    first_phone = Phone.objects.filter(service_id=OuterRef("pk")).order_by("rank", "number")
    # Ids are read as text (the key only joins the three result sets): converting
    # hundreds of UUIDs per answer costs more than the queries.
    rows = sorted(
        _union(Service.objects.annotate(phone=Subquery(first_phone.values("number")[:1]),
                                        key=Cast("id", CharField()))
               .values("key", "name", "provider__name", "visitation", "audience",
                       "legal_basis", "period", "municipality_id", "phone", "rank"),
               _lines(municipality, audience)),
        key=lambda r: (r["municipality_id"] is None, r["rank"], r["name"]),
    )
    rules: dict = defaultdict(list)
    for values in _union(Schedule.objects.annotate(key=Cast("service_id", CharField()),
                                                   **RULE_COLUMNS)
                         .values_list("key", *map(_rule_column, RULE_FIELDS)),
                         _lines(municipality, audience, "service__")):
        rules[values[0]].append(rule_from_values(values[1:]))
    closures: dict = defaultdict(list)
    for c in _union(Closure.objects.filter(ends_at__gt=at).annotate(
            key=Cast("service_id", CharField())).values_list("key", "starts_at", "ends_at"),
            _lines(municipality, audience, "service__")):
        closures[c[0]].append((c[1], c[2]))

    result = OpenNow(municipality=municipality, at=at, audience=audience or None)
    states: dict = {}  # lines with the same rules (and no closure) share one answer
    for row in rows:
        key = row["key"]
        line_rules = tuple(rules.get(key, ()))
        if key in closures:
            state = line_state(line_rules, at, closures[key])
        else:
            state = states.get(line_rules) or states.setdefault(
                line_rules, line_state(line_rules, at))
        number = row["phone"] or ""
        status = LineStatus(
            service_id=str(UUID(key)), name=row["name"], provider=row["provider__name"],
            phone=format_number(number), phone_number=number, visitation=row["visitation"],
            audience=row["audience"], legal_basis=row["legal_basis"], period=row["period"],
            scope="municipality" if row["municipality_id"] else "region", state=state,
        )
        if not state.is_open:
            result.closed.append(status)
        elif status.scope == "region":
            result.region.append(status)
        else:
            result.open.append(status)
    far = datetime.max.replace(tzinfo=TZ)
    result.closed.sort(key=lambda s: s.next_open or far)
    return result


@dataclass
class SheetLine:
    service: Service
    phones: list[Phone]
    hours: str


@dataclass
class ContactSheet:
    """The one-page contact sheet: the municipality's lines and the region's lines."""

    municipality: Municipality
    lines: list[SheetLine]
    region_lines: list[SheetLine]


def contact_sheet(municipality_code) -> ContactSheet:
    municipality = municipality_or_error(municipality_code)
    services = (
        Service.objects.filter(kind=ServiceKind.LINE, status=ServiceStatus.ACTIVE)
        .filter(_area_filter(municipality))
        .select_related("provider")
        .prefetch_related(Prefetch("phones", queryset=Phone.objects.order_by("rank", "number")))
        .order_by("rank", "name")
    )
    lines, region_lines = [], []
    for service in services:
        item = SheetLine(service=service, phones=list(service.phones.all()),
                         hours=service.period)
        (lines if service.municipality_id else region_lines).append(item)
    return ContactSheet(municipality=municipality, lines=lines, region_lines=region_lines)


def normalise_legal_basis(text: str) -> str:
    return "".join((text or "").lower().split())


def search_services(*, municipality=None, q: str | None = None, visitation: str | None = None,
                    legal_basis: str | None = None, kind: str | None = None,
                    audience: str | None = None) -> QuerySet[Service]:
    """Search and filter the catalogue. ``municipality`` includes the region's services."""
    qs = Service.objects.select_related("provider", "municipality", "region").prefetch_related(
        Prefetch("phones", queryset=Phone.objects.order_by("rank", "number")), "schedules")
    if municipality not in (None, ""):
        qs = qs.filter(_area_filter(municipality_or_error(municipality)))
    if q:
        for word in q.split():
            qs = qs.filter(
                Q(name__icontains=word) | Q(description__icontains=word)
                | Q(target_group__icontains=word) | Q(effect__icontains=word)
                | Q(provider__name__icontains=word)
                | Q(legal_basis__icontains=word) | Q(phones__number__contains=word)
            )
    if visitation:
        from .models import Visitation

        if visitation not in {v.value for v in Visitation if v.value}:
            raise DomainError(
                _("Unknown visitation %(v)s: use visiteret, uvisiteret or begge.")
                % {"v": visitation}, code="unknown_visitation", field="visitation")
        # "begge" (visited and open) matches both kinds of request.
        qs = qs.filter(visitation__in=[visitation, "begge"] if visitation != "begge"
                       else ["begge"])
    if legal_basis:
        qs = qs.annotate(_lb=Replace(Lower("legal_basis"), Value(" "), Value(""))).filter(
            _lb__contains=normalise_legal_basis(legal_basis))
    if kind:
        qs = qs.filter(kind=kind)
    if audience:
        qs = qs.filter(_audience_filter(audience))
    return qs.distinct().order_by("municipality_id", "kind", "rank", "name")


def service(service_id) -> Service | None:
    return (
        Service.objects.select_related("provider", "municipality", "region")
        .prefetch_related("phones", "schedules", "contacts", "closures",
                          "at_locations__location")
        .filter(pk=service_id).first()
    )
