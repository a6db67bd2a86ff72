"""Known answers from seed 003's contact table, through ``selectors.open_now``."""

from datetime import UTC, timedelta

import pytest

from beredt.directory import selectors
from beredt.directory.hours import TZ

from .conftest import cph, line

SYDDJURS, NORDDJURS, FAVRSKOV, RANDERS = 706, 707, 710, 730
pytestmark = pytest.mark.usefixtures("seeded")


@pytest.mark.parametrize("day", range(16, 23))  # Mon 16 – Sun 22 November 2026
def test_syddjurs_acute_line_answers_12_to_22_every_day(day):
    assert not line(selectors.open_now(SYDDJURS, cph(2026, 11, day, 11, 59)),
                    "syddjurs-akut").is_open
    noon = line(selectors.open_now(SYDDJURS, cph(2026, 11, day, 12, 0)), "syddjurs-akut")
    assert noon.is_open and noon.open_until == cph(2026, 11, day, 22, 0)
    assert noon.phone == "5135 6476"
    late = line(selectors.open_now(SYDDJURS, cph(2026, 11, day, 22, 0)), "syddjurs-akut")
    assert not late.is_open
    assert late.next_open == cph(2026, 11, day, 12, 0) + timedelta(days=1)


@pytest.mark.parametrize("day", range(16, 23))
def test_randers_night_line_answers_22_to_08_every_day(day):
    evening = line(selectors.open_now(RANDERS, cph(2026, 11, day, 23, 0)), "randers-nat")
    assert evening.is_open and evening.phone == "2490 0911"
    assert evening.open_until == cph(2026, 11, day, 8, 0) + timedelta(days=1)
    morning = line(selectors.open_now(RANDERS, cph(2026, 11, day, 7, 59)), "randers-nat")
    assert morning.is_open
    closed = line(selectors.open_now(RANDERS, cph(2026, 11, day, 8, 0)), "randers-nat")
    assert not closed.is_open and closed.next_open == cph(2026, 11, day, 22, 0)


def test_randers_evening_line_15_to_22_on_weekdays_8_to_22_at_weekends():
    wednesday, saturday = 18, 21
    assert not line(selectors.open_now(RANDERS, cph(2026, 11, wednesday, 14, 59)),
                    "randers-aften").is_open
    weekday = line(selectors.open_now(RANDERS, cph(2026, 11, wednesday, 15, 0)), "randers-aften")
    assert weekday.is_open and weekday.open_until == cph(2026, 11, wednesday, 22, 0)
    assert weekday.phone == "2490 0783"
    weekend = line(selectors.open_now(RANDERS, cph(2026, 11, saturday, 8, 0)), "randers-aften")
    assert weekend.is_open and weekend.open_until == cph(2026, 11, saturday, 22, 0)
    friday_morning = line(selectors.open_now(RANDERS, cph(2026, 11, 20, 9, 0)), "randers-aften")
    assert not friday_morning.is_open
    assert friday_morning.next_open == cph(2026, 11, 20, 15, 0)


def test_favrskov_day_line_answers_thursday_14_to_18():
    thursday = 19
    assert not line(selectors.open_now(FAVRSKOV, cph(2026, 11, thursday, 10, 0)),
                    "favrskov-dag").is_open
    at_two = line(selectors.open_now(FAVRSKOV, cph(2026, 11, thursday, 14, 0)), "favrskov-dag")
    assert at_two.is_open and at_two.open_until == cph(2026, 11, thursday, 18, 0)
    after = line(selectors.open_now(FAVRSKOV, cph(2026, 11, thursday, 18, 0)), "favrskov-dag")
    assert after.next_open == cph(2026, 11, 20, 9, 0)  # Friday 9–12


def test_norddjurs_day_line_only_monday_to_friday_9_to_10():
    for day in range(16, 21):
        status = line(selectors.open_now(NORDDJURS, cph(2026, 11, day, 9, 30)), "norddjurs-dag")
        assert status.is_open and status.open_until == cph(2026, 11, day, 10, 0)
    saturday = line(selectors.open_now(NORDDJURS, cph(2026, 11, 21, 9, 30)), "norddjurs-dag")
    assert not saturday.is_open and saturday.next_open == cph(2026, 11, 23, 9, 0)
    assert not line(selectors.open_now(NORDDJURS, cph(2026, 11, 16, 10, 0)),
                    "norddjurs-dag").is_open


def test_syddjurs_day_line_is_closed_on_wednesdays():
    wednesday = line(selectors.open_now(SYDDJURS, cph(2026, 11, 18, 10, 0)), "syddjurs-dag")
    assert not wednesday.is_open and wednesday.next_open == cph(2026, 11, 19, 8, 30)
    tuesday = line(selectors.open_now(SYDDJURS, cph(2026, 11, 17, 10, 0)), "syddjurs-dag")
    assert tuesday.is_open and tuesday.open_until == cph(2026, 11, 17, 15, 0)


def test_public_holiday_closes_weekday_lines_and_opens_the_holiday_hours():
    christmas_day = cph(2026, 12, 25, 10, 0)  # Juledag, a Friday
    randers = selectors.open_now(RANDERS, christmas_day)
    day_line = line(randers, "randers-dag")
    assert not day_line.is_open
    assert day_line.next_open == cph(2026, 12, 28, 8, 0)  # Monday; 26 Dec is a holiday too
    evening = line(randers, "randers-aften")
    assert evening.is_open and evening.open_until == cph(2026, 12, 25, 22, 0)
    # An ordinary Friday at 10:00 the evening line is closed.
    assert not line(selectors.open_now(RANDERS, cph(2026, 12, 18, 10, 0)), "randers-aften").is_open
    # Skærtorsdag (Thursday 2 April 2026): Norddjurs' day line does not answer.
    assert not line(selectors.open_now(NORDDJURS, cph(2026, 4, 2, 9, 30)),
                    "norddjurs-dag").is_open


def test_new_years_eve_span_crosses_midnight_into_a_holiday():
    result = selectors.open_now(RANDERS, cph(2026, 12, 31, 23, 30))
    night = line(result, "randers-nat")
    assert night.is_open and night.open_until == cph(2027, 1, 1, 8, 0)
    # 1 January is Nytårsdag: the weekday day line stays shut (Friday), evening line 8–22.
    new_year = selectors.open_now(RANDERS, cph(2027, 1, 1, 9, 0))
    assert not line(new_year, "randers-dag").is_open
    assert line(new_year, "randers-dag").next_open == cph(2027, 1, 4, 8, 0)
    assert line(new_year, "randers-aften").is_open


def test_spring_dst_change_shortens_the_night():
    # 29 March 2026 02:00 CET → 03:00 CEST.
    at = cph(2026, 3, 29, 1, 30)
    night = line(selectors.open_now(RANDERS, at), "randers-nat")
    assert night.is_open
    assert night.open_until == cph(2026, 3, 29, 8, 0)
    assert night.open_until.utcoffset() == timedelta(hours=2)
    # Real elapsed time (in UTC; Python subtracts same-zone datetimes by wall clock).
    assert night.open_until.astimezone(UTC) - at.astimezone(UTC) == timedelta(hours=5, minutes=30)


def test_autumn_dst_change_lengthens_the_night():
    # 25 October 2026 03:00 CEST → 02:00 CET; 02:30 happens twice.
    second_half_past_two = cph(2026, 10, 25, 2, 30).replace(fold=1)
    night = line(selectors.open_now(RANDERS, second_half_past_two), "randers-nat")
    assert night.is_open and night.open_until == cph(2026, 10, 25, 8, 0)
    until_utc = night.open_until.astimezone(UTC)
    assert until_utc - second_half_past_two.astimezone(UTC) == timedelta(hours=5, minutes=30)
    assert until_utc - cph(2026, 10, 24, 22, 0).astimezone(UTC) == timedelta(hours=11)


def test_grouping_open_then_region_then_closed():
    result = selectors.open_now(SYDDJURS, cph(2026, 11, 17, 13, 0), "citizen")
    assert [s.name for s in result.open] == ["Syddjurs Kommune, dagtid",
                                             "Syddjurs Kommune, akuttelefonen"]
    assert [s.phone for s in result.region] == ["7847 0470"]  # the patients' line only
    assert all(s.always_open for s in result.region)
    assert result.closed == []
    # Randers' lines do not appear for Syddjurs.
    assert not any("Randers" in s.name for s in result.open + result.closed)


def test_professional_audience_gets_the_gp_line():
    result = selectors.open_now(SYDDJURS, cph(2026, 11, 17, 3, 0), "professional")
    assert [s.phone for s in result.region] == ["7847 5352"]
    closed = [s.name for s in result.closed]
    assert closed == ["Syddjurs Kommune, dagtid", "Syddjurs Kommune, akuttelefonen"]
    # Closed lines come nearest opening first: day line 8:30 before acute line 12:00.
    assert result.closed[0].next_open.astimezone(TZ).hour == 8


def test_municipality_without_lines_still_gets_the_region(db, seeded):
    aarhus = selectors.open_now(751, cph(2026, 11, 17, 3, 0))
    assert aarhus.open == [] and len(aarhus.region) == 2
    copenhagen = selectors.open_now(101, cph(2026, 11, 17, 3, 0))
    assert copenhagen.open == copenhagen.region == copenhagen.closed == []
