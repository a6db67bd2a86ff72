"""Writes of the public app: publishing incident pages and handling self-registrations.

Self-registration is open to anybody, so it is guarded without a third-party CAPTCHA:

* a honeypot field (``website``) that people do not see; a filled one is answered as if it
  succeeded and nothing is stored;
* a proof-of-work challenge the page's script solves unnoticed, required under load
  (:mod:`beredt.public.challenge`);
* rate limits in Django's cache (:mod:`beredt.core.ratelimit`, atomic on every backend),
  per client IP (keyed hash, never the address itself) and
  per incident (``PUBLIC_SELFREG_LIMIT_PER_IP`` / ``PUBLIC_SELFREG_LIMIT_PER_INCIDENT``
  settings as ``(count, seconds)``);
* a staff queue: nothing is routed before a person has confirmed it
  (:func:`confirm_self_registration`).
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from beredt.core import audit, ratelimit
from beredt.core.audit import AuditAction
from beredt.core.crypto import keyed_hash
from beredt.core.errors import Conflict, DomainError, Forbidden, ValidationFailed
from beredt.geo import selectors as geo_selectors
from beredt.incidents import selectors as incident_selectors
from beredt.incidents.models import Incident, IncidentStatus

from . import challenge, content, registry_bridge, selectors
from .models import (
    IncidentPage,
    SelfRegistration,
    SelfRegistrationRelation,
    SelfRegistrationStatus,
)

PAGE_FIELDS = ("title", "what_happened", "what_happened_en", "hotline_phone", "hotline_hours",
               "epc_location", "followup_offered", "followup_offered_en",
               "self_registration_open")

# error code → the key of the public text shown for it (content/<lang>/ui.toml)
ERROR_TEXT_KEYS = {
    "required": "error_required",
    "contact_missing": "error_contact",
    "phone_invalid": "error_phone",
    "email_invalid": "error_email",
    "postcode_invalid": "error_postcode",
    "consent_missing": "error_consent",
    "rate_limited": "error_rate_limited",
    "challenge_required": "error_challenge",
}
_PHONE = re.compile(r"^\+?[0-9 ()-]{8,20}$")


class ChallengeRequired(DomainError):
    status_code = 400
    default_code = "challenge_required"
    default_message = _("Many are registering right now: send the form again (the page "
                        "checks it automatically), or call the information line.")


class RateLimited(DomainError):
    status_code = 429
    default_code = "rate_limited"
    default_message = _("Too many self-registrations in a short time. Try again later.")


# --- Incident pages ------------------------------------------------------------------------


@transaction.atomic
def save_incident_page(*, by, incident: Incident, data: dict, publish: bool | None = None
                       ) -> IncidentPage:
    """Create or update the public page of ``incident``; ``publish`` True/False changes
    whether it is shown. Only people who manage the incident may do it."""
    if not selectors.can_edit_page(by, incident):
        raise Forbidden(_("Only the incident's lead or KOP can publish its public page."))
    incident = Incident.objects.get(pk=incident.pk)  # the current status
    page = IncidentPage.objects.select_for_update().filter(incident=incident).first()
    if page is None:
        page = IncidentPage(incident=incident, slug=_unique_slug(incident))
    for name in PAGE_FIELDS:
        if name in data:
            setattr(page, name, data[name])
    if not (page.title or "").strip():
        raise ValidationFailed(_("Give the page a title."), code="required", field="title")
    if not (page.what_happened or "").strip():
        raise ValidationFailed(_("Describe what happened in a few neutral words."),
                               code="required", field="what_happened")
    if publish is True:
        if incident.status == IncidentStatus.CLOSED:
            raise Conflict(_("A closed incident cannot get a public page."), code="closed")
        page.published = True
        page.published_at = page.published_at or timezone.now()
    elif publish is False:
        page.published = False
    page.updated_by = by
    created = page._state.adding
    page.save()
    audit.record(action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=page,
                 fields=[n for n in PAGE_FIELDS if n in data] + (
                     ["published"] if publish is not None else []),
                 actor=by)
    return page


# Danish letters spelt out the Danish way in addresses (slugify would drop them: Øvelse → velse).
_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def _unique_slug(incident: Incident) -> str:
    title = f"{incident.title} {incident.started_at:%Y}".translate(_DANISH_LETTERS)
    base = slugify(title)[:60] or "haendelse"
    slug, n = base, 1
    while IncidentPage.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- Self-registration ---------------------------------------------------------------------


def validate_self_registration(data: dict) -> tuple[dict, dict[str, str]]:
    """Clean the submitted fields. Returns ``(clean, errors)`` where ``errors`` maps a
    field to an error code (see :data:`ERROR_TEXT_KEYS`); all errors at once, for the form."""
    clean = {
        "full_name": str(data.get("full_name") or "").strip()[:200],
        "phone": str(data.get("phone") or "").strip()[:30],
        "email": str(data.get("email") or "").strip()[:200],
        "postcode": str(data.get("postcode") or "").strip(),
        "relation": str(data.get("relation") or "").strip(),
        "children_affected": bool(data.get("children_affected")),
        "message": str(data.get("message") or "").strip()[:2000],
        "consent": bool(data.get("consent")),
    }
    errors: dict[str, str] = {}
    if not clean["full_name"]:
        errors["full_name"] = "required"
    if not clean["phone"] and not clean["email"]:
        errors["phone"] = "contact_missing"
    if clean["phone"] and not _PHONE.match(clean["phone"]):
        errors["phone"] = "phone_invalid"
    if clean["email"]:
        try:
            validate_email(clean["email"])
        except DjangoValidationError:
            errors["email"] = "email_invalid"
    if clean["postcode"] and not (
        re.fullmatch(r"\d{4}", clean["postcode"]) and geo_selectors.postcode(clean["postcode"])
    ):
        errors["postcode"] = "postcode_invalid"
    if clean["relation"] not in SelfRegistrationRelation:
        errors["relation"] = "required"
    if not clean["consent"]:
        errors["consent"] = "consent_missing"
    return clean, errors


_ERROR_MESSAGES = {
    "required": _("This field is required."),
    "contact_missing": _("Give a phone number or an e-mail address."),
    "phone_invalid": _("Enter a valid phone number."),
    "email_invalid": _("Enter a valid e-mail address."),
    "postcode_invalid": _("Enter a Danish postcode of four digits."),
    "consent_missing": _("Consent to follow-up contact is required."),
}


def _limit(name: str, default: tuple[int, int]) -> tuple[int, int]:
    return tuple(getattr(settings, name, default))  # type: ignore[return-value]


def _hit(key: str, limit: tuple[int, int]) -> bool:
    count, seconds = limit
    return ratelimit.hit(key, count=count, seconds=seconds)


def _incident_key(incident: Incident) -> str:
    return f"public:selfreg:incident:{incident.pk}"


def check_challenge(*, incident: Incident, data: dict) -> None:
    """Under load (see :mod:`beredt.public.challenge`) the form must carry a solved
    proof-of-work challenge; raise :class:`ChallengeRequired` otherwise."""
    after = getattr(settings, "PUBLIC_SELFREG_CHALLENGE_AFTER", 50)
    _count, seconds = _limit("PUBLIC_SELFREG_LIMIT_PER_INCIDENT", (500, 3600))
    if after and ratelimit.used(_incident_key(incident), seconds=seconds) < after:
        return
    if not challenge.verify(str(data.get("pow_challenge") or ""),
                            str(data.get("pow_solution") or "")):
        raise ChallengeRequired()


def check_rate_limits(*, incident: Incident, ip: str | None) -> None:
    """Raise :class:`RateLimited` when this IP or this incident has sent too many."""
    ip_key = "public:selfreg:ip:" + keyed_hash(ip or "unknown", purpose="ratelimit")
    if not _hit(ip_key, _limit("PUBLIC_SELFREG_LIMIT_PER_IP", (5, 3600))):
        raise RateLimited(code="rate_limited")
    per_incident = _limit("PUBLIC_SELFREG_LIMIT_PER_INCIDENT", (500, 3600))
    if not _hit(_incident_key(incident), per_incident):
        raise RateLimited(code="rate_limited")


@transaction.atomic
def submit_self_registration(*, page: IncidentPage, data: dict, language: str,
                             ip: str | None) -> SelfRegistration | None:
    """Store a citizen's request for follow-up in the confirmation queue.

    Returns None (and stores nothing) when the honeypot field was filled."""
    if not selectors.accepts_self_registration(page):
        raise Conflict(_("Self-registration is closed for this incident."), code="closed")
    if str(data.get("website") or "").strip():
        return None
    check_challenge(incident=page.incident, data=data)
    check_rate_limits(incident=page.incident, ip=ip)
    clean, errors = validate_self_registration(data)
    if errors:
        raise ValidationFailed(errors=[DomainError(_ERROR_MESSAGES[code], code=code, field=field)
                                       for field, code in errors.items()])
    lang = language if language in content.LANGUAGES else content.DEFAULT_LANGUAGE
    registration = SelfRegistration.objects.create(
        incident=page.incident,
        full_name=clean["full_name"], phone=clean["phone"], email=clean["email"],
        postcode=clean["postcode"], relation=clean["relation"],
        children_affected=clean["children_affected"], message=clean["message"],
        language=lang, consent_followup=True,
        consent_text=content.language(lang).t("consent_text"),
    )
    audit.record(action=AuditAction.CREATE, obj=registration,
                 fields=[f for f in SelfRegistration.PERSONAL_FIELDS if clean[f]]
                 + ["postcode", "relation", "consent_followup"],
                 reason="self-registration from the public incident page")
    return registration


def _decidable(by, self_registration_id) -> SelfRegistration:
    item = (selectors.self_registrations_visible_to(by).select_for_update()
            .filter(pk=self_registration_id).first())
    if item is None:
        raise Forbidden(_("You cannot handle self-registrations of this incident."))
    if item.status != SelfRegistrationStatus.PENDING:
        raise Conflict(_("This self-registration has already been handled."),
                       code="already_decided")
    return item


@transaction.atomic
def confirm_self_registration(*, by, self_registration_id: uuid.UUID) -> SelfRegistration:
    """A staff member confirms a self-registration: it becomes a registry registration
    (point "self-registration", consent "digital") and goes on to routing like any other.
    The personal fields here are emptied: the registry holds the data from now on."""
    item = _decidable(by, self_registration_id)
    registration_id = registry_bridge.create_registration(by=by, item=item)
    # The person's data now lives in the registry; keep no second copy here.
    for name in SelfRegistration.PERSONAL_FIELDS:
        setattr(item, name, "")
    item.status = SelfRegistrationStatus.CONFIRMED
    item.registration_id = registration_id
    item.decided_by = by
    item.decided_at = timezone.now()
    item.save()
    audit.record(action=AuditAction.UPDATE, obj=item,
                 fields=["status", "registration_id", *SelfRegistration.PERSONAL_FIELDS],
                 actor=by)
    return item


@transaction.atomic
def reject_self_registration(*, by, self_registration_id: uuid.UUID, reason: str
                             ) -> SelfRegistration:
    """Reject spam, a test or a duplicate of someone already registered. The personal
    fields are emptied at once; the row stays as a count for the incident's records."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give a reason for rejecting."), code="required",
                               field="reason")
    item = _decidable(by, self_registration_id)
    for name in SelfRegistration.PERSONAL_FIELDS:
        setattr(item, name, "")
    item.status = SelfRegistrationStatus.REJECTED
    item.reject_reason = reason[:200]
    item.decided_by = by
    item.decided_at = timezone.now()
    item.save()
    audit.record(action=AuditAction.DELETE, obj=item,
                 fields=list(SelfRegistration.PERSONAL_FIELDS), actor=by, reason=reason[:200])
    return item


def purge_expired_self_registrations(*, now=None, dry_run: bool = False) -> tuple[str, int]:
    """Retention for self-registrations nobody handled: once the incident's retention period
    is over (months after closing, as for the registry), empty their personal fields and mark
    them expired. Confirmed and rejected ones hold no personal data already. A registry purge
    hook (``beredt purgeregistrations``); returns ``("self-registrations", count)``."""
    incidents = incident_selectors.incidents_past_retention(now=now)
    items = list(SelfRegistration.objects.filter(
        incident__in=incidents, status=SelfRegistrationStatus.PENDING))
    if dry_run or not items:
        return "self-registrations", len(items)
    with transaction.atomic():
        for item in items:
            for name in SelfRegistration.PERSONAL_FIELDS:
                setattr(item, name, "")
            item.postcode = ""
            item.status = SelfRegistrationStatus.EXPIRED
            item.save()
        audit.record_many(action=AuditAction.DELETE, objects=items,
                          fields=[*SelfRegistration.PERSONAL_FIELDS, "postcode"],
                          extra={"retention": True})
    return "self-registrations", len(items)
