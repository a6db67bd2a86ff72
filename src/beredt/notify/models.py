from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WEBHOOK = "webhook", _("Webhook")
    IN_APP = "in_app", _("In-app")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


#: Channels that leave Beredt (a person is "reached" only through one of these).
EXTERNAL_CHANNELS = (Channel.SMS, Channel.EMAIL)


class Message(models.Model):
    """One message to one address on one channel. The delivery log is its attempts."""

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
        verbose_name=_("recipient"),
    )
    address = models.CharField(
        _("address"),
        max_length=500,
        blank=True,
        help_text=_("E-mail address, phone number or webhook URL."),
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    purpose = models.CharField(
        _("purpose"),
        max_length=40,
        blank=True,
        help_text=_("What sent it, e.g. alarm, dispatch, outreach."),
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True, db_index=True)
    about = models.CharField(
        _("about"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("What the message is about, e.g. callout:12 (its delivery is shown there)."),
    )
    is_exercise = models.BooleanField(_("exercise"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    provider_id = models.CharField(_("provider id"), max_length=200, blank=True)
    fallback_channels = models.JSONField(
        _("fall-back channels"),
        default=list,
        blank=True,
        help_text=_("Channels tried in order when this one fails permanently."),
    )
    fallback_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="fallbacks"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "channel", "-created_at"]),
            models.Index(fields=["channel", "provider_id"], name="notify_msg_provider_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="notify_message_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address or self.recipient_id}"


class DeliveryAttempt(models.Model):
    """One try to hand a message to its channel (SMTP server, SMS gateway, webhook)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    ok = models.BooleanField(_("delivered"))
    permanent = models.BooleanField(_("permanent error"), default=False)
    error = models.CharField(_("error"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["message", "at", "id"]

    def __str__(self) -> str:
        return f"{self.message_id}: {'ok' if self.ok else self.error}"


class DeliveryReceipt(models.Model):
    """A delivery report from a gateway (e.g. the SMS gateway's callback). One row per
    (channel, gateway message id, status): a retried report is recognised and changes
    nothing."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="receipts")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    provider_id = models.CharField(_("gateway message id"), max_length=200)
    status = models.CharField(_("status"), max_length=20)
    error = models.CharField(_("error"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery receipt")
        verbose_name_plural = _("delivery receipts")
        ordering = ["message", "received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "provider_id", "status"], name="notify_receipt_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.status}"
