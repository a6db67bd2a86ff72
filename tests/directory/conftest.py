import copy
from datetime import datetime

import pytest

from beredt.directory.hours import TZ
from beredt.directory.models import (
    Contact,
    Location,
    Phone,
    Provider,
    Schedule,
    Service,
    ServiceAtLocation,
)
from beredt.directory.services import load_seed_003, seed_uuid

SEED_MODELS = (Provider, Service, Location, ServiceAtLocation, Phone, Contact, Schedule)
_snapshot: dict = {}


@pytest.fixture
def seeded(db):
    """Seed 003 (contact table and Bilag 1) as ``beredt loaddemo`` loads it.

    The first test loads it through the real loader; later tests insert the same rows in
    bulk (without history rows), which keeps the suite fast. Tests about history use
    ``seeded_with_history``.
    """
    if not _snapshot:
        load_seed_003()
        _snapshot.update({m: list(m.objects.all()) for m in SEED_MODELS})
        return
    for model in SEED_MODELS:
        model.objects.bulk_create([copy.copy(obj) for obj in _snapshot[model]])


@pytest.fixture
def seeded_with_history(db):
    load_seed_003()


def cph(*args) -> datetime:
    """A Copenhagen wall-clock moment: cph(2026, 12, 31, 23, 30)."""
    return datetime(*args, tzinfo=TZ)


def line(result, key: str):
    """The LineStatus of seed line ``key`` in an OpenNow result, wherever it is grouped."""
    wanted = str(seed_uuid(key))
    for group in (result.open, result.region, result.closed):
        for status in group:
            if status.service_id == wanted:
                return status
    raise AssertionError(f"{key} not in the result")
