"""Reading ids and numbers from query strings and form posts without a 500.

``"²".isdigit()`` is true but ``int("²")`` fails; ``int("9" * 30)`` parses but no database
column holds it; ``"abc"`` is no UUID. These helpers answer None for all of them, so a view
treats a malformed parameter like a missing one (or answers 400 itself).
"""

from __future__ import annotations

import uuid

MAX_ID = 2**31 - 1


def int_param(value, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def uuid_param(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value or "").strip())
    except ValueError:
        return None
