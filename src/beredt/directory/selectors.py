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

from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Lower, Replace
from django.utils import timezone
from django.utils.translation import gettext as _

from beredt.core.errors import DomainError
from beredt.geo.models import Municipality
from beredt.organisations.models import Role
from beredt.organisations.selectors import has_role

from .hours import TZ, LineState, Rule, Timetable, local, shared_timetable
from .models import (
    Audience,
    Closure,
    DirectoryVersion,
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


def _audiences(audience: str | None) -> tuple[str, ...] | None:
    """The audiences a request for ``audience`` sees; None: every line."""
    if audience in (None, "", Audience.ALL):
        return None
    if audience not in AUDIENCES:
        raise DomainError(
            _("Unknown audience %(a)s: use citizen or professional.") % {"a": audience},
            code="unknown_audience", field="audience",
        )
    return (Audience.ALL, audience)


def _audience_filter(audience: str | None) -> Q:
    wanted = _audiences(audience)
    return Q() if wanted is None else Q(audience__in=wanted)


def _area_filter(municipality: Municipality) -> Q:
    return Q(municipality_id=municipality.pk) | Q(
        municipality__isnull=True, region_id=municipality.region_id)


@dataclass(frozen=True)
class Line:
    """A contact line as "who answers now" shows it, whatever the moment."""

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


@dataclass(frozen=True)
class LineStatus(Line):
    """One contact line at one moment."""

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


@lru_cache(maxsize=8192)
def rule_from_values(values: tuple) -> Rule:
    """A :class:`Rule` from a rule row with dates/times as text (shared: it is immutable)."""
    row = dict(zip(RULE_FIELDS, values, strict=True))
    for name, parse in TEMPORAL_FIELDS.items():
        if row[name] is not None:
            row[name] = parse(row[name][:8] if parse is time.fromisoformat else row[name][:10])
    return Rule.from_row(row)


@dataclass(frozen=True, slots=True)
class CompiledLine:
    """A contact line as ``open_now`` keeps it between requests."""

    line: Line
    timetable: Timetable

    def status(self, at: datetime) -> LineStatus:
        return LineStatus(**vars(self.line), state=self.timetable.state(at))


LINE_COLUMNS = ("key", "name", "provider__name", "visitation", "audience", "legal_basis",
                "period", "municipality_id", "rank", "phone", "closed_sometimes")


@lru_cache(maxsize=128)
def _lines_sql(municipality_code: int, region_code: int) -> tuple[str, tuple]:
    """SQL and parameters of the query for a municipality's active lines and its region's
    (index look-ups), each with its first phone number and whether it has closures.

    Built by the ORM once per process and municipality: building and compiling the
    queryset costs more than running it. Every column is text or a number, so the rows
    are the same on SQLite and PostgreSQL without the ORM's converters.
    """
    area = Municipality(pk=municipality_code, region_id=region_code)
    first_phone = Phone.objects.filter(service_id=OuterRef("pk")).order_by("rank", "number")
    return (
        Service.objects.filter(_area_filter(area), kind=ServiceKind.LINE,
                               status=ServiceStatus.ACTIVE).order_by()
        .annotate(key=Cast("id", CharField()), phone=Subquery(first_phone.values("number")[:1]),
                  closed_sometimes=Exists(Closure.objects.filter(service_id=OuterRef("pk"))))
        .values_list(*LINE_COLUMNS).query.sql_with_params()
    )


@lru_cache(maxsize=256)
def _rules_sql(count: int) -> str:
    """SQL of the query for the rules of ``count`` lines, by service id (so that
    PostgreSQL looks each line up in ``directory_schedule_rules`` rather than scanning the
    table), with the service id, dates and times as text (parsed once per distinct rule by
    :func:`rule_from_values`). Compiled by the ORM once per process and count."""
    sql, _ids = (  # the ids are the only parameters
        Schedule.objects.filter(service_id__in=[UUID(int=i) for i in range(count)]).order_by()
        .annotate(key=Cast("service_id", CharField()),
                  **{f"r_{name}": Cast(name, CharField()) for name in TEMPORAL_FIELDS})
        .values_list("key", *(f"r_{name}" if name in TEMPORAL_FIELDS else name
                              for name in RULE_FIELDS))
        .query.sql_with_params()
    )
    return sql


def compile_lines(municipality: Municipality) -> tuple[CompiledLine, ...]:
    """Read the active lines of a municipality and of its region (one query), their rules
    (one) and closures (one more, only when a line has any) and compile them: municipal
    lines first, then by ``rank`` and name. Lines with the same rules and closures share a
    timetable (:func:`~beredt.directory.hours.shared_timetable`)."""
    rules: dict = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(*_lines_sql(municipality.pk, municipality.region_id))
        services = {row[0]: row for row in cursor.fetchall()}
        ids = {key: UUID(key) for key in services}  # the key is the id as text
        if ids:
            to_db = Schedule._meta.get_field("service").get_db_prep_value
            cursor.execute(_rules_sql(len(ids)), [to_db(i, cursor.db) for i in ids.values()])
            for key, *values in cursor.fetchall():
                rules[key].append(rule_from_values(tuple(values)))
    closures: dict = defaultdict(list)
    closed = [ids[key] for key, *_rest, closed_sometimes in services.values()
              if closed_sometimes]
    if closed:
        for service_id, starts_at, ends_at in Closure.objects.filter(
                service_id__in=closed).values_list("service_id", "starts_at", "ends_at"):
            closures[service_id].append((starts_at, ends_at))
    compiled = []
    for key, name, provider, visitation, audience, legal_basis, period, municipality_id, \
            _rank, phone, _closed in sorted(services.values(),
                                            key=lambda r: (r[7] is None, r[8], r[1])):
        service_id = ids[key]
        timetable = shared_timetable(tuple(rules[key]),
                                     tuple(sorted(closures.get(service_id, ()))))
        compiled.append(CompiledLine(Line(
            service_id=str(service_id), name=name, provider=provider,
            phone=format_number(phone or ""), phone_number=phone or "",
            visitation=visitation, audience=audience, legal_basis=legal_basis, period=period,
            scope="municipality" if municipality_id else "region"), timetable))
    return tuple(compiled)


@lru_cache(maxsize=1)
def _stamp_sql() -> tuple[str, tuple]:
    return DirectoryVersion.objects.filter(pk=1).values_list("stamp").query.sql_with_params()


def directory_stamp() -> int | None:
    """The directory's current :class:`~beredt.directory.models.DirectoryVersion` stamp
    (None when the row is missing, e.g. after a test database flush). Read on every
    ``open_now``, so with SQL compiled once rather than a queryset per call."""
    with connection.cursor() as cursor:
        cursor.execute(*_stamp_sql())
        row = cursor.fetchone()
    return row[0] if row else None


# Per process: the directory stamp and, for it, {(municipality code, region code): compiled
# lines}. Replaced whole when the stamp in the database differs, i.e. after any write to
# the directory by anyone. The municipality itself is read on every call (its name and
# region may be edited in the admin without a directory write).
_compiled: tuple[int | None, dict[tuple[int, int], tuple[CompiledLine, ...]]] = (None, {})


def lines_of(municipality: Municipality) -> tuple[CompiledLine, ...]:
    """The compiled lines of a municipality and its region, from this process's cache
    while the directory is unchanged (one query for the stamp). The stamp is read first,
    so what is cached is never older than the stamp it is kept under."""
    global _compiled
    stamp = directory_stamp()
    cached_stamp, by_area = _compiled
    if stamp is None or stamp != cached_stamp:
        by_area = {}
        if stamp is not None:  # no stamp: nothing to key on, nothing is kept
            _compiled = (stamp, by_area)
    area = (municipality.pk, municipality.region_id)
    found = by_area.get(area)
    if found is None:
        found = by_area[area] = compile_lines(municipality)
    return found


def open_now(municipality_code, at: datetime | None = None,
             audience: str | None = None) -> OpenNow:
    """Who answers at ``at`` (default now; naive = Copenhagen time) for a municipality.

    Two small queries (the municipality, the directory's stamp) while the directory is
    unchanged; after a change two or three more for the lines (:func:`lines_of`).
    Municipal lines come before the region's, then by ``rank`` and name.
    """
    municipality = municipality_or_error(municipality_code)
    wanted = _audiences(audience)
    at = local(at or timezone.now())
    result = OpenNow(municipality=municipality, at=at, audience=audience or None)
    for compiled in lines_of(municipality):
        if wanted is not None and compiled.line.audience not in wanted:
            continue
        status = compiled.status(at)
        if not status.is_open:
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


def services_for_hsds(*, municipality=None) -> QuerySet[Service]:
    """:func:`search_services` with everything the HSDS export nests (closures, contacts,
    locations) read in one query each rather than one per service."""
    return search_services(municipality=municipality).prefetch_related(
        "closures", "contacts", "at_locations__location")


def service(service_id) -> Service | None:
    return (
        Service.objects.select_related("provider", "municipality", "region")
        .prefetch_related("phones", "schedules", "contacts", "closures",
                          "at_locations__location")
        .filter(pk=service_id).first()
    )
