"""Registrations of affected people, their consents, duplicate review and bulk imports.

Personal data at rest: name, CPR, phone, e-mail, address, observed reactions, note and a
guardian's name are :class:`~beredt.core.fields.EncryptedTextField` columns. Look-ups go
through keyed hashes (``cpr_hash``; :class:`MatchKey` for duplicate blocking). Birth date,
postcode and residence municipality stay in clear: they route the follow-up, decide who is a
minor and are not identifying on their own (see docs/registration.md).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredt.core.fields import EncryptedTextField


class PointKind(models.TextChoices):
    SCENE = "scene", _("Scene")
    EPC = "epc", _("Evacuation and relatives centre (EPC)")
    PSYCHIATRIC_ACUTE = "psychiatric_acute", _("Psychiatric acute reception")
    HOTLINE = "hotline", _("Hotline")
    PAPER = "paper", _("Paper form")
    SELF = "self", _("Self-registration")


class RegistrationPoint(models.Model):
    """Where people are registered during an incident (the scene, an EPC, a hotline …)."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="registration_points")
    kind = models.CharField(_("type"), max_length=20, choices=PointKind.choices)
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration point")
        verbose_name_plural = _("registration points")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["incident", "kind", "name"],
                                               name="registry_point_unique")]

    def __str__(self) -> str:
        return self.name


class PersonRole(models.TextChoices):
    INJURED = "injured", _("Injured")
    UNINJURED = "uninjured", _("Involved, uninjured")
    RELATIVE = "relative", _("Relative")
    WITNESS = "witness", _("Witness")
    STAFF = "staff", _("Staff / responder")
    OTHER = "other", _("Other")


class Need(models.TextChoices):
    NONE = "none", _("None")
    SUPPORT_GIVEN = "support_given", _("Support given")
    FOLLOWUP_WANTED = "followup_wanted", _("Follow-up wanted")
    URGENT_REFERRAL = "urgent_referral", _("Urgent referral")


class Residence(models.TextChoices):
    MUNICIPALITY = "municipality", _("Danish municipality")
    ABROAD = "abroad", _("Abroad")
    UNKNOWN = "unknown", _("Unknown")


class Relation(models.TextChoices):
    CHILD_OF = "child_of", _("Child of")
    RELATIVE_OF = "relative_of", _("Relative of")


class RegistrationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged into another registration")
    ANONYMISED = "anonymised", _("Anonymised")


class Registration(models.Model):
    """One affected person registered during one incident."""

    KEYED_HASHES = {"cpr_hash": ("cpr", "cpr")}
    PERSONAL_FIELDS = ("full_name", "cpr", "phone", "email", "address", "reactions", "note")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client_id = models.UUIDField(_("client id"), unique=True)
    # Indexed by the (incident, status, registered_at) index below, not on its own.
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT,
                                 related_name="registrations", verbose_name=_("incident"),
                                 db_index=False)
    point = models.ForeignKey(RegistrationPoint, on_delete=models.PROTECT,
                              related_name="registrations", verbose_name=_("registration point"))
    role = models.CharField(_("role in the event"), max_length=20, choices=PersonRole.choices)
    full_name = EncryptedTextField(_("full name"))
    cpr = EncryptedTextField(_("CPR number"), blank=True)
    cpr_hash = models.CharField(max_length=64, blank=True, editable=False)  # indexed in Meta
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True,
                           choices=[("F", _("Female")), ("M", _("Male"))])
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    residence = models.CharField(_("residence"), max_length=20, choices=Residence.choices,
                                 default=Residence.UNKNOWN)
    residence_municipality = models.ForeignKey(
        "geo.Municipality", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("residence municipality"))
    municipality_overridden = models.BooleanField(default=False)
    preferred_language = models.CharField(_("preferred language"), max_length=35, default="da")
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    related_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="relatives", verbose_name=_("related to"))
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices,
                                blank=True)
    need = models.CharField(_("need"), max_length=20, choices=Need.choices, default=Need.NONE)
    reactions = EncryptedTextField(_("observed crisis reactions"), blank=True)
    note = EncryptedTextField(_("restricted note"), blank=True)
    paper_form_number = models.CharField(_("paper form number"), max_length=40,
                                         blank=True)  # indexed in Meta
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("registered by"))
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.ACTIVE)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_from")
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-registered_at"]
        # Exact look-ups only: plain indexes, without PostgreSQL's extra LIKE index that
        # db_index=True adds to a CharField (registry migration 0002).
        indexes = [models.Index(fields=["incident", "status", "-registered_at"]),
                   models.Index(fields=["cpr_hash"], name="registry_reg_cpr_hash"),
                   models.Index(fields=["paper_form_number"], name="registry_reg_form_number")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(residence="municipality")
                | models.Q(residence_municipality__isnull=False),
                name="registry_residence_has_municipality"),
            models.CheckConstraint(
                condition=models.Q(status="merged", merged_into__isnull=False)
                | (~models.Q(status="merged") & models.Q(merged_into__isnull=True)),
                name="registry_merged_has_target"),
            models.CheckConstraint(
                condition=models.Q(relation="") | models.Q(related_to__isnull=False),
                name="registry_relation_has_target"),
        ]

    def __str__(self) -> str:
        return str(self.pk)

    def age_on(self, day: dt.date) -> int | None:
        if not self.birth_date:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    @property
    def is_minor(self) -> bool:
        age = self.age_on(timezone.localdate())
        return age is not None and age < 18


class MatchKey(models.Model):
    """A keyed hash of one blocking key of a registration (see :mod:`.matching`)."""

    # The unique (registration, key) index serves look-ups by registration.
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="match_keys", db_index=False)
    key = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["key"], name="registry_matchkey_key")]
        constraints = [models.UniqueConstraint(fields=["registration", "key"],
                                               name="registry_matchkey_unique")]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.key[:8]}…"


class ConsentKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    FOLLOWUP = "followup_contact", _("Follow-up contact by the responsible authority")
    SHARING = "sharing", _("Sharing with named other authorities")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    DIGITAL_MAIL = "digital_mail", _("Digital mail (e-Boks)")


class ConsentMethod(models.TextChoices):
    SIGNED_PAPER = "signed_paper", _("Signed paper form")
    VERBAL_WITNESSED = "verbal_witnessed", _("Verbal, with a witness")
    DIGITAL = "digital", _("Digital")


class ConsentGiver(models.TextChoices):
    PERSON = "person", _("The person")
    GUARDIAN = "guardian", _("Guardian (for a minor)")


class ConsentRecord(models.Model):
    """A documented consent of one kind; withdrawn at any time (never deleted)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client_id = models.UUIDField(unique=True, null=True, blank=True)
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="consents")
    kind = models.CharField(_("consent to"), max_length=20, choices=ConsentKind.choices)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    shared_with = models.CharField(_("authorities shared with"), max_length=300, blank=True)
    method = models.CharField(_("how it was given"), max_length=20,
                              choices=ConsentMethod.choices)
    witness = EncryptedTextField(_("witness"), blank=True)
    given_by = models.CharField(_("given by"), max_length=10, choices=ConsentGiver.choices,
                                default=ConsentGiver.PERSON)
    guardian_name = EncryptedTextField(_("guardian's name"), blank=True)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("taken by"))
    paper_form_number = models.CharField(_("paper form number"), max_length=40, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["given_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | ~models.Q(withdrawn_reason=""),
                name="registry_consent_withdrawal_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.registration_id})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def channel_labels(self) -> list[str]:
        return [str(Channel(c).label) for c in self.channels if c in Channel]


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Not the same person")


class DuplicateCandidate(models.Model):
    """A pair of registrations that may be the same person, waiting for a person to decide.

    ``first`` is the older registration; ``second`` the newer one (merged into ``first``)."""

    first = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    certain = models.BooleanField(_("same CPR number"), default=False)
    status = models.CharField(max_length=10, choices=CandidateStatus.choices,
                              default=CandidateStatus.PENDING)
    found_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-certain", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="registry_candidate_pair"),
            models.CheckConstraint(condition=~models.Q(first=models.F("second")),
                                   name="registry_candidate_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.score:.1f})"


class Merge(models.Model):
    """A merge of ``merged`` into ``survivor``; ``restore`` (encrypted JSON) holds the
    survivor's fields as they were, so the merge can be undone."""

    candidate = models.ForeignKey(DuplicateCandidate, null=True, on_delete=models.SET_NULL,
                                  related_name="merges")
    survivor = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    merged = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    filled_fields = models.JSONField(default=list)
    restore = EncryptedTextField(blank=True)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"


class ImportStatus(models.TextChoices):
    VALIDATED = "validated", _("Checked, waiting for a decision")
    IMPORTED = "imported", _("Imported")
    DISCARDED = "discarded", _("Nothing imported")


class ImportBatch(models.Model):
    """An uploaded CSV/XLSX list of paper registrations; its rows (encrypted JSON) wait
    until the user chooses "all valid rows" or "nothing unless all are valid"."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="+")
    point = models.ForeignKey(RegistrationPoint, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=200)
    rows = EncryptedTextField()
    report = models.JSONField(default=list)  # [{"row", "field", "code", "reason"}] no values
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=ImportStatus.choices,
                              default=ImportStatus.VALIDATED)
    mode = models.CharField(max_length=20, blank=True)
    imported_rows = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.filename
