"""Cases of the social change programme and everything recorded on them.

Personal data at rest: the citizen's name, CPR, phone, GP, the plans' contents, notes,
meeting minutes, helpers and letters are :class:`~beredt.core.fields.EncryptedTextField`
columns (plans as encrypted JSON). CPR look-up goes through ``cpr_hash``. Dates, phase,
minutes and the municipality stay in clear: they drive the deadlines, the budget, the lists
and the leader's overview.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from beredt.core.fields import EncryptedTextField

from . import conf


class ProgrammeRole(models.TextChoices):
    REFERRER = "referrer", _("Hospital: refers patients")
    ACUTE_OFFER = "acute_offer", _("Municipal acute offer")
    SKP = "skp", _("Support contact person (SKP)")
    CASEWORKER = "caseworker", _("Authority caseworker")
    LEADER = "leader", _("Team leader")


MUNICIPAL_ROLES = frozenset({ProgrammeRole.ACUTE_OFFER, ProgrammeRole.SKP,
                             ProgrammeRole.CASEWORKER, ProgrammeRole.LEADER})


class ProgrammeMembership(models.Model):
    """A user's part in the programme for an organisation (and the organisations below it).

    Hospital staff (``referrer``) belong to a hospital department; the municipality's
    programme staff to the municipality (or one of its centres)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="programme_memberships", verbose_name=_("user"))
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=20, choices=ProgrammeRole.choices)

    class Meta:
        verbose_name = _("programme membership")
        verbose_name_plural = _("programme memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"],
                                               name="programme_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


class Phase(models.TextChoices):
    NOT_OFFERED = "not_offered", _("Not offered")
    REFERRED = "referred", _("Referred")
    CONTACT = "contact", _("Phase 1: contact")
    CONTRACT = "contract", _("Phase 2: contract")
    RELAPSE = "relapse", _("Phase 3: relapse plan")
    CLOSED = "closed", pgettext_lazy("programme phase", "Closed")


OPEN_PHASES = (Phase.REFERRED, Phase.CONTACT, Phase.CONTRACT, Phase.RELAPSE)
TIMELINE = (Phase.REFERRED, Phase.CONTACT, Phase.CONTRACT, Phase.RELAPSE, Phase.CLOSED)


class ContactOption(models.TextChoices):
    """Phase 1's three options as the seed gives them."""

    NOTHING = "nothing", _("Nothing more is done")
    ACUTE_FOLLOWUP = "acute_followup", _("The acute offer follows up until the SKP takes over")
    SKP_TALK = "skp_talk", _("The SKP's clarifying talk")


class Outcome(models.TextChoices):
    """Closing outcomes, named after the municipal follow-up results (continue / change
    within the frame / close / re-assess) plus "declined" for phase 1's "nothing more"."""

    CONTINUE = "continue", _("Continue in another offer")
    CHANGE = "change_within_frame", _("Change within the frame")
    CLOSE = "close", _("Goals reached, closed")
    REASSESS = "reassess", _("Re-assess")
    DECLINED = "declined", _("The citizen wanted nothing more")


class Criterion(models.TextChoices):
    """The seed's target group as a checklist: each must be answered, an answer that
    excludes records why the programme was not offered."""

    ACUTE_ADMISSION = "acute_admission", _("Acutely admitted with a psychiatric problem")
    DISCHARGED_WITHOUT_WARD = "discharged_without_ward", _(
        "Discharged without the psychiatric department")
    ALREADY_IN_TREATMENT = "already_in_treatment", _(
        "Already in treatment (e.g. schizophrenia, bipolar disorder)")
    COERCION = "coercion", _("Admitted under coercion")
    DEMENTIA = "dementia", _("Dementia")
    CONVICTED = "convicted", _("Under a sentence (patient with a conviction)")
    USER_CONTROLLED_BED = "user_controlled_bed", _("Has a user-controlled bed contract")


# The answer that makes the citizen eligible, per criterion.
ELIGIBLE_ANSWER = {
    Criterion.ACUTE_ADMISSION: True,
    Criterion.DISCHARGED_WITHOUT_WARD: True,
    Criterion.ALREADY_IN_TREATMENT: False,
    Criterion.COERCION: False,
    Criterion.DEMENTIA: False,
    Criterion.CONVICTED: False,
    Criterion.USER_CONTROLLED_BED: False,
}


class Case(models.Model):
    """One citizen's programme, from the hospital's referral to the close."""

    KEYED_HASHES = {"cpr_hash": ("cpr", "cpr")}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client_id = models.UUIDField(_("client id"), unique=True)
    full_name = EncryptedTextField(_("full name"))
    cpr = EncryptedTextField(_("CPR number"))
    cpr_hash = models.CharField(max_length=64, editable=False)
    birth_date = models.DateField(_("birth date"))
    phone = EncryptedTextField(_("phone"), blank=True)
    gp = EncryptedTextField(_("GP (name and clinic)"), blank=True)
    municipality = models.ForeignKey("geo.Municipality", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("municipality"))
    referring_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("referring department"))
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("referred by"))
    referred_at = models.DateTimeField(_("referred"), default=timezone.now)
    admitted_on = models.DateField(_("admitted"))
    admission_number = models.PositiveSmallIntegerField(_("acute admission no."), default=2)
    eligibility = models.JSONField(_("eligibility checklist"), default=dict)
    not_offered_reasons = models.JSONField(default=list, blank=True)
    referral_note = EncryptedTextField(_("social problems seen by the hospital"), blank=True)
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices,
                             default=Phase.REFERRED)
    phase_changed_at = models.DateTimeField(default=timezone.now)
    contact_option = models.CharField(_("phase 1 agreement"), max_length=20,
                                      choices=ContactOption.choices, blank=True)
    skp = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("support contact person (SKP)"))
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("authority caseworker"))
    contract_start = models.DateField(_("contract starts"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices,
                               blank=True)
    closing_note = EncryptedTextField(_("closing note"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Denormalised from the hour log (written in the same transaction as each entry) so the
    # case list and the overview read no hour rows.
    programme_minutes = models.PositiveIntegerField(default=0)
    followup_minutes = models.PositiveIntegerField(default=0)
    extra_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("programme case")
        verbose_name_plural = _("programme cases")
        ordering = ["-referred_at"]
        indexes = [
            models.Index(fields=["municipality", "phase", "-referred_at"],
                         name="programme_case_mun_phase"),
            models.Index(fields=["referring_organisation", "-referred_at"],
                         name="programme_case_ref_org"),
            models.Index(fields=["cpr_hash"], name="programme_case_cpr_hash"),
            models.Index(fields=["referred_at"], name="programme_case_referred_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(phase="closed") | (
                    models.Q(closed_at__isnull=False) & ~models.Q(outcome="")),
                name="programme_closed_has_outcome"),
            models.CheckConstraint(condition=models.Q(admission_number__gte=1),
                                   name="programme_admission_number_positive"),
        ]

    def __str__(self) -> str:
        return str(self.pk)

    # --- deadlines and budget --------------------------------------------------------
    @property
    def programme_ends(self) -> dt.date | None:
        if not self.contract_start:
            return None
        return self.contract_start + dt.timedelta(weeks=conf.get("PROGRAMME_WEEKS"))

    @property
    def followup_ends(self) -> dt.date | None:
        if not self.contract_start:
            return None
        return self.programme_ends + dt.timedelta(weeks=conf.get("PROGRAMME_FOLLOWUP_WEEKS"))

    @property
    def programme_budget(self) -> int:
        return conf.get("PROGRAMME_ATA_HOURS") * 60

    @property
    def followup_budget(self) -> int:
        return conf.get("PROGRAMME_FOLLOWUP_HOURS") * 60

    @property
    def used_minutes(self) -> int:
        return self.programme_minutes + self.followup_minutes

    @property
    def total_budget(self) -> int:
        return self.programme_budget + self.followup_budget + self.extra_minutes

    @property
    def remaining_minutes(self) -> int:
        return self.total_budget - self.used_minutes

    @property
    def near_limit(self) -> bool:
        share = conf.get("PROGRAMME_HOURS_WARNING_SHARE")
        return self.used_minutes >= share * self.total_budget

    @property
    def next_deadline(self) -> dt.date | None:
        today = timezone.localdate()
        for day in (self.programme_ends, self.followup_ends):
            if day and day >= today:
                return day
        return self.followup_ends

    @property
    def is_open(self) -> bool:
        return self.phase in OPEN_PHASES

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class PhaseChange(models.Model):
    """The timeline: every phase a case entered, when and by whom."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=12, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=12, choices=Phase.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_phase} → {self.to_phase}"


class ConsentPurpose(models.TextChoices):
    PROGRAMME = "programme", _("The change programme")
    SHARE_HOSPITAL = "share_hospital", _("Sharing with the hospital")
    SHARE_GP = "share_gp", _("Sharing with the GP (letters)")
    CAVE = "cave", _("CAVE message to the out-of-hours doctors")


class ConsentMethod(models.TextChoices):
    SIGNED_PAPER = "signed_paper", _("Signed paper form")
    VERBAL_WITNESSED = "verbal_witnessed", _("Verbal, with a witness")
    DIGITAL = "digital", _("Digital")


class CaseConsent(models.Model):
    """A documented consent for one purpose; withdrawn at any time, never deleted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("consent to"), max_length=20, choices=ConsentPurpose.choices)
    method = models.CharField(_("how it was given"), max_length=20,
                              choices=ConsentMethod.choices)
    witness = EncryptedTextField(_("witness"), blank=True)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("taken by"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("programme consent")
        verbose_name_plural = _("programme consents")
        ordering = ["given_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | ~models.Q(withdrawn_reason=""),
                name="programme_consent_withdrawal_reason"),
            models.UniqueConstraint(fields=["case", "purpose"],
                                    condition=models.Q(withdrawn_at__isnull=True),
                                    name="programme_one_active_consent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.case_id})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class CallLog(models.Model):
    """The hospital's call to the municipality, made together with the patient."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="calls")
    called_at = models.DateTimeField(_("called"), default=timezone.now)
    number = models.CharField(_("number called"), max_length=30)
    line_name = models.CharField(_("line"), max_length=200, blank=True)
    patient_present = models.BooleanField(_("the patient took part in the call"), default=True)
    agreed = EncryptedTextField(_("what was agreed about the next contact"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["called_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.number}"


class PlanKind(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    CRISIS = "crisis", _("Crisis plan")
    RELAPSE = "relapse", _("Relapse plan")


class PlanVersion(models.Model):
    """One saved version of a case's contract, crisis plan or relapse plan; a new save is
    a new version, the older ones stay (and print)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(max_length=10, choices=PlanKind.choices)
    version = models.PositiveIntegerField()
    content = EncryptedTextField()  # JSON
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    shared_with_citizen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "version"],
                                               name="programme_plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} v{self.version}"

    @property
    def data(self) -> dict:
        return json.loads(self.content or "{}")


class HourKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face (ATA)")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    MEETING = "meeting", _("Network meeting")


class HourPeriod(models.TextChoices):
    PROGRAMME = "programme", _("The 4 weeks")
    FOLLOWUP = "followup", _("Follow-up (2 weeks)")


class HourEntry(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client_id = models.UUIDField(unique=True, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hours")
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"))
    kind = models.CharField(_("kind"), max_length=20, choices=HourKind.choices)
    period = models.CharField(max_length=10, choices=HourPeriod.choices)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("by"))
    note = EncryptedTextField(_("note"), blank=True)
    logged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "logged_at"]
        constraints = [models.CheckConstraint(condition=models.Q(minutes__gt=0),
                                              name="programme_hours_positive")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.date} {self.minutes}"


class NetworkMeeting(models.Model):
    """A network meeting: planner, the caseworker's invitation, minutes and decisions. Only a
    meeting to which the authority caseworker was invited may grant more hours."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client_id = models.UUIDField(unique=True, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    participants = EncryptedTextField(_("participants"), blank=True)  # JSON list
    caseworker_invited_at = models.DateTimeField(_("caseworker invited"), null=True,
                                                 blank=True)
    minutes_text = EncryptedTextField(_("minutes of the meeting"), blank=True)
    decisions = EncryptedTextField(_("decisions"), blank=True)
    extra_minutes = models.PositiveIntegerField(_("extra minutes granted"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(
            condition=models.Q(extra_minutes=0) | models.Q(caseworker_invited_at__isnull=False),
            name="programme_extra_hours_need_caseworker")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.starts_at:%Y-%m-%d}"

    @property
    def participant_list(self) -> list[dict]:
        return json.loads(self.participants or "[]")


class HelperKind(models.TextChoices):
    FAMILY = "family", _("Family")
    FRIEND = "friend", _("Friend or neighbour")
    PROFESSIONAL = "professional", _("Professional")
    ASSOCIATION = "association", _("Association or volunteer")


class Helper(models.Model):
    """One entry of the citizen's network map (*netværkskort*)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="helpers")
    kind = models.CharField(_("kind"), max_length=20, choices=HelperKind.choices)
    name = EncryptedTextField(_("name"))
    relation = EncryptedTextField(_("relation or role"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Activity(models.Model):
    """An offer of the directory picked for the activity plan."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="activities")
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("offer"))
    note = EncryptedTextField(_("what and when"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "service"],
                                               name="programme_activity_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.service_id}"


class LetterKind(models.TextChoices):
    GP_LETTER = "gp_letter", _("Letter to the GP")
    CAVE = "cave", _("CAVE proposal")


LETTER_CONSENT = {LetterKind.GP_LETTER: ConsentPurpose.SHARE_GP,
                  LetterKind.CAVE: ConsentPurpose.CAVE}


class Letter(models.Model):
    """A correspondence letter to the GP; for CAVE a proposed short text for the
    out-of-hours system with a phone number of someone with access to the coordination
    plan, and the patient's acceptance."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("kind"), max_length=10, choices=LetterKind.choices)
    text = EncryptedTextField(_("text"))
    contact_phone = models.CharField(_("phone with access to the coordination plan"),
                                     max_length=30, blank=True)
    patient_accepted_at = models.DateTimeField(_("accepted by the patient"), null=True,
                                               blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Readmission(models.Model):
    """An acute readmission after the programme, recorded by the hospital."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="readmissions")
    admitted_on = models.DateField(_("admitted"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["admitted_on"]
        constraints = [models.UniqueConstraint(fields=["case", "admitted_on"],
                                               name="programme_readmission_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.admitted_on}"
