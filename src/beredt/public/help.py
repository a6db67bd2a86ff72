"""Where to get help in a municipality, read from the directory app.

The directory owns the lines, offers and opening hours (``directory.selectors``); this
module only arranges them for the public pages and the printable leaflet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from beredt.core.errors import DomainError
from beredt.directory import selectors as directory


@dataclass
class HelpLine:
    name: str
    provider: str
    phone: str
    phone_number: str
    hours: str
    is_open: bool
    always_open: bool


@dataclass
class MunicipalityHelp:
    code: int
    name: str
    open_now: list[HelpLine] = field(default_factory=list)
    closed_now: list[HelpLine] = field(default_factory=list)
    offers: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.open_now or self.closed_now or self.offers)


def _line(status) -> HelpLine:
    return HelpLine(name=status.name, provider=status.provider, phone=status.phone,
                    phone_number=status.phone_number, hours=status.period,
                    is_open=status.is_open, always_open=status.always_open)


def municipality_help(code: int, at: datetime | None = None) -> MunicipalityHelp | None:
    """Lines answering now (municipality first, then the region's), the others with their
    hours, and the open offers (no referral needed) for citizens. None: unknown code."""
    try:
        now = directory.open_now(code, at=at, audience="citizen")
    except DomainError:
        return None
    result = MunicipalityHelp(code=now.municipality.pk, name=now.municipality.name)
    result.open_now = [_line(s) for s in [*now.open, *now.region]]
    result.closed_now = [_line(s) for s in now.closed]
    offers = directory.search_services(municipality=code, kind="offer", audience="citizen")
    for service in offers.exclude(visitation="visiteret")[:20]:
        phones = [p.display for p in service.phones.all()]
        result.offers.append({"name": service.name, "provider": service.provider.name,
                              "phone": phones[0] if phones else "", "hours": service.period,
                              "url": service.url})
    return result


def contact_lines(code: int) -> tuple[str, list[tuple[str, str, str]]] | None:
    """``(municipality name, [(name, phone, hours)])`` for the printed material."""
    try:
        sheet = directory.contact_sheet(code)
    except DomainError:
        return None
    rows = []
    for line in [*sheet.lines, *sheet.region_lines]:
        phone = line.phones[0].display if line.phones else ""
        rows.append((line.service.name, phone, line.hours))
    return sheet.municipality.name, rows
