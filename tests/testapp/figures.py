"""A figure source for the budget initiatives' ``initiative_figures`` hook, test-only.

Tests put ``(date, organisation_id)`` events in ``EVENTS``; the figure counts those in the
period for the given organisations.
"""

import datetime as dt

EVENTS: list[tuple[dt.date, int]] = []


def count_events(*, start: dt.date, end: dt.date, organisation_ids: list[int] | None) -> int:
    return sum(1 for day, org in EVENTS if start <= day <= end
               and (organisation_ids is None or org in organisation_ids))


FIGURES = [{"key": "testapp.events", "label": "Test events", "compute": count_events}]
