"""Quarters and Danish kroner: parsing, the period of a quarter, formatting."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beredt.core.errors import ValidationFailed
from beredt.initiatives.periods import Quarter, kroner, parse_amount


@pytest.mark.parametrize("text", ["2024Q2", "2024q2", "2024-Q2", " 2024Q2 "])
def test_quarter_forms(text):
    assert Quarter.parse(text) == Quarter(2024, 2)


@pytest.mark.parametrize("text", ["", "2024", "2024Q5", "2024Q0", "Q2 2024", "1999Q1",
                                  "2024Q2x", "24Q2"])
def test_bad_quarter_has_a_code(text):
    with pytest.raises(ValidationFailed) as caught:
        Quarter.parse(text)
    assert caught.value.code == "bad_quarter"


@given(st.integers(2000, 2099), st.integers(1, 4))
def test_quarters_tile_the_year(year, number):
    q = Quarter(year, number)
    assert Quarter.parse(str(q)) == q
    assert q.next().start == q.end + dt.timedelta(days=1)
    assert q.next().previous() == q
    assert Quarter.of(q.start) == q == Quarter.of(q.end)


@pytest.mark.parametrize(("amount", "text"), [
    (Decimal("3400000"), "3,4 mio. kr."),
    (Decimal("3000000"), "3 mio. kr."),
    (Decimal("700000"), "0,7 mio. kr."),
    (Decimal("1250000"), "1,25 mio. kr."),
    (Decimal("100000"), "100.000 kr."),
    (Decimal("1234.5"), "1.234,50 kr."),
    (Decimal("1234567"), "1.234.567 kr."),
    (Decimal("-400000"), "-400.000 kr."),
    (Decimal("0"), "0 kr."),
])
def test_danish_kroner(amount, text):
    assert kroner(amount) == text


def test_exact_kroner_keeps_ore():
    assert kroner(Decimal("3400000.05"), exact=True) == "3.400.000,05 kr."


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2,
                   allow_nan=False, allow_infinity=False))
def test_amounts_are_stored_exactly(amount):
    parsed = parse_amount(str(amount))
    assert parsed == amount
    whole, ore = kroner(parsed, exact=True).removesuffix(" kr.").split(",")
    assert Decimal(whole.replace(".", "") + "." + ore) == amount


@pytest.mark.parametrize(("value", "code"), [("-1", "negative_amount"), ("-0.01",
                         "negative_amount"), ("1.001", "bad_amount"), ("abc", "bad_amount"),
                         ("NaN", "bad_amount"), ("Infinity", "bad_amount"),
                         ("1e20", "bad_amount")])
def test_bad_amounts(value, code):
    with pytest.raises(ValidationFailed) as caught:
        parse_amount(value)
    assert caught.value.code == code
