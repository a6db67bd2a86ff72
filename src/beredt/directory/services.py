"""Writes to the directory: one service from a plain spec, CSV import, closures, seed data.

Every import is all-or-nothing: all rows are checked first and any error rejects the whole
file with a list of ``{"row", "field", "reason"}``; only then is anything written, inside
one transaction.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from beredt.core import audit, tabular
from beredt.core.errors import Forbidden, ValidationFailed
from beredt.geo.models import Municipality, Region

from . import selectors
from .hours import format_hours, parse_hours
from .models import (
    Audience,
    Closure,
    Contact,
    Location,
    Phone,
    Provider,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceKind,
    ServiceStatus,
    Visitation,
)

SEED_NAMESPACE = uuid.UUID("8f0c6a52-2f3b-4c1e-9a57-3d0e2b6a1c03")
PHONE_RE = re.compile(r"^\+?\d{3,15}$")
CSV_COLUMNS = ["id", "kind", "provider", "municipality_code", "region_code", "name",
               "legal_basis", "visitation", "audience", "target_group", "period",
               "description", "effect", "phones", "email", "hours", "status", "rank"]


class ImportRejected(ValidationFailed):
    """An import with errors; ``errors`` lists every ``{"row", "field", "reason"}``."""

    default_code = "import_rejected"

    def __init__(self, errors: list[dict]):
        super().__init__(
            _("Nothing was imported: %(n)d error(s). Correct them and import again.")
            % {"n": len(errors)}, field=errors[0]["field"] if errors else None)
        self.errors = errors  # rows, not DomainErrors: add_to_form shows the message

    def as_dict(self) -> dict:
        return {**super().as_dict(), "errors": self.errors}


@dataclass
class ServiceSpec:
    """A checked, normalised service ready to be written."""

    id: uuid.UUID | None
    provider: str
    values: dict
    phones: list[str]
    schedules: list[dict] | None  # None: leave the service's rules as they are
    contacts: list[dict] | None = None
    locations: list[str] | None = None
    provider_id: uuid.UUID | None = None
    provider_fields: dict = field(default_factory=dict)


def seed_uuid(key: str) -> uuid.UUID:
    return uuid.uuid5(SEED_NAMESPACE, key)


def normalise_phone(raw: str) -> str:
    return re.sub(r"[\s\-()]", "", raw or "")


def _geography() -> tuple[dict[int, int], set[int]]:
    """{municipality code: region code} and the region codes (read once per import)."""
    return (dict(Municipality.objects.values_list("code", "region_id")),
            set(Region.objects.values_list("code", flat=True)))


def check_service(data: dict, geography=None) -> tuple[ServiceSpec | None, list[tuple[str, str]]]:
    """Check a plain dict (CSV row, seed record, HSDS mapping). → (spec, [(field, reason)])."""
    errors: list[tuple[str, str]] = []
    municipalities, regions = geography or _geography()

    def text(key: str, limit: int | None = None) -> str:
        raw = data.get(key)
        value = "" if raw is None else str(raw).strip()
        if limit and len(value) > limit:
            errors.append((key, _("At most %(n)d characters.") % {"n": limit}))
        return value

    raw_id = text("id")
    service_id = None
    if raw_id:
        try:
            service_id = uuid.UUID(raw_id)
        except ValueError:
            errors.append(("id", _("Not a valid UUID.")))
    kind = text("kind") or ServiceKind.OFFER
    if kind not in ServiceKind:
        errors.append(("kind", _("Use line or offer.")))
    provider = text("provider", 200)
    if not provider:
        errors.append(("provider", _("Required.")))
    name = text("name", 200)
    if not name:
        errors.append(("name", _("Required.")))
    municipality_id = region_id = None
    for key, known in (("municipality_code", municipalities), ("region_code", regions)):
        raw = text(key)
        if not raw:
            continue
        if not raw.isdigit() or int(raw) not in known:
            errors.append((key, _("Unknown code %(code)s.") % {"code": raw}))
        elif key == "municipality_code":
            municipality_id = int(raw)
        else:
            region_id = int(raw)
    if municipality_id is None and region_id is None and not any(
            f in (e[0] for e in errors) for f in ("municipality_code", "region_code")):
        errors.append(("municipality_code",
                       _("Give the municipality or the region the service serves.")))
    if municipality_id and not region_id:
        region_id = municipalities[municipality_id]
    visitation = text("visitation").lower()
    if visitation not in Visitation:
        errors.append(("visitation", _("Use visiteret, uvisiteret, begge or leave empty.")))
    audience = text("audience") or Audience.ALL
    if audience not in Audience:
        errors.append(("audience", _("Use all, citizen or professional.")))
    status = text("status") or ServiceStatus.ACTIVE
    if status not in ServiceStatus:
        errors.append(("status", _("Use active, inactive, defunct or temporarily closed.")))
    rank = text("rank") or "100"
    if not rank.isdigit() or int(rank) > 32767:
        errors.append(("rank", _("A whole number from 0 to 32767.")))
    email = text("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(("email", _("Not a valid e-mail address.")))
    raw_phones = data.get("phones") or []
    if isinstance(raw_phones, str):
        raw_phones = re.split(r"[,/;]", raw_phones)
    phones = [normalise_phone(p) for p in raw_phones if normalise_phone(p)]
    for number in phones:
        if not PHONE_RE.match(number):
            errors.append(("phones", _("Not a phone number: %(n)s.") % {"n": number}))
    if kind == ServiceKind.LINE and not phones:
        errors.append(("phones", _("A contact line needs a phone number.")))
    schedules = data.get("schedules")
    if schedules is None and "hours" in data:
        try:
            schedules = parse_hours(text("hours"))
        except ValueError as exc:
            errors.append(("hours", str(exc)))
    if errors:
        return None, errors
    values = {
        "kind": kind, "name": name, "legal_basis": text("legal_basis", 100),
        "visitation": visitation, "audience": audience, "status": status, "rank": int(rank),
        "target_group": text("target_group"), "period": text("period", 300),
        "description": text("description"), "effect": text("effect"), "email": email,
        "municipality_id": municipality_id, "region_id": region_id,
        "alternate_name": text("alternate_name", 200), "capacity": text("capacity", 50),
        "url": text("url", 200), "source_note": text("note"),
    }
    if errors:  # length errors found while building values
        return None, errors
    return ServiceSpec(id=service_id, provider=provider, values=values, phones=phones,
                       schedules=schedules, contacts=data.get("contacts"),
                       locations=data.get("locations")), []


def _provider(spec: ServiceSpec) -> Provider:
    if spec.provider_id:
        provider, _created = Provider.objects.update_or_create(
            pk=spec.provider_id, defaults={"name": spec.provider, **spec.provider_fields})
        return provider
    provider, _created = Provider.objects.get_or_create(name=spec.provider)
    return provider


def _write(spec: ServiceSpec) -> Service:
    provider = _provider(spec)
    values = {**spec.values, "provider": provider}
    service = Service.objects.filter(pk=spec.id).first() if spec.id else None
    if service is None:
        service = Service.objects.create(**({"id": spec.id} if spec.id else {}), **values)
    elif any(getattr(service, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(service, key, value)
        service.save()  # only real changes reach the history
    existing = list(service.phones.order_by("rank", "number").values_list("number", flat=True))
    if existing != spec.phones:
        service.phones.all().delete()
        for rank, number in enumerate(spec.phones):  # one by one: history is kept
            Phone.objects.create(service=service, number=number, rank=rank)
    if spec.schedules is not None and _rules_of(service) != [
            _rule_key(r) for r in spec.schedules]:
        service.schedules.all().delete()
        for position, rule in enumerate(spec.schedules):
            schedule = Schedule(service=service, position=position, **rule)
            schedule.clean_fields(exclude=["service"])
            schedule.clean()
            schedule.save()
    if spec.contacts is not None and list(
            service.contacts.order_by("pk").values("name", "title", "department", "email")
    ) != [{"name": "", "title": "", "department": "", "email": "", **c} for c in spec.contacts]:
        service.contacts.all().delete()
        for contact in spec.contacts:
            Contact.objects.create(service=service, **contact)
    if spec.locations is not None and sorted(spec.locations) != sorted(
            service.at_locations.values_list("location__name", flat=True)):
        service.at_locations.all().delete()
        for name in spec.locations:
            location, _created = Location.objects.get_or_create(provider=provider, name=name)
            ServiceAtLocation.objects.create(service=service, location=location)
    return service


RULE_FIELDS = ("freq", "interval", "byday", "bymonthday", "opens_at", "closes_at", "valid_from",
               "valid_to", "dtstart", "until", "holidays", "description")
RULE_DEFAULTS = {"freq": "WEEKLY", "interval": 1, "byday": "", "bymonthday": "",
                 "valid_from": None, "valid_to": None, "dtstart": None, "until": None,
                 "holidays": "any", "description": ""}


def _rule_key(rule: dict) -> tuple:
    merged = {**RULE_DEFAULTS, **rule}
    return tuple(merged[f] for f in RULE_FIELDS)


def _rules_of(service: Service) -> list[tuple]:
    return [tuple(r) for r in service.schedules.order_by("position", "opens_at").values_list(
        *RULE_FIELDS)]


def _require_editor(actor) -> None:
    if actor is not None and not selectors.can_edit_directory(actor):
        raise Forbidden(_("Only directory administrators can change the directory."))


def save_service(*, data: dict, actor=None) -> Service:
    """Create or update one service from a plain dict (see :func:`check_service`)."""
    _require_editor(actor)
    spec, errors = check_service(data)
    if errors:
        field_name, reason = errors[0]
        raise ValidationFailed(reason, field=field_name)
    with transaction.atomic():
        service = _write(spec)
        audit.record(action=audit.AuditAction.UPDATE if spec.id else audit.AuditAction.CREATE,
                     obj=service, fields=sorted(spec.values), actor=actor)
    return service


@dataclass
class ImportResult:
    created: int
    updated: int


def import_specs(specs: list[tuple[int, dict]], *, actor, source: str,
                 extra_errors: list[dict] | None = None) -> ImportResult:
    """Check every (row number, data) first; write all or nothing."""
    _require_editor(actor)
    checked: list[ServiceSpec] = []
    errors: list[dict] = list(extra_errors or [])
    seen: dict = {}
    geography = _geography()
    for row, data in specs:
        spec, row_errors = check_service(data, geography)
        errors.extend({"row": row, "field": f, "reason": str(r)} for f, r in row_errors)
        if spec is not None:
            if spec.id and spec.id in seen:
                errors.append({"row": row, "field": "id", "reason": _(
                    "Same id as row %(r)d.") % {"r": seen[spec.id]}})
            seen[spec.id] = row
            checked.append(spec)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e["row"]))
    created = updated = 0
    with transaction.atomic():
        existing = set(Service.objects.filter(
            pk__in=[s.id for s in checked if s.id]).values_list("pk", flat=True))
        for spec in checked:
            if spec.id in existing:
                updated += 1
            else:
                created += 1
            _write(spec)
        audit.record(action=audit.AuditAction.IMPORT, object_type="directory.service",
                     actor=actor, extra={"source": source, "created": created,
                                         "updated": updated})
    return ImportResult(created=created, updated=updated)


def import_csv(*, text: str, actor) -> ImportResult:
    """CSV with the columns of :data:`CSV_COLUMNS` (``,`` or ``;``, UTF-8, BOM allowed)."""
    if not text.lstrip("\ufeff").strip():
        raise ImportRejected([{"row": 1, "field": "", "reason": _("The file is empty.")}])
    table = tabular.read_csv(text, delimiters=",;")
    tabular.check_cells(table)
    header = [h.strip() for h in table[0]]
    missing = [c for c in ("provider", "name") if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if missing or unknown:
        raise ImportRejected(
            [{"row": 1, "field": c, "reason": _("Missing column.")} for c in missing]
            + [{"row": 1, "field": c, "reason": _("Unknown column.")} for c in unknown])
    rows = [(n, values) for n, values in enumerate(table[1:], start=2) if values]
    errors = [{"row": n, "field": "", "reason": _("More cells than columns.")}
              for n, values in rows if len(values) > len(header)]
    if errors:
        raise ImportRejected(errors)
    specs = [(n, dict(zip(header, values + [""] * (len(header) - len(values)), strict=True)))
             for n, values in rows]
    return import_specs(specs, actor=actor, source="csv")


def export_csv(services) -> str:
    return tabular.csv_text(({
        "id": s.pk, "kind": s.kind, "provider": s.provider.name,
        "municipality_code": s.municipality_id or "", "region_code": s.region_id or "",
        "name": s.name, "legal_basis": s.legal_basis, "visitation": s.visitation,
        "audience": s.audience, "target_group": s.target_group, "period": s.period,
        "description": s.description, "effect": s.effect,
        "phones": ", ".join(p.number for p in s.phones.all()), "email": s.email,
        "hours": format_hours(s.schedules.all()), "status": s.status, "rank": s.rank,
    } for s in services), fieldnames=CSV_COLUMNS, lineterminator="\n")


def add_closure(*, service: Service, starts_at, ends_at, reason: str = "", actor=None) -> Closure:
    _require_editor(actor)
    if ends_at <= starts_at:
        raise ValidationFailed(_("The closure must end after it starts."), field="ends_at")
    with transaction.atomic():
        closure = Closure.objects.create(service=service, starts_at=starts_at, ends_at=ends_at,
                                         reason=reason)
        audit.record(action=audit.AuditAction.CREATE, obj=closure,
                     fields=["starts_at", "ends_at", "reason"], actor=actor)
    return closure


def load_seed_003(*, stdout=None) -> int:
    """Write seed 003 (contact table and Bilag 1); idempotent (fixed ids from the keys)."""
    from . import seed_003

    providers = {p["key"]: p for p in seed_003.PROVIDERS}
    specs = []
    for index, record in enumerate(seed_003.LINES + seed_003.OFFERS):
        data = dict(record)
        provider = providers[data.pop("provider")]
        data.update({
            "id": str(seed_uuid(data["key"])), "provider": provider["name"],
            "kind": "line" if record in seed_003.LINES else "offer",
            "municipality_code": str(data.pop("municipality", "") or ""),
            "region_code": str(data.pop("region", "") or ""),
            "rank": str(data.get("rank", 100)), "contacts": data.get("contacts", []),
            "locations": data.get("locations", []), "hours": data.get("hours", ""),
        })
        specs.append((index + 1, data))
    with transaction.atomic():
        for provider in seed_003.PROVIDERS:
            Provider.objects.update_or_create(
                pk=seed_uuid("provider:" + provider["key"]),
                defaults={"name": provider["name"], "email": provider.get("email", ""),
                          "municipality_id": provider.get("municipality"),
                          "region_id": provider.get("region")})
        result = import_specs(specs, actor=None, source="seed 003")
    if stdout is not None:
        stdout.write(f"directory: seed 003 loaded ({result.created} new, "
                     f"{result.updated} updated services)\n")
    return result.created + result.updated
