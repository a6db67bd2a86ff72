"""Reads of registrations with the access rules built in.

Who sees what:

* a user deployed to an incident (active assignment) as **registrar**, **lead** or **KOP**
  sees every registration of that incident — registrars at different registration points
  must be able to answer "is my husband registered?" across the whole incident;
* the restricted note is shown only to the incident's lead/KOP and to the registrar who
  wrote it (:func:`sees_note`);
* duplicate review and merging is for the lead/KOP of every incident involved;
* everybody else (other incidents, crisis team, observers, organisation roles without a
  deployment) sees nothing; a superuser sees everything.

Contact rules for other apps: :func:`consented_channels` and :func:`may_contact`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from django.db import connections, router
from django.db.models import Q, QuerySet

from beredt.core.crypto import keyed_hash
from beredt.core.errors import NotFound
from beredt.core.rows import Statement
from beredt.incidents.models import INCIDENT_LEAD_ROLES, Assignment, AssignmentRole, Incident

from . import matching
from .models import (
    CandidateStatus,
    ConsentKind,
    DuplicateCandidate,
    MatchKey,
    Registration,
    RegistrationStatus,
)

REGISTRY_ROLES = frozenset({AssignmentRole.REGISTRAR, *INCIDENT_LEAD_ROLES})
MATCH_PURPOSE = "registry-match"


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _incident_ids(user, roles) -> QuerySet:
    return Assignment.objects.filter(
        user=user, released_at__isnull=True, role__in=roles
    ).values("incident_id")


def registrations_visible_to(user) -> QuerySet[Registration]:
    qs = Registration.objects.select_related("point", "residence_municipality", "incident")
    if not _active(user):
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(incident_id__in=_incident_ids(user, REGISTRY_ROLES))


def can_see_registrations(user, incident: Incident) -> bool:
    if not _active(user):
        return False
    return user.is_superuser or Assignment.objects.filter(
        incident=incident, user=user, released_at__isnull=True, role__in=REGISTRY_ROLES
    ).exists()


def deployed_incident_status(user, incident: Incident) -> str | None:
    """The incident's current status if the user may register in it, else ``None``.

    One statement, and plain SQL: this runs before every registration, never cached (a
    released assignment ends access at once), and building the query with the ORM cost
    several times what the database needs to answer it."""
    if not _active(user):
        return None
    connection = connections[router.db_for_read(Assignment)]
    incident_id = Incident._meta.pk.get_db_prep_value(incident.pk, connection)
    if user.is_superuser:
        sql, params = _incident_status_sql(), [incident_id]
    else:
        sql, roles = _deployment_sql()
        params = [incident_id, user.pk, *roles]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


@lru_cache(maxsize=1)
def _deployment_sql() -> tuple[str, list[str]]:
    """(SQL, the registry roles) of the deployment check; only quoted model identifiers are
    formatted in, every value is a parameter."""
    quote = connections[router.db_for_read(Assignment)].ops.quote_name
    a, i = quote(Assignment._meta.db_table), quote(Incident._meta.db_table)
    roles = sorted(str(r) for r in REGISTRY_ROLES)
    return (
        f"SELECT {i}.{quote('status')} FROM {a} INNER JOIN {i}"  # noqa: S608
        f" ON {a}.{quote('incident_id')} = {i}.{quote('id')}"
        f" WHERE {a}.{quote('incident_id')} = %s AND {a}.{quote('user_id')} = %s"
        f" AND {a}.{quote('released_at')} IS NULL"
        f" AND {a}.{quote('role')} IN ({', '.join(['%s'] * len(roles))}) LIMIT 1",
        roles,
    )


@lru_cache(maxsize=1)
def _incident_status_sql() -> str:
    quote = connections[router.db_for_read(Incident)].ops.quote_name
    return (f"SELECT {quote('status')} FROM {quote(Incident._meta.db_table)}"  # noqa: S608
            f" WHERE {quote('id')} = %s")


def can_register(user, incident: Incident) -> bool:
    return incident.is_open and can_see_registrations(user, incident)


def sees_all(user, incident_id) -> bool:
    """Lead/KOP of the incident (or superuser): notes of everyone, duplicate review."""
    if not _active(user):
        return False
    return user.is_superuser or Assignment.objects.filter(
        incident_id=incident_id, user=user, released_at__isnull=True,
        role__in=INCIDENT_LEAD_ROLES,
    ).exists()


def sees_note(user, registration: Registration) -> bool:
    return registration.registered_by_id == user.pk or sees_all(user, registration.incident_id)


def registration_for(user, registration_id) -> Registration:
    reg = registrations_visible_to(user).filter(pk=registration_id).first()
    if reg is None:
        raise NotFound()
    return reg


def incident_registrations(user, incident: Incident, *, include_merged: bool = False):
    qs = registrations_visible_to(user).filter(incident=incident)
    if not include_merged:
        qs = qs.filter(status=RegistrationStatus.ACTIVE)
    return qs.order_by("-registered_at")


def search(qs: QuerySet[Registration], query: str) -> list[Registration] | QuerySet:
    """Search one incident's registrations: CPR number (exact, by keyed hash), paper form
    number, phone number (exact, by match key) or name (every word as a prefix of a name
    word, accents and case ignored; names are encrypted, so this filters in Python — the
    list of one incident is small)."""
    query = (query or "").strip()
    if not query:
        return qs
    digits = "".join(c for c in query if c.isdigit())
    if len(digits) == 10 and len(query) <= 11:
        from beredt.core import cpr

        return qs.filter(cpr_hash=cpr.lookup_hash(digits))
    by_number = qs.filter(paper_form_number=query)
    if by_number.exists():
        return by_number
    phone = matching.phone_digits(query)
    if len(phone) >= 8 and len(digits) >= len(query.replace(" ", "").lstrip("+")) - 1:
        key = keyed_hash(f"ph:{phone[-8:]}", purpose=MATCH_PURPOSE)
        return qs.filter(pk__in=MatchKey.objects.filter(key=key).values("registration_id"))
    words = matching.fold(query).split()
    out = []
    for reg in qs:
        name_words = matching.fold(reg.full_name).split()
        if all(any(n.startswith(w) for n in name_words) for w in words):
            out.append(reg)
    return out


# --- Consent, for every app that contacts people -----------------------------------------

def person_group(registration: Registration) -> list[Registration]:
    """The registration of a person and every registration merged into it."""
    root = registration
    while root.merged_into_id:
        root = root.merged_into
    return [root, *Registration.objects.filter(merged_into=root)]


def consented_channels(registration: Registration) -> set[str]:
    """Channels the responsible authority may use to contact this person for follow-up now.

    Empty unless the person (or the guardian) has an active consent to registration **and**
    an active consent to follow-up contact; anonymised people are never contacted. Merged
    registrations count as one person."""
    group = person_group(registration)
    if any(r.status == RegistrationStatus.ANONYMISED for r in group):
        return set()
    from .models import ConsentRecord

    return channels_of(ConsentRecord.objects.filter(
        registration_id__in=[r.pk for r in group], withdrawn_at__isnull=True,
    ).only("kind", "channels", "withdrawn_at"))


def channels_of(consents) -> set[str]:
    """The rule of :func:`consented_channels` applied to consents already in hand."""
    active = [c for c in consents if c.withdrawn_at is None]
    if not any(c.kind == ConsentKind.REGISTRATION for c in active):
        return set()
    return {ch for c in active if c.kind == ConsentKind.FOLLOWUP for ch in c.channels}


def may_contact(registration: Registration, channel: str) -> bool:
    """Call this at send time, right before any call, SMS, e-mail or digital mail."""
    return channel in consented_channels(registration)


def may_share(registration: Registration, authority: str) -> bool:
    """Whether an active sharing consent names ``authority`` (case-insensitive)."""
    from .models import ConsentRecord

    group = person_group(registration)
    if any(r.status == RegistrationStatus.ANONYMISED for r in group):
        return False
    active = ConsentRecord.objects.filter(registration_id__in=[r.pk for r in group],
                                          withdrawn_at__isnull=True)
    if not active.filter(kind=ConsentKind.REGISTRATION).exists():
        return False
    needle = authority.strip().lower()
    return bool(needle) and any(
        needle in shared.lower()
        for shared in active.filter(kind=ConsentKind.SHARING).values_list("shared_with",
                                                                          flat=True)
    )


# --- Duplicates --------------------------------------------------------------------------

def match_candidates_query(registration_id, keys: Iterable[str], *, limit: int = 20,
                           crowded: int = 200) -> Statement | None:
    """Active registrations (any incident) that share a blocking key with the registration:
    the ``limit`` sharing the most keys, not counting keys shared by more than ``crowded``
    others (a common name says little on its own). A statement that
    :func:`beredt.core.rows.write` runs together with the INSERTs of a new registration
    (``None`` without keys); :func:`candidates_of` turns its rows into candidates.

    Plain SQL: this runs in every registration, and composing the nested aggregate with
    the ORM costs several times what the database needs to answer it. The registrations are
    read by primary key from the ids the key index yields (on PostgreSQL ``= ANY(ARRAY(…))``,
    so the plan stays an index scan while the table is young and has no statistics)."""
    keys = list(keys)
    if not keys:
        return None
    connection = connections[router.db_for_read(Registration)]
    quote = connection.ops.quote_name
    own_id = Registration._meta.pk.get_db_prep_value(registration_id, connection)
    marks = ", ".join(["%s"] * len(keys))
    keys_table, key, reg_id = (quote(MatchKey._meta.db_table), quote("key"),
                               quote("registration_id"))
    # Only quoted model identifiers are formatted in; every value is a parameter.
    most_shared = (
        f"SELECT {reg_id} FROM {keys_table} WHERE {key} IN ({marks}) AND {reg_id} <> %s"  # noqa: S608
        f" AND {key} NOT IN (SELECT {key} FROM {keys_table} WHERE {key} IN ({marks})"
        f" AND {reg_id} <> %s GROUP BY {key} HAVING COUNT(*) > %s)"
        f" GROUP BY {reg_id} ORDER BY COUNT(*) DESC, {reg_id} LIMIT %s"
    )
    pk = quote(Registration._meta.pk.column)
    within = (f"= ANY(ARRAY({most_shared}))" if connection.vendor == "postgresql"
              else f"IN ({most_shared})")
    columns = ", ".join(quote(f.column) for f in _match_fields())
    return Statement(
        f"SELECT {columns} FROM {quote(Registration._meta.db_table)}"  # noqa: S608
        f" WHERE {quote('status')} = %s AND {pk} {within}",
        (RegistrationStatus.ACTIVE.value, *keys, own_id, *keys, own_id, crowded, limit),
        connection.alias,
    )


@lru_cache(maxsize=1)
def _match_fields() -> tuple:  # the model fields behind MATCH_FIELDS
    return tuple(Registration._meta.get_field(f) for f in MATCH_FIELDS)


class Candidate(NamedTuple):
    """What the matcher compares of another registration (see
    ``services._queue_pairs``); its fields are :data:`MATCH_FIELDS`."""

    id: uuid.UUID
    full_name: str
    cpr_hash: str
    birth_date: dt.date | None
    phone: str
    email: str
    address: str
    postcode: str
    registered_at: dt.datetime

    @property
    def pk(self) -> uuid.UUID:
        return self.id


MATCH_FIELDS = Candidate._fields


@lru_cache(maxsize=32)
def _match_converters(connection) -> tuple:
    """(column, converters) per :data:`MATCH_FIELDS` field, once per connection (each
    thread has its own, and the backend's converters are its methods)."""
    return tuple(
        (f.cached_col,
         (*connection.ops.get_db_converters(f.cached_col), *f.get_db_converters(connection)))
        for f in _match_fields()
    )


def candidates_of(rows: Iterable[tuple]) -> list[Candidate]:
    """Candidates from rows of :func:`match_candidates_query`, each value converted (and
    decrypted) as the ORM would, without the cost of model instances."""
    connection = connections[router.db_for_read(Registration)]
    converters = _match_converters(connection)
    out = []
    for row in rows:
        values = []
        for value, (col, convert) in zip(row, converters, strict=True):
            for fn in convert:
                value = fn(value, col, connection)
            values.append(value)
        out.append(Candidate(*values))
    return out


def candidates_for(user, incident: Incident) -> QuerySet[DuplicateCandidate]:
    """Pending pairs touching ``incident`` that the user may decide on: lead/KOP of every
    incident involved."""
    qs = DuplicateCandidate.objects.select_related("first", "second").filter(
        Q(first__incident=incident) | Q(second__incident=incident),
        status=CandidateStatus.PENDING,
        first__status=RegistrationStatus.ACTIVE,
        second__status=RegistrationStatus.ACTIVE,
    )
    if not _active(user):
        return qs.none()
    if user.is_superuser:
        return qs
    lead_of = _incident_ids(user, INCIDENT_LEAD_ROLES)
    return qs.filter(first__incident_id__in=lead_of, second__incident_id__in=lead_of)


def candidate_for(user, candidate_id) -> DuplicateCandidate:
    cand = DuplicateCandidate.objects.select_related("first", "second").filter(
        pk=candidate_id).first()
    if cand is None or not (sees_all(user, cand.first.incident_id)
                            and sees_all(user, cand.second.incident_id)):
        raise NotFound()
    return cand


def pending_candidate_count(incident: Incident) -> int:
    return DuplicateCandidate.objects.filter(
        Q(first__incident=incident) | Q(second__incident=incident),
        status=CandidateStatus.PENDING, first__status=RegistrationStatus.ACTIVE,
        second__status=RegistrationStatus.ACTIVE,
    ).count()


#: Registrations per query of :func:`consented_channels_of` (SQLite allows 32,766 parameters).
CONSENT_SLICE = 5000


def consented_channels_of(registrations) -> dict:
    """``{registration id: channels}`` — :func:`consented_channels` for many people at once, in four
    set-based queries (per :data:`CONSENT_SLICE` ids) instead of three per person.
    ``registrations``: registration ids, or a queryset of registrations (then used as a
    subquery — no ids travel to the database and back).

    Same rule, same grouping: a registration counts as its person — the root it was merged
    into (followed up the chain) together with every registration merged directly into that
    root (registry ``person_group``); anyone anonymised in the group → no channel; otherwise
    the registry's :func:`channels_of` over the group's active
    consents. Used at queue time and again, authoritatively, at send time."""
    if isinstance(registrations, QuerySet):
        return _consented(registrations.values("pk"))
    ids = list(dict.fromkeys(registrations))
    out: dict = {}
    for start in range(0, len(ids), CONSENT_SLICE):
        out.update(_consented(ids[start:start + CONSENT_SLICE]))
    return out


def _consented(selection) -> dict:
    from .models import ConsentRecord

    known = {pk: (parent, status) for pk, parent, status in Registration.objects.filter(
        pk__in=selection).values_list("pk", "merged_into_id", "status")}
    chosen = list(known)
    wanted = {parent for parent, _status in known.values() if parent}
    while wanted := wanted - known.keys():  # up the merge chains (rare, short)
        for pk, parent, status in Registration.objects.filter(pk__in=wanted).values_list(
                "pk", "merged_into_id", "status"):
            known[pk] = (parent, status)
        wanted = {parent for parent, _status in known.values() if parent}

    def root_of(pk):
        seen = set()
        while known[pk][0] and pk not in seen:
            seen.add(pk)
            pk = known[pk][0]
        return pk

    roots = {pk: root_of(pk) if known[pk][0] else pk for pk in chosen}
    root_set = set(roots.values())
    outside = [root for root in root_set if root not in roots]  # roots beyond the selection
    root_by_member = {root: root for root in root_set}
    anonymised = {root for root in root_set if known[root][1] == RegistrationStatus.ANONYMISED}
    for pk, parent, status in Registration.objects.filter(
            Q(merged_into_id__in=selection) | Q(merged_into_id__in=outside)).values_list(
            "pk", "merged_into_id", "status"):
        if parent in root_set:
            root_by_member[pk] = parent
            anonymised.update([parent] if status == RegistrationStatus.ANONYMISED else [])
    extra = [pk for pk in root_by_member if pk not in roots]
    consents: dict = {root: [] for root in root_set}
    for consent in ConsentRecord.objects.filter(
            Q(registration_id__in=selection) | Q(registration_id__in=extra),
            kind__in=[ConsentKind.REGISTRATION, ConsentKind.FOLLOWUP],
            withdrawn_at__isnull=True).values_list(
            "registration_id", "kind", "channels", "withdrawn_at", named=True):
        root = root_by_member.get(consent.registration_id)
        if root is not None:
            consents[root].append(consent)
    channels = {root: set() if root in anonymised else channels_of(consents[root])
                for root in root_set}
    return {pk: channels[root] for pk, root in roots.items()}
