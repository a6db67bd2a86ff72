import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def default_ack_timeout() -> int:
    return settings.ACTIVATION_ACK_TIMEOUT_SECONDS


def default_escalation() -> list[str]:
    return ["kop", "deputy_kop", "al", "hl"]


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class DutyRole(models.TextChoices):
    """Roles in a preparedness plan (seed 000: HL, AL, faglig beredskabsleder, KOP, crisis
    team; seed 002: crisis team led by the centre head, who may activate)."""

    KOP = "kop", _("KOP")
    DEPUTY_KOP = "deputy_kop", _("Deputy KOP")
    AL = "al", _("Department management (AL)")
    HL = "hl", _("Hospital management (HL)")
    PREPAREDNESS_LEAD = "preparedness_lead", _("Professional preparedness lead")
    TEAM_LEAD = "team_lead", _("Crisis team lead")
    CRISIS_TEAM = "crisis_team", _("Crisis team member")
    ACTIVATOR = "activator", _("May activate")


class Plan(models.Model):
    """A preparedness plan (*beredskabsplan / indsatsplan*) of one organisation."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="preparedness_plans",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("purpose and division of work"), blank=True)
    activation_criteria = models.TextField(_("when to activate"), blank=True)
    activating_organisations = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("may also activate"),
        help_text=_(
            "Members of these organisations may alarm this plan's organisation "
            "(e.g. Social Døgnvagt, Tværgående Kriseledelse)."
        ),
    )
    ack_timeout_seconds = models.PositiveIntegerField(
        _("acknowledgement time (seconds)"),
        default=default_ack_timeout,
        help_text=_("Without acknowledgement within this time the alarm escalates."),
    )
    escalation = models.JSONField(
        _("escalation chain"),
        default=default_escalation,
        help_text=_("Duty roles alerted in turn."),
    )
    webhook_url = models.URLField(
        _("webhook"), blank=True, help_text=_("Also POST every alarm of this plan here.")
    )
    client_id = models.UUIDField(
        _("client id"),
        unique=True,
        null=True,
        blank=True,
        help_text=_("Sent by the client so that a retried create returns the same plan."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("preparedness plan")
        verbose_name_plural = _("preparedness plans")
        ordering = ["organisation__name", "title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="plan_unique_title")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def escalation_labels(self) -> list[str]:
        return [DutyRole(r).label if r in DutyRole else r for r in self.escalation]

    @property
    def ack_timeout_minutes(self) -> int:
        return max(1, round(self.ack_timeout_seconds / 60))


class PlanRole(models.Model):
    """A role of the plan: who holds it, where, and what they do."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="roles")
    duty_role = models.CharField(_("role"), max_length=20, choices=DutyRole.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("tasks"), blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("department"),
    )
    site = models.ForeignKey(
        "organisations.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("site"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    client_id = models.UUIDField(_("client id"), unique=True, null=True, blank=True)

    class Meta:
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="planrole_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class PlanRoleHolder(models.Model):
    """A person appointed to a role of the plan (e.g. the KOP of a department, a member of
    the crisis team). The roster says who is on duty; this says who holds the role."""

    role = models.ForeignKey(PlanRole, on_delete=models.CASCADE, related_name="holdings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="plan_roles",
        verbose_name=_("person"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("role holder")
        verbose_name_plural = _("role holders")
        ordering = ["role", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["role", "user"], name="planroleholder_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.user}"


class Shift(models.Model):
    """An on-call shift (*vagt*): a person holds a duty role for a department/site."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="shifts",
        verbose_name=_("department"),
    )
    site = models.ForeignKey(
        "organisations.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("site"),
    )
    duty_role = models.CharField(_("role"), max_length=20, choices=DutyRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shifts",
        verbose_name=_("person"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    swapped_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("swapped from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "organisation", "duty_role"]
        indexes = [models.Index(fields=["organisation", "duty_role", "starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_duty_role_display()}: {self.user}"


class TrainingKind(models.TextChoices):
    KOP = "kop", _("KOP training")
    CRISIS_TEAM = "crisis_team", _("Crisis team training")


# Which training a duty role needs.
REQUIRED_TRAINING = {
    DutyRole.KOP: TrainingKind.KOP,
    DutyRole.DEPUTY_KOP: TrainingKind.KOP,
    DutyRole.TEAM_LEAD: TrainingKind.CRISIS_TEAM,
    DutyRole.CRISIS_TEAM: TrainingKind.CRISIS_TEAM,
}


class TrainingRecord(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_records",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("training"), max_length=20, choices=TrainingKind.choices)
    completed_on = models.DateField(_("completed"))
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["user", "kind", "-completed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("completed_on")),
                name="training_expires_after_completion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user}"


class ActionCard(models.Model):
    """A versioned checklist for a role (*action card*), e.g. "C-BUR" of seed 002. A new
    version is a new row; ticks point at the version that was used."""

    code = models.CharField(_("code"), max_length=30)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    duty_role = models.CharField(_("role"), max_length=20, choices=DutyRole.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="action_cards",
        verbose_name=_("organisation"),
    )
    items = models.JSONField(_("items"), default=list)
    is_current = models.BooleanField(_("current version"), default=True)
    client_id = models.UUIDField(_("client id"), unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action card")
        verbose_name_plural = _("action cards")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="actioncard_unique_version"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(is_current=True),
                name="actioncard_one_current_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version} – {self.title}"


class ActionCardTick(models.Model):
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="action_card_ticks"
    )
    card = models.ForeignKey(ActionCard, on_delete=models.PROTECT, related_name="ticks")
    item = models.PositiveSmallIntegerField()
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["incident", "card", "item"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "card", "item"], name="tick_unique_item")
        ]

    def __str__(self) -> str:
        return f"{self.card.code} #{self.item}"


class SiteKind(models.TextChoices):
    SCENE = "scene", _("Scene (skadested)")
    EPC = "epc", _("EPC (evacuation and relatives centre)")
    ACUTE_RECEPTION = "acute_reception", _("Psychiatric acute reception")
    TOWN_HALL = "town_hall", _("Town hall")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class DeploymentSite(models.Model):
    """Where people are sent for this incident."""

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="deployment_sites"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deployment site")
        verbose_name_plural = _("deployment sites")
        ordering = ["incident", "created_at"]

    def __str__(self) -> str:
        return self.name


class AlarmStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for acknowledgement")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    EXHAUSTED = "exhausted", _("Nobody acknowledged")
    CANCELLED = "cancelled", _("Cancelled")


class Alarm(models.Model):
    """A department alarmed for an incident. Escalates along ``escalation`` until somebody
    acknowledges."""

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="alarms"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="alarms",
        verbose_name=_("department"),
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="alarms"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(_("message"), blank=True)
    status = models.CharField(
        max_length=20, choices=AlarmStatus.choices, default=AlarmStatus.PENDING
    )
    escalation = models.JSONField(default=default_escalation)
    step = models.PositiveSmallIntegerField(default=0)
    timeout_seconds = models.PositiveIntegerField(default=default_ack_timeout)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["incident", "raised_at"]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_status_display()}"


class CalloutStatus(models.TextChoices):
    ALERTED = "alerted", _("Alerted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DECLINED = "declined", _("Declined")
    EN_ROUTE = "en_route", _("En route")
    ON_SITE = "on_site", _("On site")
    RELEASED = "released", _("Released")
    CANCELLED = "cancelled", _("Cancelled")


ANSWERED = {
    CalloutStatus.ACKNOWLEDGED,
    CalloutStatus.DECLINED,
    CalloutStatus.EN_ROUTE,
    CalloutStatus.ON_SITE,
    CalloutStatus.RELEASED,
}


class Callout(models.Model):
    """One person called out for an incident: alarm step or crisis-team request; their
    status on the board. ``nonce`` makes the link in the SMS/e-mail one-time."""

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="callouts"
    )
    alarm = models.ForeignKey(
        Alarm, null=True, blank=True, on_delete=models.CASCADE, related_name="callouts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="callouts",
        verbose_name=_("person"),
    )
    duty_role = models.CharField(_("role"), max_length=20, choices=DutyRole.choices)
    step = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=CalloutStatus.choices, default=CalloutStatus.ALERTED
    )
    site = models.ForeignKey(
        DeploymentSite,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="callouts",
        verbose_name=_("deployment site"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nonce = models.CharField(max_length=40, default=new_nonce, db_index=True)
    eta_minutes = models.PositiveSmallIntegerField(
        _("expected in (minutes)"), null=True, blank=True
    )
    link_used_at = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    on_site_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("call-out")
        verbose_name_plural = _("call-outs")
        ordering = ["incident", "alerted_at", "id"]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_status_display()}"

    @property
    def is_alarm(self) -> bool:
        return self.alarm_id is not None

    @property
    def about(self) -> str:
        """What the call-out's messages are about (``notify.Message.about``)."""
        return f"callout:{self.pk}"


class AfterAction(models.Model):
    """Stand-down follow-up: supervision for the team (seed 002 task 4) and a debrief."""

    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="after_action"
    )
    supervision_at = models.DateTimeField(_("supervision"), null=True, blank=True)
    supervision_place = models.CharField(_("supervision place"), max_length=200, blank=True)
    supervisor = models.CharField(_("supervisor"), max_length=200, blank=True)
    went_well = models.TextField(_("what went well"), blank=True)
    to_improve = models.TextField(_("what to improve"), blank=True)
    follow_up = models.TextField(_("follow-up needed"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("after-action")
        verbose_name_plural = _("after-actions")

    def __str__(self) -> str:
        return str(self.incident)
