"""Open Referral HSDS 3.0 export and import.

Export: each service as HSDS's compiled *service* object (organization, phones, schedules,
contacts, service_areas, service_at_locations nested), in the HSDS API's page envelope
(``total_items``, ``page_number``, ``contents`` …). Every object validates against the
published JSON Schema ``compiled_service.json`` (shipped in ``hsds_schema/``).

Beredt's extras travel as HSDS ``attributes`` with ``link_type`` ``beredt:<name>``:
kind, legal_basis, visitation, audience, effect, period, capacity, rank, municipality_code,
region_code on the service, ``beredt:holidays`` (any/skip/only) on a schedule and
``beredt:closed`` on a closure exported as a schedule.

Times: HSDS's ``schedule.timezone`` is a fixed UTC offset, while Denmark changes offset
twice a year. Beredt stores Copenhagen wall-clock times; the export writes the offset that
applies on the export date (``opens_at`` ``"08:00+01:00"``, ``timezone`` 1), and the import
reads the wall-clock part and ignores the offset.

Ad-hoc closures that have not ended by the export date are exported as schedule entries
without opening times, marked ``beredt:closed`` (see :func:`_closure`); the import skips
them.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path

import jsonschema
from django.utils import timezone
from django.utils.translation import gettext as _

from .hours import TZ, parse_byday, parse_monthdays
from .models import Service, format_number
from .services import ImportRejected, import_specs

SCHEMA_DIR = Path(__file__).resolve().parent / "hsds_schema"
ATTR_NS = uuid.UUID("0b1e6f0e-6c39-4a5e-8f3e-5d2a4c1b7e90")
SERVICE_ATTRIBUTES = ("kind", "legal_basis", "visitation", "audience", "effect", "period",
                      "capacity", "rank")


@lru_cache(maxsize=1)
def service_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMA_DIR / "compiled_service.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def schema_errors(obj: dict) -> list[tuple[str, str]]:
    """[(json path, message)] of ``obj`` against HSDS's compiled service schema."""
    return [
        ("/".join(str(p) for p in err.absolute_path) or "(service)", err.message)
        for err in sorted(service_validator().iter_errors(obj), key=lambda e: list(e.path))
    ]


def _attr(link_id, link_entity: str, name: str, value) -> dict:
    return {"id": str(uuid.uuid5(ATTR_NS, f"{link_id}:{name}")), "link_id": str(link_id),
            "link_entity": link_entity, "link_type": f"beredt:{name}", "value": str(value)}


def _offset(day: date) -> tuple[str, float]:
    seconds = datetime.combine(day, time(12), tzinfo=TZ).utcoffset().total_seconds()
    hours, minutes = divmod(int(seconds) // 60, 60)
    return f"{'+' if seconds >= 0 else '-'}{hours:02d}:{minutes:02d}", seconds / 3600


def service_to_hsds(service: Service, *, on: date | None = None) -> dict:
    on = on or timezone.localdate()
    suffix, tz_hours = _offset(on)
    sid = str(service.pk)
    provider = service.provider
    attributes = [_attr(sid, "service", n, getattr(service, n))
                  for n in SERVICE_ATTRIBUTES if getattr(service, n) not in ("", None)]
    areas = []
    if service.municipality_id:
        attributes.append(_attr(sid, "service", "municipality_code",
                                f"{service.municipality_id:04d}"))
        areas.append({"id": str(uuid.uuid5(ATTR_NS, f"{sid}:area")), "service_id": sid,
                      "name": str(service.municipality), "extent_type": "municipality",
                      "description": _("Municipality code %(c)04d") % {
                          "c": service.municipality_id}})
    elif service.region_id:
        areas.append({"id": str(uuid.uuid5(ATTR_NS, f"{sid}:area")), "service_id": sid,
                      "name": service.region.name, "extent_type": "region",
                      "description": _("Region code %(c)d") % {"c": service.region_id}})
    if service.region_id:
        attributes.append(_attr(sid, "service", "region_code", service.region_id))
    data = {
        "id": sid, "organization_id": str(provider.pk), "name": service.name,
        "alternate_name": service.alternate_name, "description": service.description,
        "email": service.email, "status": service.status,
        "eligibility_description": service.target_group,
        "last_modified": service.updated_at.isoformat().replace("+00:00", "Z"),
        "organization": {"id": str(provider.pk), "name": provider.name,
                         "description": provider.description or provider.name,
                         **({"email": provider.email} if provider.email else {}),
                         **({"website": provider.website} if provider.website else {})},
        "phones": [{"id": str(p.pk), "service_id": sid, "number": format_number(p.number),
                    "type": p.type, "description": p.description}
                   for p in service.phones.all()],
        "schedules": [_schedule(s, sid, suffix, tz_hours) for s in service.schedules.all()]
        + [_closure(c, sid, tz_hours) for c in service.closures.all()
           if c.ends_at.astimezone(TZ).date() >= on],
        "contacts": [{"id": str(c.pk), "service_id": sid, "name": c.name, "title": c.title,
                      "department": c.department, **({"email": c.email} if c.email else {})}
                     for c in service.contacts.all()],
        "service_areas": areas,
        "service_at_locations": [
            {"id": str(sal.pk), "service_id": sid, "location_id": str(sal.location_id),
             "description": sal.description,
             "location": {"id": str(sal.location_id), "location_type": "physical",
                          "organization_id": str(provider.pk), "name": sal.location.name}}
            for sal in service.at_locations.all()
        ],
        "attributes": attributes,
    }
    if service.url:
        data["url"] = service.url
    if not data["email"]:
        del data["email"]
    return data


def _schedule(s, sid: str, suffix: str, tz_hours: float) -> dict:
    out = {
        "id": str(s.pk), "service_id": sid, "freq": s.freq, "interval": s.interval,
        "opens_at": f"{s.opens_at:%H:%M}{suffix}", "closes_at": f"{s.closes_at:%H:%M}{suffix}",
        "timezone": tz_hours, "description": s.description,
        "attributes": [_attr(s.pk, "schedule", "holidays", s.holidays)],
    }
    for name in ("byday", "bymonthday"):
        if getattr(s, name):
            out[name] = getattr(s, name)
    for name in ("valid_from", "valid_to", "dtstart", "until"):
        if getattr(s, name):
            out[name] = getattr(s, name).isoformat()
    return out


def _closure(closure, sid: str, tz_hours: float) -> dict:
    """An ad-hoc closure as an HSDS schedule entry: HSDS 3.0 has no closed flag, so it has
    no ``freq`` or opening times (nothing opens), the local dates in
    ``valid_from``/``valid_to``, the exact moments with their UTC offsets in the
    ``beredt:closed`` attribute (an ISO 8601 interval) and in words in ``description``."""
    starts, ends = closure.starts_at.astimezone(TZ), closure.ends_at.astimezone(TZ)
    schedule_id = uuid.uuid5(ATTR_NS, f"{sid}:closure:{closure.pk}")
    text = _("Temporarily closed from %(starts)s to %(ends)s.") % {
        "starts": f"{starts:%d.%m.%Y %H:%M}", "ends": f"{ends:%d.%m.%Y %H:%M}"}
    return {
        "id": str(schedule_id), "service_id": sid, "valid_from": starts.date().isoformat(),
        "valid_to": ends.date().isoformat(), "timezone": tz_hours,
        "description": f"{text} {closure.reason}".strip(), "notes": closure.reason,
        "attributes": [_attr(schedule_id, "schedule", "closed",
                             f"{starts.isoformat()}/{ends.isoformat()}")],
    }


def export_page(services, *, page: int = 1, size: int = 100, total: int | None = None,
                on: date | None = None) -> dict:
    """HSDS API page envelope around ``services`` (already sliced to the page)."""
    contents = [service_to_hsds(s, on=on) for s in services]
    total = len(contents) if total is None else total
    pages = max(1, -(-total // size))
    return {"total_items": total, "total_pages": pages, "page_number": page, "size": size,
            "first_page": page == 1, "last_page": page >= pages, "empty": not contents,
            "contents": contents}


# --- Import ------------------------------------------------------------------------------
def _attributes(obj: dict) -> dict[str, str]:
    return {a["link_type"][7:]: a.get("value", "") for a in obj.get("attributes") or []
            if str(a.get("link_type", "")).startswith("beredt:")}


def _wall_time(text: str) -> time:
    return time.fromisoformat(text[:5])


def _schedule_from_hsds(s: dict) -> dict:
    freq = s.get("freq") or "WEEKLY"
    parse_byday(s.get("byday") or "", monthly=freq == "MONTHLY")
    parse_monthdays(s.get("bymonthday") or "")
    if not s.get("opens_at") or not s.get("closes_at"):
        raise ValueError("opens_at and closes_at are required")
    holidays = _attributes(s).get("holidays", "any")
    if holidays not in ("any", "skip", "only"):
        raise ValueError(f"beredt:holidays {holidays!r}: use any, skip or only")
    rule = {"freq": freq, "interval": int(s.get("interval") or 1),
            "byday": s.get("byday") or "", "bymonthday": s.get("bymonthday") or "",
            "opens_at": _wall_time(s["opens_at"]), "closes_at": _wall_time(s["closes_at"]),
            "holidays": holidays, "description": (s.get("description") or "")[:300]}
    for name in ("valid_from", "valid_to", "dtstart", "until"):
        rule[name] = date.fromisoformat(s[name]) if s.get(name) else None
    return rule


def service_from_hsds(obj: dict) -> tuple[dict, list[tuple[str, str]]]:
    """An HSDS service object → the plain dict :func:`services.check_service` takes.
    Closures (schedules with ``beredt:closed``) are not imported: the closures API
    manages them."""
    errors: list[tuple[str, str]] = []
    attrs = _attributes(obj)
    schedules = []
    for i, s in enumerate(obj.get("schedules") or []):
        if "closed" in _attributes(s):
            continue
        try:
            schedules.append(_schedule_from_hsds(s))
        except ValueError as exc:
            errors.append((f"schedules/{i}", str(exc)))
    organization = obj.get("organization") or {}
    municipality = attrs.get("municipality_code", "").lstrip("0")
    data = {
        "id": obj.get("id"), "name": obj.get("name"), "alternate_name": obj.get("alternate_name"),
        "description": obj.get("description"), "email": obj.get("email"),
        "url": obj.get("url"), "status": obj.get("status"),
        "target_group": obj.get("eligibility_description"),
        "provider": organization.get("name") or "",
        "municipality_code": municipality, "region_code": attrs.get("region_code", ""),
        "phones": [p.get("number", "") for p in obj.get("phones") or []],
        "schedules": schedules,
        "contacts": [{k: c.get(k) or "" for k in ("name", "title", "department", "email")}
                     for c in obj.get("contacts") or []],
        "locations": [(sal.get("location") or {}).get("name") or ""
                      for sal in obj.get("service_at_locations") or []
                      if (sal.get("location") or {}).get("name")],
        **{k: attrs[k] for k in SERVICE_ATTRIBUTES if k in attrs},
    }
    return data, errors


def import_hsds(*, payload, actor):
    """Import HSDS services (a page envelope with ``contents`` or a plain list)."""
    items = payload.get("contents") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        raise ImportRejected([{"row": 0, "field": "contents",
                               "reason": _("Expected a list of HSDS services.")}])
    specs, errors = [], []
    for number, obj in enumerate(items, start=1):
        if not isinstance(obj, dict):
            errors.append({"row": number, "field": "", "reason": _("Not an object.")})
            continue
        problems = schema_errors(obj)
        if not problems:
            data, problems = service_from_hsds(obj)
            specs.append((number, data))
        errors.extend({"row": number, "field": f, "reason": r} for f, r in problems)
    return import_specs(specs, actor=actor, source="hsds", extra_errors=errors)
