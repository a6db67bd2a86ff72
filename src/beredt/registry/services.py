"""Writes: register a person (idempotent), consent and withdrawal, duplicates and merges,
CPR reveal, retention purge. Bulk import is in :mod:`.imports`.

Every function takes keyword arguments, runs in one transaction, writes the audit log in it
and raises :mod:`beredt.core.errors` domain errors naming the field at fault.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredt.core import audit, cpr, rows
from beredt.core.audit import AuditAction
from beredt.core.crypto import keyed_hash
from beredt.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from beredt.geo import selectors as geo_selectors
from beredt.incidents import selectors as incident_selectors
from beredt.incidents.models import Incident, IncidentStatus

from . import hooks, matching, selectors
from .models import (
    CandidateStatus,
    Channel,
    ConsentGiver,
    ConsentKind,
    ConsentMethod,
    ConsentRecord,
    DuplicateCandidate,
    MatchKey,
    Merge,
    Need,
    PersonRole,
    PointKind,
    Registration,
    RegistrationPoint,
    RegistrationStatus,
    Relation,
    Residence,
)

PERSON_FIELDS = (
    "role", "full_name", "cpr", "birth_date", "phone", "email", "address", "postcode",
    "residence", "residence_municipality_code", "preferred_language", "interpreter_needed",
    "related_to_id", "relation", "need", "reactions", "note", "paper_form_number",
)
MERGE_FILL_FIELDS = ("cpr", "birth_date", "sex", "phone", "email", "address", "postcode",
                     "residence", "residence_municipality_id", "reactions", "paper_form_number")


@dataclass(frozen=True)
class Problem:
    """One validation problem: the field, a stable code and a translated reason."""

    field: str
    code: str
    reason: str

    def error(self) -> ValidationFailed:
        return ValidationFailed(self.reason, code=self.code, field=self.field)


# --- Validation (pure: also used row by row by the bulk import) ---------------------------

def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _date(value, field: str, problems: list[Problem]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    problems.append(Problem(field, "invalid_date", _("Write the date as DD-MM-YYYY.")))
    return None


def clean_person(data: dict) -> tuple[dict, list[Problem]]:
    """Validate and normalise a person's fields. Returns ``(cleaned, problems)``; cleaned
    is only usable when ``problems`` is empty."""
    problems: list[Problem] = []
    out: dict = {}
    role = _text(data.get("role")) or PersonRole.UNINJURED
    if role not in PersonRole:
        problems.append(Problem("role", "invalid_choice", _("Unknown role in the event.")))
    out["role"] = role
    name = " ".join(_text(data.get("full_name")).split())
    if not name:
        problems.append(Problem("full_name", "required", _("Write the person's full name.")))
    elif len(name) > 200:
        problems.append(Problem("full_name", "too_long", _("The name is too long.")))
    out["full_name"] = name

    birth = _date(data.get("birth_date"), "birth_date", problems)
    out["cpr"], out["cpr_hash"], out["sex"] = "", "", ""
    raw_cpr = _text(data.get("cpr"))
    if raw_cpr:
        try:
            number = cpr.parse(raw_cpr, field="cpr")
        except ValidationFailed as exc:
            problems.append(Problem("cpr", exc.code, str(exc.message)))
        else:
            out["cpr"], out["cpr_hash"], out["sex"] = (
                number.compact, cpr.lookup_hash(number), number.sex)
            if birth and birth != number.birth_date:
                problems.append(Problem("birth_date", "birth_date_mismatch", _(
                    "The birth date does not match the CPR number.")))
            birth = number.birth_date
    if birth and birth > timezone.localdate():
        problems.append(Problem("birth_date", "future_date",
                                _("The birth date is in the future.")))
    out["birth_date"] = birth

    phone = _text(data.get("phone"))
    if phone and not re.fullmatch(r"\+?[0-9 ()-]{8,20}", phone):
        problems.append(Problem("phone", "invalid_phone", _(
            "A phone number has at least 8 digits (+45 for abroad is allowed).")))
    out["phone"] = " ".join(phone.split())
    email = _text(data.get("email")).lower()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            problems.append(Problem("email", "invalid_email",
                                    _("The e-mail address is not valid.")))
    out["email"] = email
    out["address"] = _text(data.get("address"))
    _clean_residence(data, out, problems)

    lang = _text(data.get("preferred_language")) or "da"
    out["preferred_language"] = lang[:35]
    out["interpreter_needed"] = bool(data.get("interpreter_needed"))
    need = _text(data.get("need")) or Need.NONE
    if need not in Need:
        problems.append(Problem("need", "invalid_choice", _("Unknown need.")))
    out["need"] = need
    relation = _text(data.get("relation"))
    related = data.get("related_to_id") or None
    if relation and relation not in Relation:
        problems.append(Problem("relation", "invalid_choice", _("Unknown relation.")))
    if bool(relation) != bool(related):
        problems.append(Problem("relation", "relation_incomplete", _(
            "Give both the relation and the registration it refers to.")))
    out["relation"], out["related_to_id"] = relation, related
    out["reactions"] = _text(data.get("reactions"))
    out["note"] = _text(data.get("note"))
    out["paper_form_number"] = _text(data.get("paper_form_number"))[:40]
    return out, problems


@lru_cache(maxsize=2048)
def _postcode_candidates(code: str) -> tuple[int, ...] | None:
    """Municipality codes a postcode reaches into (primary first); ``None``: no such postcode.
    Reference data only changes with a migration, so the answer is cached per process."""
    if geo_selectors.postcode(code) is None:
        return None
    return tuple(link.municipality_id for link in geo_selectors.postcode_municipalities(code))


@lru_cache(maxsize=256)
def _municipality_exists(code: int) -> bool:
    return geo_selectors.municipality(code) is not None


def _clean_residence(data: dict, out: dict, problems: list[Problem]) -> None:
    residence = _text(data.get("residence"))
    postcode = _text(data.get("postcode"))
    code = data.get("residence_municipality_code") or None
    out.update(postcode="", residence=Residence.UNKNOWN, residence_municipality_id=None,
               municipality_overridden=False)
    if residence and residence not in Residence:
        problems.append(Problem("residence", "invalid_choice", _("Unknown residence.")))
        return
    if residence in (Residence.ABROAD, Residence.UNKNOWN):
        if postcode and residence == Residence.ABROAD:
            problems.append(Problem("postcode", "postcode_abroad", _(
                "For an address abroad, write the postcode in the address.")))
        out["residence"] = residence
        out["postcode"] = postcode if residence == Residence.UNKNOWN else ""
        if postcode and residence == Residence.UNKNOWN:
            problems.append(Problem("residence", "residence_conflict", _(
                "A Danish postcode was given: choose the residence municipality.")))
        return
    candidates = []
    if postcode:
        found = _postcode_candidates(postcode) if re.fullmatch(r"\d{4}", postcode) else None
        if found is None:
            problems.append(Problem("postcode", "unknown_postcode",
                                    _("Unknown Danish postcode.")))
            return
        candidates = list(found)
        out["postcode"] = postcode
    if code is not None:
        try:
            code = int(code)
        except (TypeError, ValueError):
            code = None
        if code is None or not _municipality_exists(code):
            problems.append(Problem("residence_municipality_code", "unknown_municipality",
                                    _("Unknown municipality.")))
            return
        out["residence_municipality_id"] = code
        out["municipality_overridden"] = bool(candidates) and code != candidates[0]
    elif candidates:
        out["residence_municipality_id"] = candidates[0]
    if out["residence_municipality_id"]:
        out["residence"] = Residence.MUNICIPALITY
    elif residence == Residence.MUNICIPALITY:
        problems.append(Problem("residence_municipality_code", "required", _(
            "Give the postcode or the residence municipality.")))


def clean_consent(data: dict, *, person: dict) -> tuple[dict, list[Problem]]:
    """Validate one consent against the person it is for (``person`` holds phone, email,
    cpr and birth_date). Pure; the database checks are in :func:`add_consent`."""
    problems: list[Problem] = []
    kind = _text(data.get("kind"))
    if kind not in ConsentKind:
        problems.append(Problem("kind", "invalid_choice", _("Unknown kind of consent.")))
    channels = list(dict.fromkeys(_text(c) for c in (data.get("channels") or []) if _text(c)))
    bad = [c for c in channels if c not in Channel]
    if bad:
        problems.append(Problem("channels", "invalid_choice", _("Unknown contact channel.")))
    if kind == ConsentKind.FOLLOWUP:
        if not channels:
            problems.append(Problem("channels", "channels_required", _(
                "Choose at least one channel the person may be contacted through.")))
        needs = {Channel.PHONE: "phone", Channel.SMS: "phone", Channel.EMAIL: "email",
                 Channel.DIGITAL_MAIL: "cpr"}
        for channel in channels:
            need = needs.get(channel)
            if need and not person.get(need):
                problems.append(Problem("channels", f"channel_needs_{need}", {
                    "phone": _("Phone and SMS need a phone number."),
                    "email": _("E-mail needs an e-mail address."),
                    "cpr": _("Digital mail (e-Boks) needs the CPR number."),
                }[need]))
                break
    elif channels and kind:
        problems.append(Problem("channels", "channels_not_allowed", _(
            "Channels belong to the consent to follow-up contact only.")))
    shared_with = _text(data.get("shared_with"))
    if kind == ConsentKind.SHARING and not shared_with:
        problems.append(Problem("shared_with", "required", _(
            "Name the authorities the information may be shared with.")))
    method = _text(data.get("method"))
    if method not in ConsentMethod:
        problems.append(Problem("method", "invalid_choice", _(
            "Say how the consent was given.")))
    witness = _text(data.get("witness"))
    if method == ConsentMethod.VERBAL_WITNESSED and not witness:
        problems.append(Problem("witness", "required", _(
            "A verbal consent needs the name of the witness.")))
    given_by = _text(data.get("given_by")) or ConsentGiver.PERSON
    guardian = _text(data.get("guardian_name"))
    if given_by not in ConsentGiver:
        problems.append(Problem("given_by", "invalid_choice", _("Unknown consent giver.")))
    given_at = data.get("given_at") or timezone.now()
    if timezone.is_naive(given_at):
        given_at = timezone.make_aware(given_at)
    birth = person.get("birth_date")
    if birth:
        day = timezone.localtime(given_at).date()
        age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
        if age < 18 and given_by != ConsentGiver.GUARDIAN:
            problems.append(Problem("given_by", "guardian_required", _(
                "The person is a minor: a guardian gives the consent.")))
    if given_by == ConsentGiver.GUARDIAN and not guardian:
        problems.append(Problem("guardian_name", "required", _("Write the guardian's name.")))
    return {
        "kind": kind, "channels": channels, "shared_with": shared_with[:300], "method": method,
        "witness": witness, "given_by": given_by, "guardian_name": guardian,
        "given_at": given_at, "paper_form_number": _text(data.get("paper_form_number"))[:40],
    }, problems


def _raise_first(problems: list[Problem]) -> None:
    if problems:
        raise problems[0].error()


# --- Registration ---------------------------------------------------------------------------

_point_ids: dict[tuple, int] = {}  # (incident id, kind, name) → id; points are never removed


def registration_point(*, incident: Incident, kind: str, name: str = "") -> RegistrationPoint:
    if kind not in PointKind:
        raise ValidationFailed(_("Unknown kind of registration point."), code="invalid_choice",
                               field="point_kind")
    name = (name or "").strip()[:120] or str(PointKind(kind).label)
    key = (str(incident.pk), kind, name)
    if key in _point_ids:
        return RegistrationPoint(pk=_point_ids[key], incident_id=incident.pk, kind=kind,
                                 name=name)
    point = RegistrationPoint.objects.filter(incident_id=incident.pk, kind=kind,
                                             name=name).first()
    if point is None:
        point, _created = RegistrationPoint.objects.get_or_create(
            incident_id=incident.pk, kind=kind, name=name)
    if len(_point_ids) > 10_000:
        _point_ids.clear()
    # Remembered only once committed: a rolled-back point must never be handed out.
    transaction.on_commit(lambda pk=point.pk: _point_ids.__setitem__(key, pk))
    return point


def register_person(
    *,
    incident: Incident,
    by,
    client_id: uuid.UUID,
    data: dict,
    point: RegistrationPoint | None = None,
    point_kind: str = PointKind.EPC,
    point_name: str = "",
    consents: Iterable[dict] = (),
    registered_at: dt.datetime | None = None,
) -> tuple[Registration, bool]:
    """Register one affected person. Returns ``(registration, created)``.

    Idempotent on ``client_id``: a retry (even a concurrent one) returns the registration
    made the first time, unchanged, with ``created=False``. Once this returns, the
    registration, its consents, its match keys, the duplicate candidates and the audit row
    are committed together.
    """
    if not isinstance(client_id, uuid.UUID):
        try:
            client_id = uuid.UUID(str(client_id))
        except ValueError:
            raise ValidationFailed(_("client_id must be a UUID."), code="invalid_uuid",
                                   field="client_id") from None
    status = selectors.deployed_incident_status(by, incident)
    if status is None:
        raise Forbidden(_("You are not deployed to register people in this incident."))
    # No read before the INSERT: the unique client_id finds a retry (and a racing retry).
    # Where the create cannot go ahead (closed incident, invalid data) a retry still gets
    # the registration made the first time.
    if status == IncidentStatus.CLOSED:
        return _replay_or_raise(client_id, incident, Conflict(
            _("The incident is closed."), code="incident_closed")), False
    cleaned, problems = clean_person(data)
    consent_data = sorted(consents, key=lambda c: c.get("kind") != ConsentKind.REGISTRATION)
    cleaned_consents = []
    for item in consent_data:
        c, consent_problems = clean_consent(item, person=cleaned)
        problems += [Problem(f"consents.{p.field}", p.code, p.reason) for p in consent_problems]
        cleaned_consents.append(c)
    problems += _consent_set_problems(cleaned_consents)
    if problems:
        return _replay_or_raise(client_id, incident, problems[0].error()), False
    try:
        with transaction.atomic():
            reg = _create(incident=incident, by=by, client_id=client_id, cleaned=cleaned,
                          consents=cleaned_consents,
                          point=point or registration_point(
                              incident=incident, kind=point_kind, name=point_name),
                          registered_at=registered_at)
    except IntegrityError as exc:
        return _replay_or_raise(client_id, incident, exc), False
    return reg, True


def _consent_set_problems(consents: list[dict]) -> list[Problem]:
    """Consents given together with a new registration: registration first, one per kind
    (several sharing consents are fine)."""
    kinds = [c["kind"] for c in consents]
    if kinds and ConsentKind.REGISTRATION not in kinds:
        return [Problem("consents.kind", "registration_consent_required",
                        _("Consent to registration comes first."))]
    once = [k for k in kinds if k != ConsentKind.SHARING]
    if len(once) != len(set(once)):
        return [Problem("consents.kind", "consent_exists",
                        _("Each kind of consent is given once."))]
    return []


def _replayed(client_id: uuid.UUID, incident: Incident) -> Registration | None:
    """The registration made earlier with ``client_id`` (a retry), if any."""
    existing = Registration.objects.select_related("point").filter(client_id=client_id).first()
    if existing is not None and existing.incident_id != incident.pk:
        raise Conflict(_("This client_id was already used for another incident."),
                       code="client_id_reused", field="client_id")
    return existing


def _replay_or_raise(client_id: uuid.UUID, incident: Incident,
                     error: Exception) -> Registration:
    """The registration a retry gets back; ``error`` when this is not a retry."""
    existing = _replayed(client_id, incident)
    if existing is None:
        raise error
    return existing


def _create(*, incident, by, client_id, cleaned: dict, consents: list[dict], point,
            registered_at) -> Registration:
    """The rows of a new registration — the person, the consents, the match keys and the
    audit rows — written together (:mod:`beredt.core.rows`: one statement on PostgreSQL),
    then scored against the candidates read in the same statement."""
    related_id = cleaned.pop("related_to_id")
    if related_id:
        related = Registration.objects.filter(pk=related_id, incident=incident).first()
        if related is None:
            raise ValidationFailed(_("The related registration is not in this incident."),
                                   code="unknown_registration", field="related_to_id")
        cleaned["related_to"] = related
    if point.incident_id != incident.pk:
        raise ValidationFailed(_("The registration point belongs to another incident."),
                               code="invalid_point", field="point_id")
    reg = Registration(
        client_id=client_id, incident=incident, point=point, registered_by=by,
        registered_at=registered_at or timezone.now(), **cleaned,
    )
    reg.new_consents = [ConsentRecord(registration=reg, taken_by=by, **c) for c in consents]
    record = _record_of(reg)
    keys = _hashed_keys(record)
    trail = [
        audit.entry(action=AuditAction.CREATE, obj=reg, actor=by,
                    fields=[f for f in Registration.PERSONAL_FIELDS if getattr(reg, f)]),
        *(audit.entry(action=AuditAction.CREATE, obj=consent, actor=by,
                      fields=["kind", "channels", "method", "given_by"],
                      extra={"registration": str(reg.pk)})
          for consent in reg.new_consents),
    ]
    writes = [rows.insert([reg])]
    if reg.new_consents:
        writes.append(rows.insert(reg.new_consents))
    if keys:
        writes.append(rows.insert(_match_key_rows(reg, keys)))
    writes.append(rows.insert(trail))
    found = rows.write(writes, then=selectors.match_candidates_query(reg.pk, keys))
    _queue_pairs(reg, record, selectors.candidates_of(found))
    return reg


# --- Duplicate matching -----------------------------------------------------------------------

def _record_of(reg: Registration | selectors.Candidate, *,
               with_keys: bool = True) -> matching.Record:
    given, family = matching.split_name(reg.full_name)
    return matching.make_record(
        reg.pk, given=given, family=family,
        birth=reg.birth_date.strftime("%Y%m%d") if reg.birth_date else "",
        phone=reg.phone, email=reg.email, street=reg.address, postcode=reg.postcode,
        ident=reg.cpr_hash, with_keys=with_keys,
    )


def refresh_match_keys(reg: Registration) -> set[str]:
    """Store the registration's blocking keys as keyed hashes anew (after a merge, its undo,
    or ``beredt rebuildmatchkeys`` once the hash key changed). Returns the stored keys."""
    MatchKey.objects.filter(registration=reg).delete()
    if reg.status != RegistrationStatus.ACTIVE:
        return set()
    keys = _hashed_keys(_record_of(reg))
    MatchKey.objects.bulk_create(_match_key_rows(reg, keys))
    return keys


def _hashed_keys(record: matching.Record) -> set[str]:
    return {keyed_hash(k, purpose=selectors.MATCH_PURPOSE) for k in record.keys}


def _match_key_rows(reg: Registration, keys: Iterable[str]) -> list[MatchKey]:
    return [MatchKey(registration_id=reg.pk, key=k) for k in keys]


def _queue_pairs(reg: Registration, mine: matching.Record,
                 others: Iterable[selectors.Candidate]) -> list[DuplicateCandidate]:
    """Score ``reg`` against the candidates sharing a blocking key; pairs at or above the
    review threshold join the review queue in one upsert (a pair found again gets the new
    score and keeps its decision)."""
    found = []
    for other in others:
        s = matching.score(mine, _record_of(other, with_keys=False))
        if s < matching.REVIEW_THRESHOLD:
            continue
        first, second = sorted((other, reg), key=lambda r: (r.registered_at, str(r.pk)))
        found.append(DuplicateCandidate(first_id=first.pk, second_id=second.pk,
                                        score=min(s, matching.CERTAIN),
                                        certain=s >= matching.CERTAIN))
    if found:
        DuplicateCandidate.objects.bulk_create(
            found, update_conflicts=True, unique_fields=["first", "second"],
            update_fields=["score", "certain"])
    return found


def _check_reviewer(by, cand: DuplicateCandidate) -> None:
    if not (selectors.sees_all(by, cand.first.incident_id)
            and selectors.sees_all(by, cand.second.incident_id)):
        raise Forbidden(_("Only the lead or KOP of both incidents can decide on this pair."))


def merge(*, candidate: DuplicateCandidate, by) -> Merge:
    """Merge the newer registration into the older one. Empty fields of the older one are
    filled from the newer; both keep their consents (they count as one person); the merge
    can be undone with :func:`undo_merge`."""
    with transaction.atomic():
        cand = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
        _check_reviewer(by, cand)
        survivor = Registration.objects.select_for_update().get(pk=cand.first_id)
        merged = Registration.objects.select_for_update().get(pk=cand.second_id)
        if (cand.status != CandidateStatus.PENDING or survivor.status != RegistrationStatus.ACTIVE
                or merged.status != RegistrationStatus.ACTIVE):
            raise Conflict(_("This pair has already been decided."), code="already_decided")
        restore, filled = {}, []
        for name in MERGE_FILL_FIELDS:
            mine, theirs = getattr(survivor, name), getattr(merged, name)
            blank = mine in ("", None) or (name == "residence" and mine == "unknown")
            if blank and theirs not in ("", None):
                restore[name] = mine.isoformat() if isinstance(mine, dt.date) else mine
                setattr(survivor, name, theirs)
                filled.append(name)
        if "cpr" in filled:
            survivor.cpr_hash = merged.cpr_hash
            restore["cpr_hash"] = ""
        survivor.save()
        merged.status, merged.merged_into = RegistrationStatus.MERGED, survivor
        merged.save(update_fields=["status", "merged_into", "updated_at"])
        cand.status, cand.decided_by, cand.decided_at = (
            CandidateStatus.MERGED, by, timezone.now())
        cand.save(update_fields=["status", "decided_by", "decided_at"])
        record = Merge.objects.create(candidate=cand, survivor=survivor, merged=merged,
                                      filled_fields=filled, restore=json.dumps(restore),
                                      merged_by=by)
        refresh_match_keys(survivor)
        MatchKey.objects.filter(registration=merged).delete()
        audit.record(action=AuditAction.UPDATE, obj=survivor, actor=by, fields=filled,
                     extra={"merge": record.pk, "merged": str(merged.pk)})
        audit.record(action=AuditAction.UPDATE, obj=merged, actor=by, fields=["status"],
                     extra={"merge": record.pk, "merged_into": str(survivor.pk)})
    return record


def undo_merge(*, merge_record: Merge, by) -> Merge:
    """Undo a merge: the survivor gets its own values back, the merged registration is active
    again and the pair returns to the review queue."""
    with transaction.atomic():
        record = Merge.objects.select_for_update().get(pk=merge_record.pk)
        if record.undone_at is not None:
            raise Conflict(_("This merge has already been undone."), code="already_undone")
        survivor = Registration.objects.select_for_update().get(pk=record.survivor_id)
        merged = Registration.objects.select_for_update().get(pk=record.merged_id)
        if not (selectors.sees_all(by, survivor.incident_id)
                and selectors.sees_all(by, merged.incident_id)):
            raise Forbidden(_("Only the lead or KOP of both incidents can undo this merge."))
        if RegistrationStatus.ANONYMISED in {survivor.status, merged.status}:
            raise Conflict(_("The data has been anonymised; the merge cannot be undone."),
                           code="anonymised")
        restore = json.loads(record.restore or "{}")
        for name, value in restore.items():
            if name == "birth_date" and value:
                value = dt.date.fromisoformat(value)
            setattr(survivor, name, value)
        survivor.save()
        merged.status, merged.merged_into = RegistrationStatus.ACTIVE, None
        merged.save(update_fields=["status", "merged_into", "updated_at"])
        record.undone_by, record.undone_at = by, timezone.now()
        record.save(update_fields=["undone_by", "undone_at"])
        if record.candidate_id:
            DuplicateCandidate.objects.filter(pk=record.candidate_id).update(
                status=CandidateStatus.PENDING, decided_by=None, decided_at=None)
        refresh_match_keys(survivor)
        refresh_match_keys(merged)
        audit.record(action=AuditAction.UPDATE, obj=survivor, actor=by,
                     fields=record.filled_fields, extra={"undo_merge": record.pk})
        audit.record(action=AuditAction.UPDATE, obj=merged, actor=by, fields=["status"],
                     extra={"undo_merge": record.pk})
    return record


def reject_candidate(*, candidate: DuplicateCandidate, by) -> DuplicateCandidate:
    with transaction.atomic():
        cand = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
        _check_reviewer(by, cand)
        if cand.status != CandidateStatus.PENDING:
            raise Conflict(_("This pair has already been decided."), code="already_decided")
        cand.status, cand.decided_by, cand.decided_at = (
            CandidateStatus.REJECTED, by, timezone.now())
        cand.save(update_fields=["status", "decided_by", "decided_at"])
    return cand


# --- Consent ------------------------------------------------------------------------------

def _person_of(reg: Registration) -> dict:
    return {"phone": reg.phone, "email": reg.email, "cpr": reg.cpr,
            "birth_date": reg.birth_date}


def add_consent(*, registration: Registration, by, data: dict) -> ConsentRecord:
    """Document one consent. Idempotent on ``data["client_id"]`` when given."""
    client_id = data.get("client_id")
    if client_id:
        existing = ConsentRecord.objects.filter(client_id=client_id).first()
        if existing is not None:
            if existing.registration_id != registration.pk:
                raise Conflict(_("This client_id was already used."), code="client_id_reused",
                               field="client_id")
            return existing
    cleaned, problems = clean_consent(data, person=_person_of(registration))
    _raise_first(problems)
    if registration.status != RegistrationStatus.ACTIVE:
        raise Conflict(_("This registration is merged or anonymised."), code="inactive")
    group_ids = [r.pk for r in selectors.person_group(registration)]
    active = ConsentRecord.objects.filter(registration_id__in=group_ids,
                                          withdrawn_at__isnull=True)
    if cleaned["kind"] != ConsentKind.REGISTRATION and not active.filter(
            kind=ConsentKind.REGISTRATION).exists():
        raise ValidationFailed(_("Consent to registration comes first."),
                               code="registration_consent_required", field="kind")
    if cleaned["kind"] != ConsentKind.SHARING and active.filter(kind=cleaned["kind"]).exists():
        raise Conflict(_("An active consent of this kind exists; withdraw it first."),
                       code="consent_exists", field="kind")
    with transaction.atomic():
        consent = ConsentRecord.objects.create(
            registration=registration, taken_by=by, client_id=client_id or None, **cleaned)
        audit.record(action=AuditAction.CREATE, obj=consent, actor=by,
                     fields=["kind", "channels", "method", "given_by"],
                     extra={"registration": str(registration.pk)})
    return consent


def withdraw_consent(*, consent: ConsentRecord, by, reason: str,
                     at: dt.datetime | None = None) -> ConsentRecord:
    """Withdraw a consent (and, for the consent to registration, every other consent of the
    person). Every hook in :data:`hooks.WITHDRAWAL_HOOKS` runs in the same transaction so
    pending outreach stops at once. Withdrawing again returns the record unchanged."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for the withdrawal."), code="required",
                               field="reason")
    with transaction.atomic():
        consent = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            return consent
        group = selectors.person_group(consent.registration)
        kinds = ({consent.kind} if consent.kind != ConsentKind.REGISTRATION
                 else set(ConsentKind.values))
        affected = list(ConsentRecord.objects.select_for_update().filter(
            registration_id__in=[r.pk for r in group], kind__in=kinds,
            withdrawn_at__isnull=True))
        if consent.kind == ConsentKind.SHARING:
            affected = [consent]
        when = at or timezone.now()
        channels: set[str] = set()
        for item in affected:
            item.withdrawn_at, item.withdrawn_reason, item.withdrawn_by = when, reason, by
            item.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by"])
            channels.update(item.channels or [])
            audit.record(action=AuditAction.UPDATE, obj=item, actor=by,
                         fields=["withdrawn_at", "withdrawn_reason"],
                         extra={"registration": str(item.registration_id)})
        for hook in list(hooks.WITHDRAWAL_HOOKS):
            hook(registration=group[0], kinds={c.kind for c in affected},
                 channels=channels, by=by)
        consent.refresh_from_db()
    return consent


# --- CPR reveal ---------------------------------------------------------------------------

def reveal_cpr(*, registration: Registration, by, reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give the reason for showing the CPR number."),
                               code="required", field="reason")
    if not registration.cpr:
        raise NotFound(_("No CPR number is registered."), code="no_cpr")
    with transaction.atomic():
        audit.record(action=AuditAction.REVEAL, obj=registration, actor=by, fields=["cpr"],
                     reason=reason[:500])
    return cpr.Cpr(registration.cpr).formatted


# --- Retention ------------------------------------------------------------------------------

def expired_registrations(*, now: dt.datetime | None = None) -> list[Registration]:
    incidents = incident_selectors.incidents_past_retention(now=now)
    regs = list(Registration.objects.filter(incident__in=incidents).exclude(
        status=RegistrationStatus.ANONYMISED))
    held: set = set()
    for hold in list(hooks.RETENTION_HOLDS):
        held.update(str(x) for x in hold([r.pk for r in regs]))
    return [r for r in regs if str(r.pk) not in held]


def purge_expired(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Anonymise registrations past their incident's retention (months after closing),
    except those a retention hold keeps (active follow-up). Returns how many."""
    regs = expired_registrations(now=now)
    if dry_run or not regs:
        return len(regs)
    from .models import ImportBatch

    with transaction.atomic():
        ids = [r.pk for r in regs]
        for reg in regs:
            for name in Registration.PERSONAL_FIELDS:
                setattr(reg, name, "")
            reg.cpr_hash, reg.birth_date, reg.sex, reg.postcode = "", None, "", ""
            reg.paper_form_number = ""
            reg.status, reg.anonymised_at = RegistrationStatus.ANONYMISED, timezone.now()
            reg.merged_into = None
            reg.save()
        MatchKey.objects.filter(registration_id__in=ids).delete()
        ConsentRecord.objects.filter(registration_id__in=ids).update(witness="",
                                                                     guardian_name="")
        Merge.objects.filter(survivor_id__in=ids).update(restore="")
        Merge.objects.filter(merged_id__in=ids).update(restore="")
        ImportBatch.objects.filter(incident_id__in={r.incident_id for r in regs}).delete()
        audit.record_many(action=AuditAction.DELETE, objects=regs,
                          fields=[*Registration.PERSONAL_FIELDS, "birth_date"],
                          extra={"retention": True})
    return len(regs)
