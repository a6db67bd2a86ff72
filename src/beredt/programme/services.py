"""Writes: referral (idempotent), the call, phases, consents, plans (versioned), hours with
the budget rule, network meetings, the network map, the activity plan, letters, close and
readmissions.

Every function takes keyword arguments, runs in one transaction, writes the audit log in it
and raises :mod:`beredt.core.errors` domain errors naming the field at fault. Who may do
what is checked here too (``side``: the municipality works on a case, the hospital refers,
calls, writes letters and records readmissions).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredt.core import audit, cpr
from beredt.core.audit import AuditAction
from beredt.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from beredt.geo import selectors as geo_selectors

from . import conf, selectors
from .models import (
    ELIGIBLE_ANSWER,
    LETTER_CONSENT,
    OPEN_PHASES,
    Activity,
    CallLog,
    Case,
    CaseConsent,
    ConsentMethod,
    ConsentPurpose,
    ContactOption,
    Criterion,
    Helper,
    HelperKind,
    HourEntry,
    HourKind,
    HourPeriod,
    Letter,
    LetterKind,
    NetworkMeeting,
    Outcome,
    Phase,
    PhaseChange,
    PlanKind,
    PlanVersion,
    ProgrammeRole,
    Readmission,
)

PHONE_RE = re.compile(r"\+?[0-9 ()-]{8,20}")


def _text(value, limit: int = 4000) -> str:
    return ("" if value is None else str(value).strip())[:limit]


def _need_side(side: str, wanted: str) -> None:
    if side != wanted:
        raise Forbidden(_("Only the municipality's programme staff can do this.")
                        if wanted == "municipality" else
                        _("Only the referring hospital can do this."), code="wrong_side")


def _lock(case: Case) -> Case:
    """Re-read the case locked for update (the budget and phase rules read then write)."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _set_phase(case: Case, to: str, *, by, note: str = "") -> None:
    PhaseChange.objects.create(case=case, from_phase=case.phase, to_phase=to, by=by,
                               note=note)
    case.phase, case.phase_changed_at = to, timezone.now()


def _ensure_open(case: Case) -> None:
    if case.phase not in OPEN_PHASES:
        raise Conflict(_("The case is closed."), code="case_closed", field="phase")


# --- referral --------------------------------------------------------------------------------

def _clean_eligibility(raw) -> tuple[dict, list[str]]:
    raw = raw if isinstance(raw, dict) else {}
    answers, reasons = {}, []
    for criterion in Criterion:
        value = raw.get(criterion.value)
        if not isinstance(value, bool):
            raise ValidationFailed(
                _("Answer every question of the eligibility checklist: %(q)s")
                % {"q": criterion.label}, code="eligibility_incomplete",
                field=f"eligibility.{criterion.value}")
        answers[criterion.value] = value
        if value != ELIGIBLE_ANSWER[criterion]:
            reasons.append(criterion.value)
    unknown = set(raw) - set(Criterion.values)
    if unknown:
        raise ValidationFailed(_("Unknown question in the eligibility checklist."),
                               code="unknown_criterion", field=f"eligibility.{sorted(unknown)[0]}")
    return answers, reasons


def _consent_rows(case: Case, consents, by) -> list[CaseConsent]:
    rows, seen = [], set()
    for i, item in enumerate(consents or []):
        purpose, method = _text(item.get("purpose")), _text(item.get("method"))
        if purpose not in ConsentPurpose.values:
            raise ValidationFailed(_("Unknown consent purpose."), code="invalid_choice",
                                   field=f"consents.{i}.purpose")
        if method not in ConsentMethod.values:
            raise ValidationFailed(_("Say how the consent was given."), code="invalid_choice",
                                   field=f"consents.{i}.method")
        witness = _text(item.get("witness"), 200)
        if method == ConsentMethod.VERBAL_WITNESSED and not witness:
            raise ValidationFailed(_("A verbal consent needs the witness's name."),
                                   code="witness_required", field=f"consents.{i}.witness")
        if purpose in seen:
            continue
        seen.add(purpose)
        rows.append(CaseConsent(case=case, purpose=purpose, method=method, witness=witness,
                                taken_by=by))
    return rows


def refer(*, by, client_id: uuid.UUID, data: dict) -> tuple[Case, bool]:
    """The hospital's referral. Idempotent on ``client_id``: a retry returns the case made the
    first time and ``False``. Someone who does not meet the checklist is recorded as
    "not offered" with the reasons; someone under the minimum age is refused."""
    existing = Case.objects.filter(client_id=client_id).first()
    if existing is not None:
        if selectors.side_of(by, existing) is None:
            raise Conflict(_("This client id is already used."), code="client_id_taken",
                           field="client_id")
        return existing, False
    org_id = data.get("referring_organisation_id")
    orgs = selectors.referring_organisations(by)
    if not orgs.exists():
        raise Forbidden(_("Only the hospital refers to the change programme."),
                        code="not_a_referrer")
    if org_id is None and orgs.count() == 1:
        org_id = orgs.first().pk
    organisation = orgs.filter(pk=org_id).first() if org_id is not None else None
    if organisation is None:
        raise ValidationFailed(_("Choose the department you refer from."),
                               code="unknown_organisation", field="referring_organisation_id")
    municipality = geo_selectors.municipality(data.get("municipality_code") or 0)
    if municipality is None:
        raise ValidationFailed(_("Unknown municipality."), code="unknown_municipality",
                               field="municipality_code")
    name = " ".join(_text(data.get("full_name"), 200).split())
    if not name:
        raise ValidationFailed(_("Write the patient's full name."), code="required",
                               field="full_name")
    number = cpr.parse(_text(data.get("cpr"), 20), field="cpr")
    today = timezone.localdate()
    admitted_on = data.get("admitted_on")
    if not isinstance(admitted_on, dt.date):
        raise ValidationFailed(_("Give the date of the admission."), code="required",
                               field="admitted_on")
    if admitted_on > today:
        raise ValidationFailed(_("The admission date is in the future."), code="future_date",
                               field="admitted_on")
    birth = number.birth_date
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if age < conf.get("PROGRAMME_MIN_AGE"):
        raise ValidationFailed(
            _("The change programme is for citizens aged %(n)s or more.")
            % {"n": conf.get("PROGRAMME_MIN_AGE")}, code="under_age", field="cpr")
    answers, reasons = _clean_eligibility(data.get("eligibility"))
    phone = _text(data.get("phone"), 30)
    if phone and not PHONE_RE.fullmatch(phone):
        raise ValidationFailed(_("A phone number has at least 8 digits."),
                               code="invalid_phone", field="phone")
    admission_number = data.get("admission_number") or 2
    if not isinstance(admission_number, int) or not 1 <= admission_number <= 99:
        raise ValidationFailed(_("The admission number is 1 or more."), code="invalid_number",
                               field="admission_number")
    with transaction.atomic():
        case = Case(client_id=client_id, full_name=name, cpr=number.compact,
                    cpr_hash=cpr.lookup_hash(number), birth_date=birth, phone=phone,
                    gp=_text(data.get("gp"), 300), municipality=municipality,
                    referring_organisation=organisation, referred_by=by,
                    admitted_on=admitted_on, admission_number=admission_number,
                    eligibility=answers, not_offered_reasons=reasons,
                    referral_note=_text(data.get("note")),
                    phase=Phase.NOT_OFFERED if reasons else Phase.REFERRED)
        consents = _consent_rows(case, data.get("consents"), by)
        if not reasons and not any(c.purpose == ConsentPurpose.PROGRAMME for c in consents):
            raise ValidationFailed(_("Record the patient's consent to the change programme."),
                                   code="consent_required", field="consents")
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError:
            # A parallel retry with the same client id won the race.
            found = Case.objects.filter(client_id=client_id).first()
            if found is None:
                raise
            return found, False
        PhaseChange.objects.create(case=case, from_phase="", to_phase=case.phase, by=by)
        CaseConsent.objects.bulk_create(consents)
        audit.record(action=AuditAction.CREATE, obj=case, actor=by,
                     fields=["full_name", "cpr", "phone", "gp", "referral_note"])
        call = data.get("call")
        if call and case.phase == Phase.REFERRED:
            log_call(by=by, case=case, side="hospital", **call)
    return case, True


def log_call(*, by, case: Case, side: str, number: str, line_name: str = "",
             patient_present: bool = True, agreed: str = "",
             called_at: dt.datetime | None = None) -> CallLog:
    """The hospital calls the municipality together with the patient; the first talk
    happens during the admission. A case waiting for the call moves to phase 1."""
    if side not in ("hospital", "municipality"):
        raise Forbidden()
    number = _text(number, 30)
    if not PHONE_RE.fullmatch(number):
        raise ValidationFailed(_("Give the number that was called."), code="invalid_phone",
                               field="number")
    with transaction.atomic():
        case = _lock(case)
        _ensure_open(case)
        row = CallLog.objects.create(case=case, number=number, line_name=_text(line_name, 200),
                                     patient_present=bool(patient_present),
                                     agreed=_text(agreed), by=by,
                                     called_at=called_at or timezone.now())
        if case.phase == Phase.REFERRED:
            _set_phase(case, Phase.CONTACT, by=by)
            case.save(update_fields=["phase", "phase_changed_at"])
        audit.record(action=AuditAction.CREATE, obj=row, actor=by, fields=["agreed"])
    return row


# --- phases ------------------------------------------------------------------------------------

def change_phase(*, by, case: Case, side: str, to: str, contact_option: str = "",
                 note: str = "") -> Case:
    """Forward only: referred → contact → contract → relapse. In phase 1 the agreement with
    the citizen is recorded (``contact_option``); the contract needs the programme consent
    and an agreement other than "nothing more"; phase 3 needs a saved contract. Closing is
    :func:`close`."""
    _need_side(side, "municipality")
    if to not in (Phase.CONTACT, Phase.CONTRACT, Phase.RELAPSE):
        raise ValidationFailed(_("Close a case with its outcome, not as a phase."),
                               code="invalid_phase", field="to")
    if contact_option and contact_option not in ContactOption.values:
        raise ValidationFailed(_("Unknown phase 1 agreement."), code="invalid_choice",
                               field="contact_option")
    with transaction.atomic():
        case = _lock(case)
        _ensure_open(case)
        order = [Phase.REFERRED, Phase.CONTACT, Phase.CONTRACT, Phase.RELAPSE]
        here, there = order.index(case.phase), order.index(to)
        if there < here or there > here + 1:
            raise Conflict(_("A case moves one phase forward at a time (now: %(p)s).")
                           % {"p": Phase(case.phase).label}, code="invalid_transition",
                           field="to")
        if contact_option:
            if case.phase not in (Phase.REFERRED, Phase.CONTACT):
                raise Conflict(_("The phase 1 agreement is made in phase 1."),
                               code="wrong_phase", field="contact_option")
            case.contact_option = contact_option
        if to == Phase.CONTRACT and case.phase != Phase.CONTRACT:
            if case.contact_option in ("", ContactOption.NOTHING):
                raise Conflict(_("Record a phase 1 agreement that continues the programme "
                                 "first."), code="contact_option_required",
                               field="contact_option")
            if selectors.active_consent(case, ConsentPurpose.PROGRAMME) is None:
                raise Conflict(_("The citizen's consent to the programme is missing or "
                                 "withdrawn."), code="consent_missing", field="consent")
        if to == Phase.RELAPSE and case.phase != Phase.RELAPSE \
                and selectors.latest_plan(case, PlanKind.CONTRACT) is None:
            raise Conflict(_("Make the contract before the relapse plan phase."),
                           code="contract_required", field="contract")
        if to != case.phase:
            _set_phase(case, to, by=by, note=_text(note))
        case.save(update_fields=["phase", "phase_changed_at", "contact_option"])
        audit.record(action=AuditAction.UPDATE, obj=case, actor=by,
                     fields=["phase", "contact_option"])
    return case


def assign(*, by, case: Case, side: str, skp_id: int | None, caseworker_id: int | None) -> Case:
    _need_side(side, "municipality")
    with transaction.atomic():
        case = _lock(case)
        for field, user_id, role in (("skp", skp_id, ProgrammeRole.SKP),
                                     ("caseworker", caseworker_id, ProgrammeRole.CASEWORKER)):
            if user_id is None:
                setattr(case, f"{field}_id", None)
                continue
            user = selectors.staff_of(case, role).filter(pk=user_id).first()
            if user is None:
                raise ValidationFailed(_("Choose someone with that role in the citizen's "
                                         "municipality."), code="unknown_user",
                                       field=f"{field}_id")
            setattr(case, field, user)
        case.save(update_fields=["skp", "caseworker"])
        audit.record(action=AuditAction.UPDATE, obj=case, actor=by, fields=["skp", "caseworker"])
    return case


# --- consents ---------------------------------------------------------------------------------

def add_consent(*, by, case: Case, side: str, purpose: str, method: str,
                witness: str = "") -> CaseConsent:
    if side not in ("municipality", "hospital"):
        raise Forbidden()
    with transaction.atomic():
        case = _lock(case)
        rows = _consent_rows(case, [{"purpose": purpose, "method": method,
                                     "witness": witness}], by)
        if selectors.active_consent(case, purpose) is not None:
            raise Conflict(_("This consent is already recorded."), code="consent_exists",
                           field="purpose")
        rows[0].save()
        audit.record(action=AuditAction.CREATE, obj=rows[0], actor=by, fields=["witness"])
    return rows[0]


def withdraw_consent(*, by, case: Case, side: str, consent_id: int, reason: str) -> CaseConsent:
    if side not in ("municipality", "hospital"):
        raise Forbidden()
    reason = _text(reason, 1000)
    if not reason:
        raise ValidationFailed(_("Give the reason for the withdrawal."), code="required",
                               field="reason")
    with transaction.atomic():
        consent = case.consents.select_for_update().filter(pk=consent_id).first()
        if consent is None:
            raise NotFound()
        if consent.withdrawn_at is not None:
            raise Conflict(_("The consent is already withdrawn."), code="already_withdrawn")
        consent.withdrawn_at, consent.withdrawn_reason = timezone.now(), reason
        consent.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        audit.record(action=AuditAction.UPDATE, obj=consent, actor=by, fields=["withdrawn_at"])
    return consent


# --- plans --------------------------------------------------------------------------------------

CRISIS_CONVERSATION = ("wants_from_talk", "background", "wish", "hinders", "vulnerability",
                       "shared_focus", "zoom_in", "plan")
CRISIS_PHASES = ("phase1_safety", "phase2_health", "phase3_ending")
RELAPSE_RESULTS = ("changed", "keep_using", "hold_on", "obstacles", "tackle")


def _str_list(value, field: str, *, limit: int = 20) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed(_("Give a list of texts."), code="invalid_list", field=field)
    return [v.strip()[:1000] for v in value if v.strip()][:limit]


def clean_contract(data: dict) -> dict:
    start = data.get("start_date")
    if isinstance(start, str):
        try:
            start = dt.date.fromisoformat(start)
        except ValueError:
            start = None
    if not isinstance(start, dt.date):
        raise ValidationFailed(_("Give the date the contract starts."), code="required",
                               field="start_date")
    goals = _str_list(data.get("goals"), "goals")
    if not goals:
        raise ValidationFailed(_("A contract needs at least one goal."), code="goals_required",
                               field="goals")
    responsibilities = []
    for i, item in enumerate(data.get("responsibilities") or []):
        if not isinstance(item, dict):
            raise ValidationFailed(_("Give who does what."), code="invalid_list",
                                   field=f"responsibilities.{i}")
        who, what = _text(item.get("who"), 200), _text(item.get("what"), 1000)
        if who or what:
            responsibilities.append({"who": who, "what": what})
    return {
        "start_date": start.isoformat(),
        "goals": goals,
        "actions": _str_list(data.get("actions"), "actions"),
        "expectations": _text(data.get("expectations")),
        "responsibilities": responsibilities,
        "priorities": _str_list(data.get("priorities"), "priorities"),
        "other_helpers": _text(data.get("other_helpers")),
        "consent_note": _text(data.get("consent_note")),
        "signed_citizen_on": _text(data.get("signed_citizen_on"), 10),
        "signed_skp_on": _text(data.get("signed_skp_on"), 10),
    }


def clean_crisis(data: dict) -> dict:
    out = {k: _text(data.get(k)) for k in (*CRISIS_CONVERSATION, *CRISIS_PHASES)}
    out["may_contact_again"] = bool(data.get("may_contact_again"))
    if not any(out[k] for k in (*CRISIS_CONVERSATION, *CRISIS_PHASES)):
        raise ValidationFailed(_("Write at least one answer of the crisis plan."),
                               code="plan_empty", field="plan")
    return out


def clean_relapse(data: dict) -> dict:
    out = {k: _text(data.get(k)) for k in (*RELAPSE_RESULTS, "warning_inner", "warning_outer",
                                           "high_risk")}
    out["good_things"] = _str_list(data.get("good_things"), "good_things", limit=10)
    if not (out["warning_inner"] or out["warning_outer"]):
        raise ValidationFailed(_("Write the early warning signs (inner or outer)."),
                               code="warning_signs_required", field="warning_inner")
    if not out["good_things"]:
        raise ValidationFailed(_("Write at least one good thing to do in the future."),
                               code="good_things_required", field="good_things")
    return out


CLEANERS = {PlanKind.CONTRACT: clean_contract, PlanKind.CRISIS: clean_crisis,
            PlanKind.RELAPSE: clean_relapse}
PLAN_PHASES = {PlanKind.CONTRACT: (Phase.CONTRACT, Phase.RELAPSE),
               PlanKind.CRISIS: (Phase.CONTACT, Phase.CONTRACT, Phase.RELAPSE),
               PlanKind.RELAPSE: (Phase.CONTRACT, Phase.RELAPSE)}


def save_plan(*, by, case: Case, side: str, kind: str, data: dict) -> tuple[PlanVersion, bool]:
    """Save a new version (``True``) — or return the latest when nothing changed."""
    _need_side(side, "municipality")
    content = CLEANERS[kind](data if isinstance(data, dict) else {})
    with transaction.atomic():
        case = _lock(case)
        _ensure_open(case)
        if case.phase not in PLAN_PHASES[kind]:
            raise Conflict(_("This plan is made in another phase (now: %(p)s).")
                           % {"p": Phase(case.phase).label}, code="wrong_phase", field="phase")
        if kind == PlanKind.CONTRACT:
            if selectors.active_consent(case, ConsentPurpose.PROGRAMME) is None:
                raise Conflict(_("The citizen's consent to the programme is missing or "
                                 "withdrawn."), code="consent_missing", field="consent")
            start = dt.date.fromisoformat(content["start_date"])
            if case.contract_start and start != case.contract_start and case.hours.exists():
                raise Conflict(_("Hours are logged: the start date can no longer change."),
                               code="start_fixed", field="start_date")
            case.contract_start = start
            case.save(update_fields=["contract_start"])
        latest = selectors.latest_plan(case, kind)
        if latest is not None and latest.data == content:
            return latest, False
        plan = PlanVersion.objects.create(case=case, kind=kind,
                                          version=(latest.version + 1) if latest else 1,
                                          content=json.dumps(content, ensure_ascii=False),
                                          saved_by=by)
        audit.record(action=AuditAction.CREATE, obj=plan, actor=by, fields=["content"])
    return plan, True


def mark_shared(*, by, case: Case, side: str, plan_id: int) -> PlanVersion:
    _need_side(side, "municipality")
    with transaction.atomic():
        plan = case.plans.select_for_update().filter(pk=plan_id).first()
        if plan is None:
            raise NotFound()
        if plan.shared_with_citizen_at is None:
            plan.shared_with_citizen_at = timezone.now()
            plan.save(update_fields=["shared_with_citizen_at"])
            audit.record(action=AuditAction.UPDATE, obj=plan, actor=by,
                         fields=["shared_with_citizen_at"])
    return plan


# --- hours --------------------------------------------------------------------------------------

def _hhmm(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def log_hours(*, by, case: Case, side: str, date: dt.date, minutes: int, kind: str,
              note: str = "", client_id: uuid.UUID | None = None) -> tuple[HourEntry, bool]:
    """Log time spent with the citizen. The 4 weeks have 32 hours, the 2 follow-up weeks 5;
    more only as granted by a network meeting to which the authority caseworker was
    invited — otherwise the entry is refused (409 ``budget_exceeded``)."""
    _need_side(side, "municipality")
    if client_id is not None:
        found = HourEntry.objects.filter(client_id=client_id).first()
        if found is not None:
            if found.case_id != case.pk:
                raise Conflict(_("This client id is already used."), code="client_id_taken",
                               field="client_id")
            return found, False
    if kind not in HourKind.values:
        raise ValidationFailed(_("Unknown kind of time."), code="invalid_choice", field="kind")
    if not isinstance(minutes, int) or not 1 <= minutes <= 24 * 60:
        raise ValidationFailed(_("Give the minutes (1 to 1440)."), code="invalid_minutes",
                               field="minutes")
    if date > timezone.localdate():
        raise ValidationFailed(_("The date is in the future."), code="future_date",
                               field="date")
    with transaction.atomic():
        case = _lock(case)
        _ensure_open(case)
        if case.contract_start is None or case.phase not in (Phase.CONTRACT, Phase.RELAPSE):
            raise Conflict(_("Hours are logged from the contract's start."),
                           code="no_contract", field="date")
        if date < case.contract_start:
            raise ValidationFailed(_("The date is before the contract starts (%(d)s).")
                                   % {"d": case.contract_start.strftime("%d-%m-%Y")},
                                   code="before_contract", field="date")
        if date >= case.followup_ends:
            raise ValidationFailed(_("The programme and its follow-up ended on %(d)s.")
                                   % {"d": (case.followup_ends - dt.timedelta(days=1))
                                      .strftime("%d-%m-%Y")},
                                   code="after_followup", field="date")
        period = HourPeriod.PROGRAMME if date < case.programme_ends else HourPeriod.FOLLOWUP
        programme = case.programme_minutes + (minutes if period == HourPeriod.PROGRAMME else 0)
        followup = case.followup_minutes + (minutes if period == HourPeriod.FOLLOWUP else 0)
        over = (max(0, programme - case.programme_budget)
                + max(0, followup - case.followup_budget))
        if over > case.extra_minutes:
            used = programme - minutes if period == HourPeriod.PROGRAMME else followup - minutes
            budget = (case.programme_budget if period == HourPeriod.PROGRAMME
                      else case.followup_budget)
            raise Conflict(
                _("The budget is used up: %(used)s of %(budget)s hours in %(period)s "
                  "(plus %(extra)s granted). More hours only after a network meeting to which "
                  "the authority caseworker was invited.")
                % {"used": _hhmm(used), "budget": _hhmm(budget),
                   "period": HourPeriod(period).label, "extra": _hhmm(case.extra_minutes)},
                code="budget_exceeded", field="minutes")
        entry = HourEntry(case=case, client_id=client_id, date=date, minutes=minutes,
                          kind=kind, period=period, worker=by, note=_text(note, 1000))
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:
            found = HourEntry.objects.filter(client_id=client_id).first()
            if found is None:
                raise
            return found, False
        case.programme_minutes, case.followup_minutes = programme, followup
        case.save(update_fields=["programme_minutes", "followup_minutes"])
        audit.record(action=AuditAction.CREATE, obj=entry, actor=by, fields=["note"])
    return entry, True


# --- network meetings and the network map -------------------------------------------------

def _participants(value) -> list[dict]:
    out = []
    for i, item in enumerate(value or []):
        if not isinstance(item, dict) or not _text(item.get("name"), 200):
            raise ValidationFailed(_("Give each participant's name."), code="required",
                                   field=f"participants.{i}.name")
        out.append({"name": _text(item.get("name"), 200), "role": _text(item.get("role"), 200),
                    "organisation": _text(item.get("organisation"), 200)})
    return out


def add_meeting(*, by, case: Case, side: str, starts_at: dt.datetime, place: str,
                participants=None, caseworker_invited: bool = False, minutes_text: str = "",
                decisions: str = "", extra_hours: float = 0,
                client_id: uuid.UUID | None = None) -> tuple[NetworkMeeting, bool]:
    """Plan (and later minute) a network meeting. A meeting grants more hours only when the
    authority caseworker was invited — the seed: *myndighedspersoner skal altid inviteres,
    når det handler om bevillinger af timer*."""
    _need_side(side, "municipality")
    if client_id is not None:
        found = NetworkMeeting.objects.filter(client_id=client_id).first()
        if found is not None:
            if found.case_id != case.pk:
                raise Conflict(_("This client id is already used."), code="client_id_taken",
                               field="client_id")
            return found, False
    place = _text(place, 200)
    if not place:
        raise ValidationFailed(_("Give the place of the meeting."), code="required",
                               field="place")
    people = _participants(participants)
    try:
        extra = round(float(extra_hours or 0) * 60)
    except (TypeError, ValueError):
        extra = -1
    if not 0 <= extra <= 40 * 60:
        raise ValidationFailed(_("Extra hours are between 0 and 40."), code="invalid_hours",
                               field="extra_hours")
    if extra and not caseworker_invited:
        raise Conflict(_("More hours can only be granted at a meeting to which the authority "
                         "caseworker was invited."), code="caseworker_not_invited",
                       field="caseworker_invited")
    with transaction.atomic():
        case = _lock(case)
        _ensure_open(case)
        meeting = NetworkMeeting(
            case=case, client_id=client_id, starts_at=starts_at, place=place,
            participants=json.dumps(people, ensure_ascii=False),
            caseworker_invited_at=timezone.now() if caseworker_invited else None,
            minutes_text=_text(minutes_text), decisions=_text(decisions),
            extra_minutes=extra, created_by=by)
        meeting.save()
        if extra:
            case.extra_minutes += extra
            case.save(update_fields=["extra_minutes"])
        audit.record(action=AuditAction.CREATE, obj=meeting, actor=by,
                     fields=["participants", "minutes_text", "decisions"])
    return meeting, True


def add_helper(*, by, case: Case, side: str, kind: str, name: str, relation: str = "",
               phone: str = "") -> Helper:
    _need_side(side, "municipality")
    if kind not in HelperKind.values:
        raise ValidationFailed(_("Unknown kind of helper."), code="invalid_choice", field="kind")
    name = _text(name, 200)
    if not name:
        raise ValidationFailed(_("Give the helper's name."), code="required", field="name")
    phone = _text(phone, 30)
    if phone and not PHONE_RE.fullmatch(phone):
        raise ValidationFailed(_("A phone number has at least 8 digits."),
                               code="invalid_phone", field="phone")
    with transaction.atomic():
        _ensure_open(case)
        helper = Helper.objects.create(case=case, kind=kind, name=name,
                                       relation=_text(relation, 200), phone=phone, added_by=by)
        audit.record(action=AuditAction.CREATE, obj=helper, actor=by,
                     fields=["name", "relation", "phone"])
    return helper


def add_activity(*, by, case: Case, side: str, service_id, note: str = "") -> Activity:
    """Pick an offer of the directory (the municipality's or its region's) for the plan."""
    from beredt.directory import selectors as directory

    _need_side(side, "municipality")
    offers = directory.search_services(municipality=case.municipality_id, kind="offer")
    try:
        service = offers.filter(pk=uuid.UUID(str(service_id))).first()
    except ValueError:
        service = None
    if service is None:
        raise ValidationFailed(_("Choose an offer of the citizen's municipality."),
                               code="unknown_offer", field="service_id")
    with transaction.atomic():
        _ensure_open(case)
        activity, created = Activity.objects.get_or_create(
            case=case, service=service, defaults={"note": _text(note, 1000), "added_by": by})
        if created:
            audit.record(action=AuditAction.CREATE, obj=activity, actor=by, fields=["note"])
    return activity


# --- letters ------------------------------------------------------------------------------------

def require_letter_consent(case: Case, kind: str) -> None:
    if selectors.active_consent(case, LETTER_CONSENT[kind]) is None:
        raise Conflict(_("The patient's consent (%(c)s) is missing or withdrawn: nothing is "
                         "sent.") % {"c": ConsentPurpose(LETTER_CONSENT[kind]).label},
                       code="consent_missing", field="consent")


def write_letter(*, by, case: Case, side: str, kind: str, text: str, contact_phone: str = "",
                 patient_accepted: bool = False) -> Letter:
    """The GP letter (first admission) or the CAVE proposal, written by the hospital; only
    with the matching consent."""
    if side != "hospital" and not by.is_superuser:
        _need_side(side, "hospital")
    if kind not in LetterKind.values:
        raise ValidationFailed(_("Unknown kind of letter."), code="invalid_choice", field="kind")
    text = _text(text, 4000)
    if not text:
        raise ValidationFailed(_("Write the text of the letter."), code="required",
                               field="text")
    contact_phone = _text(contact_phone, 30)
    if kind == LetterKind.CAVE:
        if len(text) > 500:
            raise ValidationFailed(_("A CAVE text is short: at most 500 characters."),
                                   code="too_long", field="text")
        if not PHONE_RE.fullmatch(contact_phone):
            raise ValidationFailed(_("Give the phone number of someone with access to the "
                                     "coordination plan."), code="invalid_phone",
                                   field="contact_phone")
        if not patient_accepted:
            raise ValidationFailed(_("A CAVE message must be accepted by the patient."),
                                   code="acceptance_required", field="patient_accepted")
    with transaction.atomic():
        require_letter_consent(case, kind)
        letter = Letter.objects.create(
            case=case, kind=kind, text=text, contact_phone=contact_phone,
            patient_accepted_at=timezone.now() if patient_accepted else None, created_by=by)
        audit.record(action=AuditAction.CREATE, obj=letter, actor=by, fields=["text"])
    return letter


# --- close and readmissions ---------------------------------------------------------------

def close(*, by, case: Case, side: str, outcome: str, note: str = "") -> Case:
    """Close with an outcome. A case that reached the contract needs a relapse plan; one
    closed in phase 1 (the citizen wanted nothing more) has the outcome "declined"."""
    _need_side(side, "municipality")
    if outcome not in Outcome.values:
        raise ValidationFailed(_("Unknown outcome."), code="invalid_choice", field="outcome")
    with transaction.atomic():
        case = _lock(case)
        _ensure_open(case)
        early = case.phase in (Phase.REFERRED, Phase.CONTACT)
        if early and outcome != Outcome.DECLINED:
            raise Conflict(_("Before the contract a case closes only as \"the citizen wanted "
                             "nothing more\"."), code="invalid_outcome", field="outcome")
        if not early:
            if outcome == Outcome.DECLINED:
                raise Conflict(_("\"Wanted nothing more\" is a phase 1 outcome."),
                               code="invalid_outcome", field="outcome")
            if not selectors.has_relapse_plan(case):
                raise Conflict(_("Make the relapse plan before the case is closed."),
                               code="relapse_plan_required", field="relapse_plan")
        _set_phase(case, Phase.CLOSED, by=by, note=_text(note))
        case.outcome, case.closing_note, case.closed_at = outcome, _text(note), timezone.now()
        case.save(update_fields=["phase", "phase_changed_at", "outcome", "closing_note",
                                 "closed_at"])
        audit.record(action=AuditAction.UPDATE, obj=case, actor=by,
                     fields=["phase", "outcome", "closing_note"])
    return case


def record_readmission(*, by, case: Case, side: str, admitted_on: dt.date) -> Readmission:
    if side != "hospital" and not by.is_superuser:
        _need_side(side, "hospital")
    if admitted_on > timezone.localdate():
        raise ValidationFailed(_("The date is in the future."), code="future_date",
                               field="admitted_on")
    if admitted_on <= case.admitted_on:
        raise ValidationFailed(_("A readmission comes after the referring admission."),
                               code="before_referral", field="admitted_on")
    with transaction.atomic():
        row, created = Readmission.objects.get_or_create(
            case=case, admitted_on=admitted_on, defaults={"recorded_by": by})
        if created:
            audit.record(action=AuditAction.CREATE, obj=row, actor=by, fields=["admitted_on"])
    return row
