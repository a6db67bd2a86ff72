"""Operational figures offered by other apps for recommendations.

Any app config may define ``initiative_figures()`` (the default on ``BeredtAppConfig``
returns ``[]``) giving ``{"key", "label", "compute"}`` items; ``compute(*, start, end,
organisation_ids)`` returns the figure (``int`` or ``Decimal``) for the period, counted for
the given organisations (None: everywhere).
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.apps import apps

from beredt.organisations.selectors import descendant_ids

from .periods import Quarter

log = logging.getLogger(__name__)


def available_figures() -> dict[str, dict]:
    """Every figure offered by an installed app, by key (first app wins on a clash)."""
    found: dict[str, dict] = {}
    for config in apps.get_app_configs():
        hook = getattr(config, "initiative_figures", None)
        if not callable(hook):
            continue
        for item in hook() or []:
            if item.get("key") and callable(item.get("compute")):
                found.setdefault(str(item["key"]), item)
    return found


def figure_choices() -> list[tuple[str, str]]:
    return sorted(((key, str(item.get("label") or key)) for key, item in
                   available_figures().items()), key=lambda pair: pair[1])


def figure_for(recommendation, quarter: Quarter, *, figures: dict | None = None) -> dict | None:
    """``{"key", "label", "value"}`` for the quarter (``value`` None when the figure is not
    offered here or could not be computed); None when nothing is linked."""
    key = recommendation.figure_key
    if not key:
        return None
    figures = available_figures() if figures is None else figures
    item = figures.get(key)
    if item is None:
        return {"key": key, "label": key, "value": None}
    org_ids = sorted(descendant_ids([recommendation.initiative.organisation_id]))
    try:
        value = item["compute"](start=quarter.start, end=quarter.end, organisation_ids=org_ids)
    except Exception:  # another app's figure must not take the status page down
        log.exception("initiative figure %s failed", key)
        value = None
    if value is not None and not isinstance(value, int | Decimal):
        value = None
    return {"key": key, "label": str(item.get("label") or key), "value": value}
