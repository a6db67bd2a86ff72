"""Partnership, units, volunteers, the rota, accompaniment requests and onboarding.

No model here holds patient data: an :class:`AccompanyRequest` says where and when, and
whether the patient has no relative present — never who the patient is.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NO_CARE_TASKS = _("No care tasks")


class Partnership(models.Model):
    """The volunteer organisation chosen as partner, and how it was chosen (meetings with
    the candidates, the committee's decision, the agreement period)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="volunteer_partnerships",
        verbose_name=_("volunteer organisation"),
    )
    commissioner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="commissioned_partnerships",
        verbose_name=_("region psychiatry"),
    )
    candidates = models.CharField(
        _("organisations considered"), max_length=300, blank=True,
        help_text=_("E.g. Røde Kors, SIND, Bedre Psykiatri, Håb i Psykiatrien."),
    )
    meetings = models.TextField(_("qualifying meetings"), blank=True)
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.TextField(_("decision and reasons"), blank=True)
    agreement_from = models.DateField(_("agreement from"))
    agreement_until = models.DateField(_("agreement until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-agreement_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreement_until__isnull=True)
                | models.Q(agreement_until__gte=models.F("agreement_from")),
                name="vol_partnership_period_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.commissioner}"


class VolunteerUnit(models.Model):
    """The volunteer organisation's unit at one psychiatric acute reception (a site of a
    psychiatric department), with its activity leaders and the department's contact
    persons."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="volunteer_units",
        verbose_name=_("volunteer organisation"),
    )
    site = models.ForeignKey(
        "organisations.Site",
        on_delete=models.PROTECT,
        related_name="volunteer_units",
        verbose_name=_("acute reception"),
    )
    name = models.CharField(_("name"), max_length=120)
    activity_leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_volunteer_units",
        verbose_name=_("activity leaders"),
    )
    contact_persons = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="contact_for_volunteer_units",
        verbose_name=_("department contact persons"),
    )
    notice_hours = models.PositiveSmallIntegerField(
        _("cancellation notice (hours)"), default=48,
        help_text=_("Cancelling later than this alerts the activity leaders."),
    )
    shift_hours = models.CharField(
        _("usual shifts"), max_length=100, blank=True, default="10-14,16-20",
        help_text=_("Start and end hours of the day's shifts, e.g. 10-14,16-20."),
    )
    place = models.CharField(
        _("where volunteers meet"), max_length=200, blank=True,
        help_text=_("E.g. the reception desk of the acute reception."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer unit")
        verbose_name_plural = _("volunteer units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "site"], name="vol_unit_per_site")
        ]

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """A volunteer patient support: a user with no organisation membership."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteer",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        VolunteerUnit, on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("unit")
    )
    started_on = models.DateField(_("start date"))
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    training_done_on = models.DateField(_("training completed"), null=True, blank=True)
    availability = models.CharField(
        _("availability"), max_length=200, blank=True,
        help_text=_("E.g. weekday evenings, not Sundays."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["user__first_name", "user__last_name"]

    def __str__(self) -> str:
        return self.user.display_name

    @property
    def is_active(self) -> bool:
        return self.stopped_on is None


class ShiftStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CANCELLED = "cancelled", _("Cancelled")


class VolunteerShift(models.Model):
    """A shift of a few hours in a unit's rota; ``volunteer`` empty = an open shift (a gap)."""

    unit = models.ForeignKey(
        VolunteerUnit, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("unit")
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("to"))
    volunteer = models.ForeignKey(
        Volunteer, null=True, blank=True, on_delete=models.PROTECT, related_name="shifts",
        verbose_name=_("volunteer"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ShiftStatus.choices, default=ShiftStatus.PLANNED
    )
    swapped_from = models.ForeignKey(
        Volunteer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("swapped from"),
    )
    late_cancellations = models.PositiveSmallIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)
    client_id = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer shift")
        verbose_name_plural = _("volunteer shifts")
        ordering = ["starts_at", "unit"]
        indexes = [models.Index(fields=["unit", "starts_at"], name="vol_shift_unit_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="vol_shift_order"
            ),
            # No double booking: a volunteer holds at most one planned shift starting at a
            # time (the service also refuses any overlap).
            models.UniqueConstraint(
                fields=["volunteer", "starts_at"],
                condition=models.Q(status="planned", volunteer__isnull=False),
                name="vol_shift_no_double_booking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.volunteer_id is None and self.status == ShiftStatus.PLANNED

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class ShiftWish(models.Model):
    """A volunteer would like this open shift; the activity leader decides."""

    shift = models.ForeignKey(VolunteerShift, on_delete=models.CASCADE, related_name="wishes")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="wishes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shift", "volunteer"], name="vol_wish_once")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.shift}"


class RequestStatus(models.TextChoices):
    SENT = "sent", _("Sent, waiting for an answer")
    ACCEPTED = "accepted", _("Accepted: on the way")
    DECLINED = "declined", _("Declined")


class AccompanyRequest(models.Model):
    """Staff ask the volunteer on shift to accompany a patient. Only where and when, and
    whether the patient has no relative present; never the patient's identity."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client_id = models.UUIDField(null=True, blank=True, unique=True)
    shift = models.ForeignKey(
        VolunteerShift, on_delete=models.PROTECT, related_name="requests", verbose_name=_("shift")
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("asked by"),
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    needed_at = models.DateTimeField(_("when"))
    place = models.CharField(_("where"), max_length=120)
    without_relative = models.BooleanField(_("patient without relative present"))
    note = models.CharField(_("note (no patient data)"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.SENT
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("accompaniment request")
        verbose_name_plural = _("accompaniment requests")
        ordering = ["-asked_at"]

    def __str__(self) -> str:
        return f"{self.place} {self.needed_at:%Y-%m-%d %H:%M}"


ONBOARDING_ITEMS = [
    ("tour", _("Shown around the acute reception (entrance, waiting room, rooms)")),
    ("no_care", _("Told what \"no care tasks\" means: no medicine, food rules or treatment")),
    ("confidentiality", _("Duty of confidentiality explained and accepted")),
    ("phone", _("The volunteer phone: how staff call and how to answer")),
    ("safety", _("Safety: alarm, when to step back and fetch staff")),
    ("contact", _("Who the contact person and the nurse in charge are")),
]


class Onboarding(models.Model):
    """The first-shift checklist, signed by the department's contact person."""

    volunteer = models.OneToOneField(
        Volunteer, on_delete=models.CASCADE, related_name="onboarding", verbose_name=_("volunteer")
    )
    shift = models.ForeignKey(
        VolunteerShift, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("first shift"),
    )
    items = models.JSONField(_("checked items"), default=list)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("signed by"),
    )
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("onboarding")
        verbose_name_plural = _("onboardings")

    def __str__(self) -> str:
        return str(self.volunteer)
