"""The programme's settings: what the seed leaves open, with its defaults.

Every value can be set in ``settings.py`` (``PROGRAMME_…``); docs/programme.md lists them.
"""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # "Det er for nuværende ikke gældende praksis, at praktiserende læge kan kontakte
    # kommunen": only the hospital refers. Add "gp" to let GPs refer.
    "PROGRAMME_REFERRING_KINDS": ("region", "region_psychiatry", "psychiatric_department"),
    "PROGRAMME_MIN_AGE": 18,
    "PROGRAMME_WEEKS": 4,
    "PROGRAMME_FOLLOWUP_WEEKS": 2,
    "PROGRAMME_ATA_HOURS": 32,
    "PROGRAMME_FOLLOWUP_HOURS": 5,
    # Share of a period's budget at which the case shows a warning.
    "PROGRAMME_HOURS_WARNING_SHARE": 0.8,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
