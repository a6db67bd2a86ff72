"""Refuse patient identity in free text: a CPR-like number (``DDMMYY-XXXX``, with or
without hyphen or space, the first six digits a plausible day and month)."""

from __future__ import annotations

import re

_CPR_LIKE = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[-\s]?(\d{4})(?!\d)")


def contains_cpr_like(text: str) -> bool:
    for match in _CPR_LIKE.finditer(text or ""):
        day, month = int(match.group(1)), int(match.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return True
    return False
