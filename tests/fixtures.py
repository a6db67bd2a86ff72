"""Fixture plugin shared by every test area (registered in tests/conftest.py): one way to
open an incident. Areas ask for ``incident`` (a fire in Randers, led by Afd. A and its KOP)
or call ``make_incident(...)`` for their own."""

from __future__ import annotations

import pytest

from beredt.incidents import services as incident_services
from beredt.incidents.models import Incident


@pytest.fixture
def make_incident(request, db):
    """``make_incident(title=…, kind=…, by=…, lead=…, **fields)`` opens an incident through
    the service (so its log, lead assignment and audit rows exist). ``by`` defaults to the
    ``kop`` fixture and ``lead`` to ``orgs.dept_a``, both taken only when needed."""

    def make(*, title: str = "Brand i Randers", kind: str = "fire", municipality_code: int = 730,
             by=None, lead=None, **fields) -> Incident:
        by = by if by is not None else request.getfixturevalue("kop")
        lead = lead if lead is not None else request.getfixturevalue("orgs").dept_a
        incident, _created = incident_services.create_incident(
            by=by, title=title, kind=kind, municipality_code=municipality_code,
            lead_organisation_id=lead.pk, **fields)
        return incident

    return make


@pytest.fixture
def incident(make_incident) -> Incident:
    return make_incident()
