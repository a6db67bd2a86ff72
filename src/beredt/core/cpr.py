"""CPR numbers (Det Centrale Personregister), the Danish personal identity number.

``DDMMYY-SSSS``: birth date, then a serial whose 7th digit with the year gives the century
and whose last digit gives legal sex (odd: male, even: female). Validation is python-stdnum's
``stdnum.dk.cpr`` (length, a real date, not in the future); the modulus-11 check was
abandoned in 2007 and is not applied. A CPR number is never logged, never put in a URL and
is shown masked (``010190-****``) unless a user reveals it with a reason (audited).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError

from .errors import ValidationFailed

HASH_PURPOSE = "cpr"


@dataclass(frozen=True)
class Cpr:
    compact: str  # ten digits

    @property
    def birth_date(self) -> dt.date:
        return stdnum_cpr.get_birth_date(self.compact)

    @property
    def sex(self) -> str:
        """``"M"`` or ``"F"`` (legal sex as encoded in the number)."""
        return "M" if int(self.compact[-1]) % 2 else "F"

    @property
    def masked(self) -> str:
        return mask(self.compact)

    @property
    def formatted(self) -> str:
        return f"{self.compact[:6]}-{self.compact[6:]}"


def parse(value: str, *, field: str = "cpr") -> Cpr:
    """Validate and normalise; raise :class:`ValidationFailed` naming ``field``."""
    raw = (value or "").strip()
    try:
        if not raw:
            raise InvalidLength()
        compact = stdnum_cpr.validate(raw)
    except InvalidLength:
        msg = _("A CPR number has 10 digits (DDMMYY-XXXX).")
    except InvalidFormat:
        msg = _("A CPR number may only contain digits and one hyphen (DDMMYY-XXXX).")
    except InvalidComponent:
        msg = _("The CPR number does not contain a valid birth date.")
    except ValidationError:
        msg = _("The CPR number is not valid.")
    else:
        return Cpr(compact)
    raise ValidationFailed(msg, code="invalid_cpr", field=field)


def mask(compact: str | None) -> str:
    if not compact:
        return ""
    digits = stdnum_cpr.compact(compact)
    return f"{digits[:6]}-****"


def lookup_hash(value: Cpr | str) -> str:
    from .crypto import keyed_hash

    compact = value.compact if isinstance(value, Cpr) else stdnum_cpr.compact(value)
    return keyed_hash(compact, purpose=HASH_PURPOSE)
