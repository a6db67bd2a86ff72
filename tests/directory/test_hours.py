"""The opening-hours engine without the database: notation, rules, closures, merging."""

from datetime import UTC, date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beredt.directory.hours import (
    Rule,
    Timetable,
    format_hours,
    line_state,
    parse_byday,
    parse_hours,
)

from .conftest import cph


def rules(text: str) -> list[Rule]:
    return [Rule.from_row(r) for r in parse_hours(text)]


def test_notation_round_trips():
    text = ("MO-FR 15:00-22:00 -holidays; SA,SU 08:00-22:00; holidays 08:00-22:00; "
            "daily 22:00-08:00; TU 10:00-11:30 (telefon); MO,WE,FR 09:00-15:00")
    assert format_hours(parse_hours(text)) == text


@pytest.mark.parametrize("bad", ["XX 08:00-10:00", "MO 25:00-26:00", "MO-FR 8-15",
                                 "FR-MO 08:00-10:00", "MO 08:00"])
def test_notation_rejects_nonsense(bad):
    with pytest.raises(ValueError):
        parse_hours(bad)


def test_occurrence_numbers_need_monthly():
    with pytest.raises(ValueError):
        parse_byday("2MO")
    assert parse_byday("2MO,-1FR", monthly=True) == ((2, 0), (-1, 4))


def test_24_hour_line_is_open_around_the_clock():
    state = line_state(rules("daily 00:00-23:59"), cph(2026, 11, 17, 3, 0))
    assert state.is_open and state.always_open and state.open_until is None


def test_touching_spans_merge():
    state = line_state(rules("MO 08:00-12:00; MO 12:00-16:00"), cph(2026, 11, 16, 9, 0))
    assert state.open_until == cph(2026, 11, 16, 16, 0)


def test_monthly_second_monday_and_last_friday():
    monthly = [Rule(opens_at=time(9), closes_at=time(11), freq="MONTHLY",
                    byday=parse_byday("2MO,-1FR", monthly=True))]
    assert line_state(monthly, cph(2026, 11, 9, 10, 0)).is_open  # 2nd Monday
    assert not line_state(monthly, cph(2026, 11, 16, 10, 0)).is_open  # 3rd Monday
    assert line_state(monthly, cph(2026, 11, 27, 10, 0)).is_open  # last Friday
    assert line_state(monthly, cph(2026, 11, 16, 10, 0)).next_open == cph(2026, 11, 27, 9, 0)


def test_fortnightly_rule_with_interval():
    rule = Rule(opens_at=time(9), closes_at=time(10), byday=parse_byday("MO"), interval=2,
                dtstart=date(2026, 11, 2))
    assert line_state([rule], cph(2026, 11, 16, 9, 30)).is_open
    assert not line_state([rule], cph(2026, 11, 9, 9, 30)).is_open


def test_valid_period_limits_the_rule():
    rule = Rule(opens_at=time(9), closes_at=time(17), valid_from=date(2026, 12, 1),
                valid_to=date(2026, 12, 31))
    assert not line_state([rule], cph(2026, 11, 30, 10, 0)).is_open
    assert line_state([rule], cph(2026, 12, 1, 10, 0)).is_open
    assert line_state([rule], cph(2026, 11, 30, 10, 0)).next_open == cph(2026, 12, 1, 9, 0)


def test_ad_hoc_closure_cuts_the_span_and_moves_next_open():
    daily = rules("daily 08:00-22:00")
    closure = (cph(2026, 11, 17, 12, 0).astimezone(UTC), cph(2026, 11, 17, 14, 0).astimezone(UTC))
    before = line_state(daily, cph(2026, 11, 17, 10, 0), [closure])
    assert before.is_open and before.open_until == cph(2026, 11, 17, 12, 0)
    during = line_state(daily, cph(2026, 11, 17, 13, 0), [closure])
    assert not during.is_open and during.next_open == cph(2026, 11, 17, 14, 0)


def test_nothing_within_the_lookahead():
    state = line_state([], cph(2026, 11, 17, 10, 0))
    assert not state.is_open and state.next_open is None


def test_next_open_beyond_two_days():
    rule = rules("WE 09:00-10:00")
    state = line_state(rule, cph(2026, 11, 19, 11, 0))  # Thursday → next Wednesday
    assert state.next_open == cph(2026, 11, 25, 9, 0)
    assert state.next_open - cph(2026, 11, 19, 11, 0) > timedelta(days=2)


SEED_LIKE_HOURS = [
    "MO-FR 15:00-22:00 -holidays; SA,SU 08:00-22:00; holidays 08:00-22:00",
    "daily 22:00-08:00",
    "daily 00:00-23:59",
    "MO,TU 08:30-15:00 -holidays; TH 08:30-17:00 -holidays; FR 08:30-12:00 -holidays",
    "WE 09:00-10:00",
]
CLOSURE = (cph(2026, 12, 24, 18, 0).astimezone(UTC), cph(2026, 12, 26, 9, 0).astimezone(UTC))


@settings(max_examples=100, deadline=None)
@given(hours=st.sampled_from(SEED_LIKE_HOURS), closed=st.booleans(), day=st.integers(0, 75),
       steps=st.lists(st.integers(-36 * 60, 36 * 60), min_size=1, max_size=12))
def test_a_timetable_remembers_only_answers_that_still_hold(hours, closed, day, steps):
    """The memo is invisible: moments moving forward and back (across the autumn DST
    change, Christmas and a closure) get the answers a fresh evaluation gives."""
    closures = [CLOSURE] if closed else []
    timetable = Timetable(rules(hours), closures)
    at = cph(2026, 10, 20, 0, 0).astimezone(UTC) + timedelta(days=day)
    for minutes in steps:
        at += timedelta(minutes=minutes)
        assert timetable.state(at) == Timetable(rules(hours), closures).state(at), at
