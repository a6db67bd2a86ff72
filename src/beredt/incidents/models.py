import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredt.core.fields import EncryptedTextField


class IncidentKind(models.TextChoices):
    TRAFFIC_ACCIDENT = "traffic_accident", _("Traffic accident")
    FIRE = "fire", _("Fire")
    VIOLENCE = "violence", _("Violence / shooting")
    DROWNING = "drowning", _("Drowning")
    SUICIDE = "suicide", _("Suicide")
    SUDDEN_DEATH = "sudden_death", _("Sudden death")
    MASS_GATHERING = "mass_gathering", _("Mass gathering")
    OTHER = "other", _("Other")


class IncidentStatus(models.TextChoices):
    ALERTED = "alerted", _("Alerted")
    ACTIVE = "active", _("Active")
    STANDING_DOWN = "standing_down", _("Standing down")
    CLOSED = "closed", _("Closed")


# Allowed status changes: forward through the life of an incident; a stand-down can be
# cancelled (back to active) if the situation flares up again.
STATUS_TRANSITIONS = {
    IncidentStatus.ALERTED: {IncidentStatus.ACTIVE, IncidentStatus.STANDING_DOWN,
                             IncidentStatus.CLOSED},
    IncidentStatus.ACTIVE: {IncidentStatus.STANDING_DOWN},
    IncidentStatus.STANDING_DOWN: {IncidentStatus.ACTIVE, IncidentStatus.CLOSED},
    IncidentStatus.CLOSED: set(),
}


class MunicipalCrisisLevel(models.IntegerChoices):
    LEVEL_1 = 1, _("Crisis level 1")
    LEVEL_2 = 2, _("Crisis level 2")


class Incident(models.Model):
    """A *beredskabshændelse*: an event whose affected people may need crisis support."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client_id = models.UUIDField(
        _("client id"), unique=True, null=True, blank=True,
        help_text=_("Sent by the client so that a retried create returns the same incident."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=IncidentKind.choices)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("incident municipality"),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    lead_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="led_incidents",
        verbose_name=_("lead organisation"),
    )
    regional_level = models.CharField(
        _("regional plan level"), max_length=60, blank=True,
        help_text=_("The level of the regional preparedness plan as decided by AMK."),
    )
    municipal_crisis_level = models.PositiveSmallIntegerField(
        _("municipal crisis level"), choices=MunicipalCrisisLevel.choices, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.ALERTED
    )
    is_exercise = models.BooleanField(_("exercise"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    retention_months = models.PositiveSmallIntegerField(
        _("retention (months after closing)"), default=12,
        help_text=_("Personal data of the incident is deleted or anonymised this many months "
                    "after it is closed, unless a follow-up is still active."),
    )

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["status", "-started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(municipal_crisis_level__isnull=True)
                | models.Q(municipal_crisis_level__in=[1, 2]),
                name="incident_crisis_level_1_or_2",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="incident_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        prefix = "ØVELSE: " if self.is_exercise else ""
        return f"{prefix}{self.title}"

    @property
    def is_open(self) -> bool:
        return self.status != IncidentStatus.CLOSED


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Incident lead")
    KOP = "kop", _("KOP")
    REGISTRAR = "registrar", _("Registrar")
    CRISIS_TEAM = "crisis_team", _("Crisis team member")
    FOLLOWUP = "followup", _("Follow-up coordinator")
    OBSERVER = "observer", _("Observer")


# Assignment roles that see every registration of the incident.
INCIDENT_LEAD_ROLES = frozenset({AssignmentRole.LEAD, AssignmentRole.KOP})


class Assignment(models.Model):
    """A user deployed to an incident in a role; the grant to its personal data."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("incident")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incident_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=AssignmentRole.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)
    break_glass_reason = models.CharField(
        _("break-glass reason"), max_length=500, blank=True,
        help_text=_("Why the person deployed themselves on the strength of an organisation "
                    "role (break-glass); empty when someone else deployed them."),
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["incident", "role", "assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "user", "role"], name="assignment_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None

    @property
    def is_break_glass(self) -> bool:
        return bool(self.break_glass_reason)


class LogKind(models.TextChoices):
    STATUS = "status", _("Status")
    ALARM = "alarm", _("Alarm")
    ESCALATION = "escalation", _("Escalation")
    RESPONSE = "response", _("Response")
    DISPATCH = "dispatch", _("Dispatch")
    ASSIGNMENT = "assignment", _("Assignment")
    ACTION_CARD = "action_card", _("Action card")
    NOTE = "note", _("Note")
    CORRECTION = "correction", _("Correction")


class IncidentLogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Incident log entries are never changed; add a correction instead.")

    def delete(self):
        raise TypeError("Incident log entries are never deleted.")


class IncidentLogEntry(models.Model):
    """One line of the incident log (*hændelseslog*): time, author, entry. Entries are never
    edited; a mistake is corrected by a new entry that points at the wrong one."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="log_entries",
                                 verbose_name=_("incident"))
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("author"))
    kind = models.CharField(_("kind"), max_length=20, choices=LogKind.choices,
                            default=LogKind.NOTE)
    # Free text about people and events: encrypted at rest like other personal data.
    text = EncryptedTextField(_("entry"))
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="corrections", verbose_name=_("corrects"))

    objects = IncidentLogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident log entry")
        verbose_name_plural = _("incident log entries")
        ordering = ["incident", "at", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Incident log entries are never changed; add a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Incident log entries are never deleted.")
