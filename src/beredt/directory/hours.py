"""Opening-hours arithmetic: is a line open at a moment, until when, and when does it open next.

Pure Python, no database: :func:`line_state` takes rules (:class:`Rule`, built from
:class:`~beredt.directory.models.Schedule` rows or dicts) and closures as UTC spans.

Rules are local Europe/Copenhagen wall-clock times. Each rule yields at most one span per
local date: ``opens_at`` on that date to ``closes_at`` on the same date, or on the next
date when the span crosses midnight (``closes_at <= opens_at``) or closes at 23:59. Spans
are turned into UTC per date, so DST changes are exact: the night line 22:00–08:00 lasts 9
hours on the spring night and 11 on the autumn night. Spans that touch or overlap are
merged, so a 24-hour line is "always open" rather than "open until midnight".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_lib

TZ = ZoneInfo("Europe/Copenhagen")
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
END_OF_DAY = time(23, 59)
LOOKAHEAD_DAYS = 15  # how far next_open looks ahead
ALWAYS_OPEN_AFTER = timedelta(days=7)  # merged span longer than this: "open around the clock"

_DK_HOLIDAYS = holidays_lib.country_holidays("DK", language="da")
_BYDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")


@lru_cache(maxsize=4096)
def is_public_holiday(day: date) -> bool:
    """Danish public holiday (*helligdag*) by ``holidays.Denmark``; 24 and 31 Dec are not."""
    return day in _DK_HOLIDAYS


def holiday_name(day: date) -> str | None:
    return _DK_HOLIDAYS.get(day)


@lru_cache(maxsize=1024)
def parse_byday(value: str, *, monthly: bool = False) -> tuple[tuple[int | None, int], ...]:
    """``"MO,TU"`` → ``((None, 0), (None, 1))``; ``"2MO"`` → ``((2, 0),)`` (MONTHLY only).

    Empty means every day. Raises ``ValueError`` with a readable message.
    """
    result = []
    for part in (p.strip().upper() for p in (value or "").split(",")):
        if not part:
            continue
        match = _BYDAY.match(part)
        if not match:
            raise ValueError(f"unknown day {part!r}: use MO, TU, WE, TH, FR, SA, SU")
        ordinal = int(match.group(1)) if match.group(1) else None
        if ordinal is not None and not monthly:
            raise ValueError(f"{part!r}: an occurrence number needs freq MONTHLY")
        result.append((ordinal, DAY_CODES.index(match.group(2))))
    return tuple(result)


@lru_cache(maxsize=1024)
def parse_monthdays(value: str) -> tuple[int, ...]:
    days = []
    for part in (p.strip() for p in (value or "").split(",")):
        if not part:
            continue
        number = int(part)
        if number == 0 or not -31 <= number <= 31:
            raise ValueError(f"day of month {part!r} out of range")
        days.append(number)
    return tuple(days)


@dataclass(frozen=True, slots=True)
class Rule:
    opens_at: time
    closes_at: time
    byday: tuple[tuple[int | None, int], ...] = ()
    freq: str = "WEEKLY"
    interval: int = 1
    bymonthday: tuple[int, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    dtstart: date | None = None
    until: date | None = None
    holidays: str = "any"
    weekdays: frozenset[int] = field(init=False, repr=False, compare=False)  # from byday

    def __post_init__(self) -> None:
        object.__setattr__(self, "weekdays", frozenset(w for _o, w in self.byday))

    @classmethod
    def from_row(cls, row) -> Rule:
        """From a Schedule instance or a ``values()`` dict with the same field names."""
        get = row.get if isinstance(row, dict) else (lambda k: getattr(row, k))
        freq = get("freq") or "WEEKLY"
        return cls(
            opens_at=get("opens_at"), closes_at=get("closes_at"),
            byday=parse_byday(get("byday") or "", monthly=freq == "MONTHLY"),
            freq=freq, interval=get("interval") or 1,
            bymonthday=parse_monthdays(get("bymonthday") or ""),
            valid_from=get("valid_from"), valid_to=get("valid_to"),
            dtstart=get("dtstart"), until=get("until"), holidays=get("holidays") or "any",
        )

    def applies_on(self, day: date) -> bool:
        if (self.valid_from and day < self.valid_from) or (self.valid_to and day > self.valid_to):
            return False
        if (self.dtstart and day < self.dtstart) or (self.until and day > self.until):
            return False
        if self.holidays != "any":
            holiday = is_public_holiday(day)
            if (self.holidays == "skip" and holiday) or (self.holidays == "only" and not holiday):
                return False
        anchor = self.dtstart or self.valid_from
        if self.freq == "MONTHLY":
            if anchor and self.interval > 1:
                months = (day.year - anchor.year) * 12 + day.month - anchor.month
                if months % self.interval:
                    return False
            last = calendar.monthrange(day.year, day.month)[1]
            if self.bymonthday and not any(
                day.day == (n if n > 0 else last + n + 1) for n in self.bymonthday
            ):
                return False
            return not self.byday or any(_monthly_match(day, o, w, last) for o, w in self.byday)
        if self.byday and day.weekday() not in self.weekdays:
            return False
        if anchor and self.interval > 1:
            week0 = anchor - timedelta(days=anchor.weekday())
            if ((day - week0).days // 7) % self.interval:
                return False
        return True

    def span_on(self, day: date) -> tuple[datetime, datetime]:
        """The UTC span this rule opens on local ``day`` (whether or not it applies)."""
        return _span(day, self.opens_at, self.closes_at)

    @property
    def always(self) -> bool:
        """Every day, all day, without limits: a 24-hour line."""
        return (self.opens_at == time(0) and self.closes_at >= END_OF_DAY and not self.byday
                and not self.bymonthday and self.holidays == "any" and self.interval == 1
                and not (self.valid_from or self.valid_to or self.dtstart or self.until))


@lru_cache(maxsize=65536)
def _span(day: date, opens_at: time, closes_at: time) -> tuple[datetime, datetime]:
    start = datetime.combine(day, opens_at, tzinfo=TZ)
    if closes_at >= END_OF_DAY:
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=TZ)
    elif closes_at <= opens_at:
        end = datetime.combine(day + timedelta(days=1), closes_at, tzinfo=TZ)
    else:
        end = datetime.combine(day, closes_at, tzinfo=TZ)
    return start.astimezone(UTC), end.astimezone(UTC)


def _monthly_match(day: date, ordinal: int | None, weekday: int, last: int) -> bool:
    if day.weekday() != weekday:
        return False
    if ordinal is None:
        return True
    if ordinal > 0:
        return (day.day - 1) // 7 + 1 == ordinal
    return (last - day.day) // 7 + 1 == -ordinal


def _merge(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Sorted spans with those that touch or overlap merged."""
    spans.sort()
    merged: list[list[datetime]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _subtract(spans, closures):
    """Remove closure spans (UTC) from open spans."""
    result = list(spans)
    for cs, ce in closures:
        cut = []
        for s, e in result:
            if ce <= s or cs >= e:
                cut.append((s, e))
                continue
            if s < cs:
                cut.append((s, cs))
            if ce < e:
                cut.append((ce, e))
        result = cut
    return result


@dataclass(frozen=True, slots=True)
class LineState:
    is_open: bool
    open_until: datetime | None  # local time; None while open: open around the clock
    next_open: datetime | None  # local time; None while closed: nothing in LOOKAHEAD_DAYS

    @property
    def always_open(self) -> bool:
        return self.is_open and self.open_until is None


ALWAYS = LineState(True, None, None)
FOREVER = datetime.max.replace(tzinfo=UTC)
MEMO_DAYS = 32  # days of spans a timetable keeps (moments asked for are mostly "now")


class Timetable:
    """A line's compiled rules and closures (UTC spans): is it open at a moment, until
    when, and when does it open next (:meth:`state`).

    Built once per line and kept between requests (``selectors.open_now``), it remembers
    each local day's spans and its last answer with how long that answer holds: an open
    line stays open until ``open_until`` and a closed one closed until ``next_open``, so a
    later moment before then gets the same answer without evaluating anything. Safe to
    share between threads: the memo is one tuple replaced whole, the day spans a dict of
    values that are the same whoever computes them.
    """

    __slots__ = ("_days", "_memo", "always", "closures", "rules")

    def __init__(self, rules, closures=()):
        self.rules = tuple(rules)
        self.closures = tuple(sorted(closures))
        self.always = any(rule.always for rule in self.rules)
        self._days: dict[date, tuple[tuple[datetime, datetime], ...]] = {}
        self._memo: tuple[datetime, datetime, LineState] | None = None

    def spans_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The UTC spans the rules open on local ``day`` (not merged, closures not cut)."""
        found = self._days.get(day)
        if found is None:
            if len(self._days) >= MEMO_DAYS:
                self._days.clear()
            found = self._days[day] = tuple(
                rule.span_on(day) for rule in self.rules if rule.applies_on(day))
        return found

    def spans_between(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """UTC spans of the rules that overlap [start, end), sorted and merged."""
        day = start.astimezone(TZ).date() - timedelta(days=1)
        last = end.astimezone(TZ).date()
        spans = []
        while day <= last:
            spans.extend(span for span in self.spans_on(day) if span[1] > start
                         and span[0] < end)
            day += timedelta(days=1)
        return _merge(spans)

    def state(self, at: datetime) -> LineState:
        at = at.astimezone(UTC)
        memo = self._memo
        if memo is not None and memo[0] <= at < memo[1]:
            return memo[2]
        closures = tuple(c for c in self.closures if c[1] > at)
        if self.always and not closures:
            state, holds_until = ALWAYS, FOREVER
        else:
            state = self._evaluate(at, closures)
            change = state.open_until if state.is_open else state.next_open
            holds_until = change.astimezone(UTC) if change else at  # None: not reusable
        self._memo = (at, holds_until, state)
        return state

    def _evaluate(self, at: datetime, closures) -> LineState:
        """Looks one day ahead first (the common case), then four, and the full
        ``LOOKAHEAD_DAYS`` only when the answer lies further away."""
        for days in (1, 4, LOOKAHEAD_DAYS):
            horizon = at + timedelta(days=days)
            for s, e in _subtract(self.spans_between(at, horizon), closures):
                if s <= at < e:
                    if e >= horizon and days < LOOKAHEAD_DAYS:
                        break  # may continue past the window: look further
                    until = None if e - at > ALWAYS_OPEN_AFTER else e.astimezone(TZ)
                    return LineState(True, until, None)
                if s > at:
                    return LineState(False, None, s.astimezone(TZ))
        return LineState(False, None, None)


@lru_cache(maxsize=4096)
def shared_timetable(rules: tuple[Rule, ...],
                     closures: tuple[tuple[datetime, datetime], ...] = ()) -> Timetable:
    """One :class:`Timetable` per set of rules and closures in the process. Its answers
    depend on nothing else, so lines with the same hours share it (and what it remembers)
    across municipalities and across changes to the rest of the directory."""
    return Timetable(rules, closures)


def line_state(rules, at: datetime, closures=()) -> LineState:
    """Open at ``at``? Until when (merged spans)? If closed, when does it open next?"""
    return Timetable(rules, closures).state(at)


def local(value: datetime) -> datetime:
    """An aware datetime in Europe/Copenhagen; a naive one is taken as Copenhagen time."""
    if value.tzinfo is None:
        return value.replace(tzinfo=TZ)
    return value.astimezone(TZ)


# --- The compact hours notation used by the CSV import/export and the seed data -------------
# Rules separated by ";", each "<days> <HH:MM>-<HH:MM> [-holidays] [(description)]":
#   MO-FR 08:00-15:00 -holidays; SA,SU 08:00-22:00; holidays 08:00-22:00; daily 22:00-08:00
# <days> is "daily", "holidays" (only on public holidays) or day codes/ranges (MO,WE or MO-WE).
# "-holidays" means the rule does not apply on public holidays.
_RULE = re.compile(
    r"^(?P<days>[A-Za-z,\-]+)\s+(?P<opens>\d{1,2}[:.]\d{2})\s*-\s*(?P<closes>\d{1,2}[:.]\d{2})"
    r"(?P<skip>\s+-holidays)?(?:\s*\((?P<description>[^()]*)\))?$"
)


def _parse_time(text: str) -> time:
    hours, minutes = (int(x) for x in re.split(r"[:.]", text))
    if hours == 24 and minutes == 0:
        return END_OF_DAY
    return time(hours, minutes)  # raises ValueError when out of range


def _expand_days(text: str) -> str:
    codes: list[str] = []
    for part in text.upper().split(","):
        if "-" in part:
            first, last = part.split("-", 1)
            if first not in DAY_CODES or last not in DAY_CODES:
                raise ValueError(f"unknown day range {part!r}")
            i, j = DAY_CODES.index(first), DAY_CODES.index(last)
            if j < i:
                raise ValueError(f"day range {part!r} runs backwards")
            codes.extend(DAY_CODES[i:j + 1])
        elif part in DAY_CODES:
            codes.append(part)
        else:
            raise ValueError(f"unknown day {part!r}: use MO, TU, WE, TH, FR, SA, SU")
    return ",".join(dict.fromkeys(codes))


def parse_hours(text: str) -> list[dict]:
    """The compact notation → a list of Schedule field dicts. Raises ``ValueError``."""
    rules = []
    for raw in (r.strip() for r in (text or "").split(";")):
        if not raw:
            continue
        match = _RULE.match(raw)
        if not match:
            raise ValueError(f"cannot read {raw!r}: write e.g. 'MO-FR 08:00-15:00'")
        days = match.group("days").lower()
        try:
            opens, closes = _parse_time(match.group("opens")), _parse_time(match.group("closes"))
        except ValueError as exc:
            raise ValueError(f"{raw!r}: impossible time") from exc
        holiday_rule = "skip" if match.group("skip") else "any"
        if days == "daily":
            byday = ""
        elif days == "holidays":
            byday, holiday_rule = "", "only"
        else:
            byday = _expand_days(days)
        if byday == ",".join(DAY_CODES):
            byday = ""
        rules.append({
            "freq": "WEEKLY", "byday": byday, "opens_at": opens, "closes_at": closes,
            "holidays": holiday_rule, "description": (match.group("description") or "").strip(),
        })
    return rules


def format_hours(schedules) -> str:
    """Schedules (instances or dicts) → the compact notation (WEEKLY rules only)."""
    parts = []
    for row in schedules:
        get = row.get if isinstance(row, dict) else (lambda k, row=row: getattr(row, k))
        holiday_rule = get("holidays")
        days = "holidays" if holiday_rule == "only" else (_compress(get("byday")) or "daily")
        text = f"{days} {get('opens_at'):%H:%M}-{get('closes_at'):%H:%M}"
        if holiday_rule == "skip":
            text += " -holidays"
        if get("description"):
            text += f" ({get('description')})"
        parts.append(text)
    return "; ".join(parts)


def _compress(byday: str) -> str:
    """``MO,TU,WE,FR`` → ``MO-WE,FR``."""
    idx = [DAY_CODES.index(c) for c in (byday or "").split(",") if c in DAY_CODES]
    groups: list[list[int]] = []
    for i in idx:
        if groups and i == groups[-1][-1] + 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    parts = []
    for g in groups:
        if len(g) <= 2:
            parts.extend(DAY_CODES[i] for i in g)
        else:
            parts.append(f"{DAY_CODES[g[0]]}-{DAY_CODES[g[-1]]}")
    return ",".join(parts)
