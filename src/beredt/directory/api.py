"""Directory API under /api/v1/directory/. Reads are public (no personal data); imports,
CSV export and closures need a directory administrator."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from beredt.core import audit
from beredt.core.api import json_body
from beredt.core.errors import DomainError, Forbidden, NotFound

from . import hsds, selectors, services
from .hours import format_hours, local
from .models import format_number

router = Router(tags=["directory"])


class LineOut(Schema):
    service_id: str
    name: str
    provider: str
    phone: str
    phone_number: str
    visitation: str
    audience: str
    legal_basis: str
    hours: str
    scope: str
    is_open: bool
    always_open: bool
    open_until: str | None
    next_open: str | None


class MunicipalityRef(Schema):
    code: int
    name: str


class OpenNowOut(Schema):
    municipality: MunicipalityRef
    at: str
    audience: str
    open: list[LineOut]
    region: list[LineOut]
    closed: list[LineOut]


class ServiceOut(Schema):
    id: UUID
    kind: str
    name: str
    provider: str
    municipality_code: int | None
    region_code: int | None
    legal_basis: str
    visitation: str
    audience: str
    target_group: str
    period: str
    description: str
    effect: str
    phones: list[str]
    email: str
    hours: str
    status: str
    source_note: str

    @staticmethod
    def resolve_provider(obj) -> str:
        return obj.provider.name

    @staticmethod
    def resolve_municipality_code(obj) -> int | None:
        return obj.municipality_id

    @staticmethod
    def resolve_region_code(obj) -> int | None:
        return obj.region_id

    @staticmethod
    def resolve_phones(obj) -> list[str]:
        return [format_number(p.number) for p in obj.phones.all()]

    @staticmethod
    def resolve_hours(obj) -> str:
        return format_hours(obj.schedules.all())


class ClosureIn(Schema):
    starts_at: datetime
    ends_at: datetime
    reason: str = ""


class ClosureOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    reason: str


class ImportOut(Schema):
    created: int
    updated: int


def parse_moment(value: str | None) -> datetime | None:
    """ISO 8601 → aware datetime (no offset: Europe/Copenhagen). Empty → None (now)."""
    if value in (None, ""):
        return None
    try:
        return local(datetime.fromisoformat(value.strip().replace(" ", "+")))
    except ValueError:
        raise DomainError(
            _("Cannot read the time %(v)s: use ISO 8601, e.g. 2026-12-31T23:30 or "
              "2026-12-31T23:30:00+01:00.") % {"v": value},
            code="invalid_time", field="at",
        ) from None


def _require_editor(request) -> None:
    if not selectors.can_edit_directory(request.auth):
        raise Forbidden(_("Only directory administrators can do this."))


@router.get("/open-now", response=OpenNowOut, auth=None,
            summary="Who answers now for a municipality (open lines, region lines, closed)")
def open_now(request, municipality: str = "", at: str | None = None,
             audience: str | None = None):
    if not municipality:
        raise DomainError(_("Give the municipality code, e.g. municipality=730."),
                          code="missing_municipality", field="municipality")
    result = selectors.open_now(municipality, parse_moment(at), audience or None)
    return result.as_dict()


@router.get("/services", response=list[ServiceOut], auth=None,
            summary="Search and filter offers and lines")
@paginate(PageNumberPagination, page_size=50)
def list_services(request, municipality: str | None = None, q: str | None = None,
                  visitation: str | None = None, legal_basis: str | None = None,
                  kind: str | None = None, audience: str | None = None):
    qs = selectors.search_services(municipality=municipality, q=q, visitation=visitation,
                                   legal_basis=legal_basis, kind=kind, audience=audience)
    return qs


@router.get("/services/{service_id}", response=ServiceOut, auth=None, summary="One service")
def get_service(request, service_id: UUID):
    found = selectors.service(service_id)
    if found is None:
        raise NotFound()
    return found


@router.post("/services/{service_id}/closures", response={201: ClosureOut},
             summary="Close a service for a while (ad-hoc closure)")
def add_closure(request, service_id: UUID, payload: ClosureIn):
    _require_editor(request)
    found = selectors.service(service_id)
    if found is None:
        raise NotFound()
    closure = services.add_closure(service=found, starts_at=local(payload.starts_at),
                                   ends_at=local(payload.ends_at), reason=payload.reason,
                                   actor=request.auth)
    return Status(201, closure)


@router.get("/hsds", auth=None, summary="HSDS 3.0 export (page of compiled service objects)")
def hsds_export(request, page: int = 1, per_page: int = 100, municipality: str | None = None):
    per_page = min(max(per_page, 1), 500)
    page = max(page, 1)
    qs = selectors.services_for_hsds(municipality=municipality)
    total = qs.count()
    chunk = list(qs[(page - 1) * per_page: page * per_page])
    return hsds.export_page(chunk, page=page, size=per_page, total=total)


@router.post("/hsds", response=ImportOut, summary="Import HSDS services (all or nothing)")
def hsds_import(request):
    _require_editor(request)
    result = hsds.import_hsds(payload=json_body(request), actor=request.auth)
    return {"created": result.created, "updated": result.updated}


@router.get("/csv", url_name="directory_csv_export",
            summary="CSV export of the catalogue (administrators)")
def csv_export(request, municipality: str | None = None):
    _require_editor(request)
    qs = selectors.search_services(municipality=municipality)
    body = services.export_csv(qs)
    audit.record(action=audit.AuditAction.EXPORT, object_type="directory.service",
                 actor=request.auth, extra={"format": "csv", "rows": qs.count()})
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="beredt-directory.csv"'
    return response


@router.post("/csv", response=ImportOut,
             summary="CSV import (text/csv body; all or nothing, per-row errors)")
def csv_import(request):
    _require_editor(request)
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise DomainError(_("The file is not UTF-8 text."), code="invalid_encoding") from None
    result = services.import_csv(text=text, actor=request.auth)
    return {"created": result.created, "updated": result.updated}
