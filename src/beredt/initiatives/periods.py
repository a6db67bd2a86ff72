"""Quarters (``2024Q2``) and Danish kroner ("3,4 mio. kr."): parsing and formatting.

Amounts are :class:`~decimal.Decimal` kroner with øre (two places), never floats.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from beredt.core.errors import ValidationFailed

QUARTER_RE = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
MIN_YEAR, MAX_YEAR = 2000, 2100
ORE = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, value: str | Quarter, *, field: str = "quarter") -> Quarter:
        if isinstance(value, Quarter):
            return value
        match = QUARTER_RE.match((value or "").strip())
        if not match or not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR:
            raise ValidationFailed(
                _("Give the quarter as year and quarter, e.g. 2024Q2."),
                code="bad_quarter", field=field,
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the quarter."""
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    @property
    def label(self) -> str:
        return _("Q%(number)s %(year)s") % {"number": self.number, "year": self.year}


def quarter_choices(first_year: int, last_year: int) -> list[tuple[str, str]]:
    return [(str(q), q.label) for year in range(first_year, last_year + 1)
            for q in (Quarter(year, n) for n in range(1, 5))]


def parse_amount(value, *, field: str = "amount") -> Decimal:
    """Kroner with at most two decimals (øre), not negative."""
    try:
        amount = Decimal(str(value).strip().replace(" ", ""))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationFailed(_("Give the amount in kroner, e.g. 1200000 or 99.50."),
                               code="bad_amount", field=field)
    if amount < 0:
        raise ValidationFailed(_("An amount cannot be negative."), code="negative_amount",
                               field=field)
    if amount != amount.quantize(ORE, rounding=ROUND_HALF_UP) or amount > MAX_AMOUNT:
        raise ValidationFailed(_("An amount has at most two decimals (øre) and 12 digits."),
                               code="bad_amount", field=field)
    return amount.quantize(ORE)


def _grouped(whole: int) -> str:
    return f"{whole:,}".replace(",", ".")


def kroner(amount: Decimal | int | None, *, exact: bool = False) -> str:
    """Danish formatting: "3,4 mio. kr.", "100.000 kr.", "1.234,50 kr." (``exact``: always
    every krone and øre, "3.400.000,00 kr.")."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if exact:
        whole, ore = divmod(amount.quantize(ORE), 1)
        return f"{sign}{_grouped(int(whole))},{int(ore * 100):02d} kr."
    if amount >= 500_000 and amount % 10_000 == 0:
        millions = (amount / 1_000_000).quantize(ORE).normalize()
        text = format(millions, "f").replace(".", ",")
        return f"{sign}{text} mio. kr."
    whole, ore = divmod(amount.quantize(ORE), 1)
    if ore:
        return f"{sign}{_grouped(int(whole))},{int(ore * 100):02d} kr."
    return f"{sign}{_grouped(int(whole))} kr."
