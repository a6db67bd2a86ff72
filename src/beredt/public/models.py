"""The public page of an incident and the self-registrations sent from it.

A :class:`IncidentPage` is written and published by the incident's KOP or crisis management
(*krisestab*); it is public only while ``published`` is set and the incident is not closed.
A :class:`SelfRegistration` is what a citizen sends from that page: it waits in a staff queue
(``status=pending``) until a person confirms it (it then becomes a registry
``Registration`` marked "self-registered", with its consent) or rejects it (the personal
fields are emptied at once). One never handled is emptied when the incident's retention
period is over (``status=expired``, by ``beredt purgeregistrations``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredt.core.fields import EncryptedTextField


class IncidentPage(models.Model):
    incident = models.OneToOneField("incidents.Incident", on_delete=models.CASCADE,
                                    related_name="public_page", verbose_name=_("incident"))
    slug = models.SlugField(_("address"), max_length=80, unique=True,
                            help_text=_("The last part of the public address, e.g. "
                                        "'brand-randers-2026'."))
    title = models.CharField(_("public title"), max_length=200)
    what_happened = models.TextField(
        _("what happened"),
        help_text=_("Neutral, factual words. No names of affected people. Markdown allowed."))
    what_happened_en = models.TextField(_("what happened (English)"), blank=True)
    hotline_phone = models.CharField(_("hotline number"), max_length=30, blank=True)
    hotline_hours = models.CharField(_("hotline hours"), max_length=200, blank=True)
    epc_location = models.CharField(
        _("evacuation and relatives centre (EPC)"), max_length=300, blank=True,
        help_text=_("Address and opening hours of the EPC, if one is open."))
    followup_offered = models.TextField(
        _("follow-up offered"), blank=True,
        help_text=_("What follow-up is offered and by whom. Markdown allowed."))
    followup_offered_en = models.TextField(_("follow-up offered (English)"), blank=True)
    self_registration_open = models.BooleanField(_("self-registration open"), default=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("public incident page")
        verbose_name_plural = _("public incident pages")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(published=False) | models.Q(published_at__isnull=False),
                name="public_page_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SelfRegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Deleted after the retention period")


class SelfRegistrationRelation(models.TextChoices):
    PRESENT = "present", _("Was there")
    WITNESS = "witness", _("Saw or heard it")
    RELATIVE = "relative", _("Relative")
    OTHER = "other", _("Other")


class SelfRegistration(models.Model):
    """A request for follow-up sent by a citizen from a public incident page."""

    PERSONAL_FIELDS = ("full_name", "phone", "email", "message")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="self_registrations", verbose_name=_("incident"))
    full_name = EncryptedTextField(_("full name"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    relation = models.CharField(_("how affected"), max_length=10,
                                choices=SelfRegistrationRelation.choices)
    children_affected = models.BooleanField(_("children affected"), default=False)
    message = EncryptedTextField(_("message"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="da")
    consent_followup = models.BooleanField(_("consent to follow-up contact"))
    consent_text = models.TextField(_("consent text shown"))
    submitted_at = models.DateTimeField(_("sent"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=SelfRegistrationStatus.choices,
                              default=SelfRegistrationStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(_("reason"), max_length=200, blank=True)
    registration_id = models.UUIDField(
        _("registration"), null=True, blank=True,
        help_text=_("The registry registration created when this was confirmed."))

    class Meta:
        verbose_name = _("self-registration")
        verbose_name_plural = _("self-registrations")
        ordering = ["submitted_at"]
        indexes = [models.Index(fields=["incident", "status", "submitted_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(consent_followup=True),
                                   name="public_selfreg_has_consent"),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "expired"])
                | models.Q(decided_at__isnull=False, decided_by__isnull=False),
                name="public_selfreg_decided_has_who",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | models.Q(registration_id__isnull=False),
                name="public_selfreg_confirmed_has_registration",
            ),
        ]

    def __str__(self) -> str:
        return str(self.pk)
