"""Follow-up after an incident: routing, handover with receipt, tasks and outreach.

Personal data handed over is a snapshot (:attr:`HandoverItem.data`, encrypted) of exactly the
fields the person's consent allows, taken at the moment of handover; the receiver reads the
snapshot, never the registry. Outreach messages hold no address: it is read from the
registration at send time, right after the consent is checked again.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredt.core.fields import EncryptedTextField


class UnitKind(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal follow-up")
    REGIONAL_PSYCHIATRY = "regional_psychiatry", _("Regional psychiatry (crisis therapy)")
    EMPLOYER = "employer", _("Employer's arrangement")


class FollowupUnit(models.Model):
    """Who receives handovers for a municipality, a region or an employer, and whom to call
    when a handover is not acknowledged (the backup contact)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="followup_units",
                                     verbose_name=_("receiving organisation"))
    kind = models.CharField(_("kind"), max_length=30, choices=UnitKind.choices)
    municipality = models.ForeignKey("geo.Municipality", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("municipality covered"))
    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("region covered"))
    contact = models.CharField(_("contact (phone, functional e-mail)"), max_length=200,
                               blank=True)
    backup_contact = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+",
                                       verbose_name=_("backup contact"))
    receipt_hours = models.PositiveSmallIntegerField(
        _("receipt within (hours)"), default=24,
        help_text=_("Without a receipt in this time the sender's KOP and the backup contact "
                    "are alerted."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("follow-up unit")
        verbose_name_plural = _("follow-up units")
        ordering = ["kind", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="municipal") | models.Q(municipality__isnull=False),
                name="followup_unit_municipal_has_municipality"),
            models.CheckConstraint(
                condition=~models.Q(kind="regional_psychiatry") | models.Q(region__isnull=False),
                name="followup_unit_regional_has_region"),
            models.UniqueConstraint(fields=["kind", "municipality"],
                                    condition=models.Q(is_active=True, kind="municipal"),
                                    name="followup_unit_one_per_municipality"),
            models.UniqueConstraint(fields=["kind", "region"],
                                    condition=models.Q(is_active=True,
                                                       kind="regional_psychiatry"),
                                    name="followup_unit_one_per_region"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} ({self.get_kind_display()})"


class RuleAction(models.TextChoices):
    FOLLOW_GUARDIAN = "follow_guardian", _("A child follows the guardian's routing")
    EMPLOYER = "employer", _("Staff/responders to the employer's arrangement")
    RESIDENCE_MUNICIPALITY = "residence_municipality", _("Residence municipality's unit")
    RESIDENCE_REGION = "residence_region_psychiatry", _("Residence region's psychiatry")
    INCIDENT_MUNICIPALITY = "incident_municipality", _("Incident municipality's unit")


class ResidenceCondition(models.TextChoices):
    ANY = "", _("Any residence")
    MUNICIPALITY = "municipality", _("Lives in a Danish municipality")
    ABROAD_OR_UNKNOWN = "abroad_or_unknown", _("Abroad or unknown")


class RoutingRule(models.Model):
    """One routing rule. Rules are evaluated by ``position``; every matching rule adds a
    receiver, a rule with ``stop`` ends the evaluation when it matched. Administrators
    change them in the admin; each decision stores the rule that made it."""

    position = models.PositiveSmallIntegerField(_("order"), default=100)
    name = models.CharField(_("name"), max_length=120)
    action = models.CharField(_("action"), max_length=40, choices=RuleAction.choices)
    role = models.CharField(_("only for role in the event"), max_length=20, blank=True,
                            help_text=_("Empty: everybody."))
    residence = models.CharField(_("residence"), max_length=20, blank=True,
                                 choices=ResidenceCondition.choices)
    only_if_regional_team = models.BooleanField(
        _("only when the regional crisis team took part"), default=False)
    only_if_unrouted = models.BooleanField(
        _("only when no earlier rule found a receiver"), default=False)
    needs_manual_decision = models.BooleanField(
        _("flag for manual decision"), default=False)
    stop = models.BooleanField(_("stop after a match"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class IncidentFollowup(models.Model):
    """Follow-up settings of one incident (defaults when missing)."""

    incident = models.OneToOneField("incidents.Incident", on_delete=models.CASCADE,
                                    related_name="followup_settings")
    first_contact_days = models.PositiveSmallIntegerField(_("first contact within (days)"),
                                                          default=3)
    check_weeks = models.PositiveSmallIntegerField(_("check after (weeks)"), default=8)
    regional_team_took_part = models.BooleanField(
        _("the regional crisis team took part"), default=False,
        help_text=_("Then the residence region's psychiatry offers crisis therapy after about "
                    "8 weeks (seed 002)."))
    hotline = models.CharField(_("hotline"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("follow-up settings")
        verbose_name_plural = _("follow-up settings")

    def __str__(self) -> str:
        return str(self.incident_id)


class PersonRouting(models.Model):
    """Per-person routing facts set by the sending coordinator."""

    registration = models.OneToOneField("registry.Registration", on_delete=models.CASCADE,
                                        related_name="followup_routing")
    employer = models.ForeignKey("organisations.Organisation", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("employer"))
    ignore_guardian = models.BooleanField(_("do not follow the guardian"), default=False)

    def __str__(self) -> str:
        return str(self.registration_id)


class RoutingDecision(models.Model):
    """The receiver decided for one person, and the rule that decided it."""

    registration = models.ForeignKey("registry.Registration", on_delete=models.CASCADE,
                                     related_name="routing_decisions")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="routing_decisions")
    unit = models.ForeignKey(FollowupUnit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="decisions", verbose_name=_("receiver"))
    rule = models.ForeignKey(RoutingRule, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="decisions", verbose_name=_("rule"))
    rule_name = models.CharField(_("rule"), max_length=120)
    explanation = models.TextField(_("why"))
    needs_manual_decision = models.BooleanField(_("needs a manual decision"), default=False)
    is_current = models.BooleanField(default=True)
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["decided_at", "id"]
        indexes = [models.Index(fields=["incident", "is_current"])]

    def __str__(self) -> str:
        return self.rule_name


class HandoverStatus(models.TextChoices):
    SENT = "sent", _("Awaiting receipt")
    RECEIVED = "received", _("Received")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Handover(models.Model):
    """A package of people handed from an incident to one receiving organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey("incidents.Incident", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="handovers")
    incident_title = models.CharField(_("incident"), max_length=200)
    is_exercise = models.BooleanField(_("exercise"), default=False)
    sender_name = models.CharField(_("sender"), max_length=200)
    receiver = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                 related_name="handovers_received",
                                 verbose_name=_("receiver"))
    unit = models.ForeignKey(FollowupUnit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="handovers")
    status = models.CharField(_("status"), max_length=12, choices=HandoverStatus.choices,
                              default=HandoverStatus.SENT)
    created_at = models.DateTimeField(_("handed over"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    receipt_due_at = models.DateTimeField(_("receipt due"))
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    imported = models.BooleanField(_("imported"), default=False)
    external_id = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="received") | models.Q(received_at__isnull=False),
                name="followup_handover_received_has_time"),
            models.UniqueConstraint(fields=["receiver", "external_id"],
                                    condition=~models.Q(external_id=""),
                                    name="followup_handover_import_once"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_title} → {self.receiver}"


class ItemStatus(models.TextChoices):
    ACTIVE = "active", _("Handed over")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class HandoverItem(models.Model):
    """One person in a handover: the consented fields as they were at handover."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    registration = models.ForeignKey("registry.Registration", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="handover_items")
    decision = models.ForeignKey(RoutingDecision, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="items")
    data = EncryptedTextField()  # JSON of the consented fields
    fields = models.JSONField(default=list)
    channels = models.JSONField(default=list)
    reason = models.CharField(_("why this receiver"), max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=ItemStatus.choices,
                              default=ItemStatus.ACTIVE)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    rerouted_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["handover", "id"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "registration"],
                                    condition=models.Q(registration__isnull=False),
                                    name="followup_item_once_per_handover"),
        ]

    def __str__(self) -> str:
        return str(self.pk)


class TaskKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("First contact")
    CHECK = "check", _("Check after 8 weeks")
    CRISIS_THERAPY = "crisis_therapy", _("Offer crisis therapy")
    CUSTOM = "custom", _("Other task")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Outcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Not reached after several tries")
    DECLINED = "declined", _("Declined")
    REFERRED = "referred", _("Referred")
    NO_NEED = "no_need", _("No need")


class Referral(models.TextChoices):
    GP = "gp", _("GP")
    PSYCHIATRY = "psychiatry", _("Psychiatry")
    MUNICIPAL_OFFER = "municipal_offer", _("Municipal offer")
    CIVIL_SOCIETY = "civil_society", _("Civil-society offer")


class FollowupTask(models.Model):
    """A task about one handed-over person for the receiving organisation."""

    item = models.ForeignKey(HandoverItem, on_delete=models.CASCADE, related_name="tasks")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="followup_tasks")
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due"))
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="followup_tasks",
                                    verbose_name=_("assigned to"))
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices,
                              default=TaskStatus.OPEN)
    tries = models.PositiveSmallIntegerField(_("contact attempts"), default=0)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices,
                               blank=True)
    referral = models.CharField(_("referred to"), max_length=20, choices=Referral.choices,
                                blank=True)
    referral_service = models.ForeignKey("directory.Service", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+",
                                         verbose_name=_("offer"))
    notes = EncryptedTextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["status", "due_on", "id"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(outcome=""),
                name="followup_task_done_has_outcome"),
            models.CheckConstraint(
                condition=~models.Q(outcome="referred") | ~models.Q(referral=""),
                name="followup_task_referral_named"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == TaskStatus.OPEN and self.due_on < timezone.localdate()


class MessageTemplate(models.Model):
    """An outreach text in one language. Placeholders: {incident}, {hotline}, {website},
    {sender}. Never put sensitive data in them (they travel by SMS and e-mail)."""

    key = models.SlugField(_("template"), max_length=50)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["key", "language"]
        constraints = [models.UniqueConstraint(fields=["key", "language"],
                                               name="followup_template_unique")]

    def __str__(self) -> str:
        return f"{self.key} ({self.language})"


class CampaignStatus(models.TextChoices):
    SENDING = "sending", _("Sending")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Campaign(models.Model):
    """An outreach campaign to consenting people of an incident."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT,
                                 related_name="campaigns")
    name = models.CharField(_("name"), max_length=200)
    template_key = models.SlugField(_("template"), max_length=50)
    channels = models.JSONField(_("channels"), default=list)
    max_per_minute = models.PositiveIntegerField(_("at most per minute"), default=600)
    status = models.CharField(_("status"), max_length=12, choices=CampaignStatus.choices,
                              default=CampaignStatus.SENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_progress_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outreach campaign")
        verbose_name_plural = _("outreach campaigns")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class MessageState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CLAIMED = "claimed", _("Being sent")
    HANDING_OVER = "handing_over", _("Handed to the channel")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Stopped (consent withdrawn)")
    #: The worker died (or the connection broke) after the e-mail's last bytes went out:
    #: perhaps delivered, perhaps not. Never sent again by itself; a person decides.
    UNKNOWN = "unknown", _("Delivery unknown")
    #: The recipient's data cannot be sent (e.g. a preferred language that is no language
    #: code); the reason is in ``last_error``, the rest of the campaign goes on.
    SKIPPED = "skipped", _("Skipped (bad data)")


#: Namespace of the outreach idempotency keys (``uuid5(NAMESPACE_URL, "beredt:outreach")``).
OUTREACH_KEY_NAMESPACE = uuid.UUID("6fecf326-a683-5da8-a899-3acb6f6aa54b")


class OutreachMessage(models.Model):
    """The one message of a campaign to one person (unique), with its delivery status."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="messages")
    registration = models.ForeignKey("registry.Registration", on_delete=models.CASCADE,
                                     related_name="outreach_messages")
    channel = models.CharField(_("channel"), max_length=20)
    language = models.CharField(_("language"), max_length=10, default="da")
    status = models.CharField(_("status"), max_length=14, choices=MessageState.choices,
                              default=MessageState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claim = models.UUIDField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["campaign", "status"]),
                   models.Index(fields=["claim"])]
        constraints = [models.UniqueConstraint(fields=["campaign", "registration"],
                                               name="followup_one_message_per_person")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.registration_id}"

    @property
    def idempotency_key(self) -> uuid.UUID:
        """The same for every attempt and every worker, one per (campaign, person): sent
        as the SMTP Message-ID, the gateway's reference and the MeMo message UUID, for the
        receiver to deduplicate a message sent again after a worker died."""
        return uuid.uuid5(OUTREACH_KEY_NAMESPACE, f"{self.campaign_id}:{self.registration_id}")
