"""The directory's data, shaped after Open Referral HSDS 3.0.

HSDS table → model: organization → :class:`Provider`, service → :class:`Service`,
location → :class:`Location`, service_at_location → :class:`ServiceAtLocation`,
phone → :class:`Phone`, contact → :class:`Contact`, schedule → :class:`Schedule`.
Beredt's extras (Danish legal basis, *visitation*, audience, effect, public-holiday
behaviour, ad-hoc closures) are plain columns here and HSDS ``attributes`` on export.

Times in :class:`Schedule` are local wall-clock times in Europe/Copenhagen; the UTC offset
is computed per date (DST) and only written out on HSDS export. A whole day is written
00:00–23:59 like HSDS does; 23:59 as closing time means "until midnight".
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beredt.geo.models import Municipality, Region


class Visitation(models.TextChoices):
    """*Visiteret*: the municipality's case officer has granted the offer; *uvisiteret*: open."""

    VISITED = "visiteret", _("Visited only (visiteret)")
    OPEN = "uvisiteret", _("Open to all (uvisiteret)")
    BOTH = "begge", _("Visited and open")
    UNKNOWN = "", _("Not stated")


class Audience(models.TextChoices):
    ALL = "all", _("Everybody")
    CITIZEN = "citizen", _("Citizens and patients")
    PROFESSIONAL = "professional", _("Professionals (GPs, out-of-hours doctors)")


class ServiceKind(models.TextChoices):
    LINE = "line", _("Contact line")
    OFFER = "offer", _("Offer")


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class Provider(models.Model):
    """HSDS *organization*: a municipality, the region's psychiatry, an NGO …"""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("region"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="directory_provider_name")]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """HSDS *service*: an offer (*tilbud*) or a contact line that answers the phone.

    ``municipality`` is the municipality it serves; a region-wide service has
    ``municipality`` empty and ``region`` set.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="services",
                                 verbose_name=_("provider"))
    kind = models.CharField(_("kind"), max_length=10, choices=ServiceKind.choices,
                            default=ServiceKind.OFFER)
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("alternate name"), max_length=200, blank=True)
    description = models.TextField(_("content"), blank=True)
    effect = models.TextField(_("effect"), blank=True)
    target_group = models.TextField(_("target group"), blank=True)
    period = models.CharField(_("period (as written)"), max_length=300, blank=True,
                              help_text=_("Opening hours or duration in the provider's words."))
    capacity = models.CharField(_("participants"), max_length=50, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=100, blank=True,
                                   help_text=_('E.g. "SL §82a", "SL §85", "SUL §141".'))
    visitation = models.CharField(_("visitation"), max_length=12, choices=Visitation.choices,
                                  blank=True, default=Visitation.UNKNOWN)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices,
                                default=Audience.ALL)
    email = models.EmailField(_("e-mail"), blank=True)
    url = models.URLField(_("website"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ServiceStatus.choices,
                              default=ServiceStatus.ACTIVE)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality served"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("region served"),
    )
    rank = models.PositiveSmallIntegerField(
        _("order"), default=100, help_text=_("Lower comes first in lists and contact sheets."))
    source_note = models.TextField(
        _("source note"), blank=True,
        help_text=_("Where the data comes from and what is ambiguous in the source."))
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["rank", "name"]
        indexes = [
            # "Who answers now" reads the lines of one municipality, then of its region.
            models.Index(fields=["municipality", "kind"], name="directory_svc_mun_kind"),
            models.Index(fields=["region", "municipality", "kind"],
                         name="directory_svc_region_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(municipality__isnull=False) | models.Q(region__isnull=False),
                name="directory_service_has_area",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """HSDS *location*: where an offer takes place."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="locations",
                                 verbose_name=_("provider"))
    name = models.CharField(_("name"), max_length=200)
    address_1 = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=4, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services")
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service at location")
        verbose_name_plural = _("services at locations")
        constraints = [models.UniqueConstraint(fields=["service", "location"],
                                               name="directory_sal_unique")]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Phone(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("number"), max_length=20,
                              help_text=_("Danish numbers as 8 digits; shown as 1234 5678."))
    description = models.CharField(_("description"), max_length=300, blank=True)
    type = models.CharField(_("type"), max_length=10, default="voice")
    rank = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["rank", "number"]
        indexes = [
            # "Who answers now" shows each line's first number: one index look-up.
            models.Index(fields=["service", "rank", "number"], name="directory_phone_order"),
        ]

    def __str__(self) -> str:
        return format_number(self.number)

    @property
    def display(self) -> str:
        return format_number(self.number)


class Contact(models.Model):
    """HSDS *contact*: a named unit or person to ask for (e.g. "Socialcenter")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name or self.department or self.email


class Freq(models.TextChoices):
    WEEKLY = "WEEKLY", _("Weekly")
    MONTHLY = "MONTHLY", _("Monthly")


class HolidayRule(models.TextChoices):
    """What a rule does on a Danish public holiday (``holidays.Denmark``)."""

    ANY = "any", _("Applies on public holidays too")
    SKIP = "skip", _("Not on public holidays")
    ONLY = "only", _("Only on public holidays")


DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Schedule(models.Model):
    """HSDS *schedule*: one RRULE-style opening rule of a service.

    ``byday`` empty means every day. ``closes_at`` earlier than (or equal to) ``opens_at``
    means the span crosses midnight (22:00–08:00); 23:59 means until midnight.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules",
                                db_index=False)  # directory_schedule_rules leads with it
    freq = models.CharField(_("frequency"), max_length=8, choices=Freq.choices,
                            default=Freq.WEEKLY)
    interval = models.PositiveSmallIntegerField(_("interval"), default=1)
    byday = models.CharField(_("days"), max_length=40, blank=True,
                             help_text=_("Comma separated MO,TU,…; with MONTHLY e.g. 2MO or -1FR."))
    bymonthday = models.CharField(_("days of month"), max_length=80, blank=True)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    dtstart = models.DateField(_("first date"), null=True, blank=True)
    until = models.DateField(_("last date"), null=True, blank=True)
    holidays = models.CharField(_("public holidays"), max_length=4, choices=HolidayRule.choices,
                                default=HolidayRule.ANY)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opening rule")
        verbose_name_plural = _("opening rules")
        ordering = ["position", "opens_at"]
        indexes = [
            # "Who answers now" reads the rules of ~100 lines: with every rule column in
            # the index, a look-up per line reads no table rows (and PostgreSQL looks up
            # rather than scans the table).
            models.Index(fields=["service", "position", "opens_at", "closes_at", "byday",
                                 "freq", "interval", "bymonthday", "valid_from", "valid_to",
                                 "dtstart", "until", "holidays"],
                         name="directory_schedule_rules"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(interval__gte=1),
                                   name="directory_schedule_interval"),
        ]

    def __str__(self) -> str:
        days = self.byday or "daily"
        return f"{days} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self) -> None:
        from .hours import parse_byday

        try:
            parse_byday(self.byday, monthly=self.freq == Freq.MONTHLY)
        except ValueError as exc:
            raise ValidationError({"byday": str(exc)}) from exc
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Valid to is before valid from.")})


class Closure(models.Model):
    """An ad-hoc closure: the service does not answer between ``starts_at`` and ``ends_at``."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="closures")
    starts_at = models.DateTimeField(_("closed from"))
    ends_at = models.DateTimeField(_("closed until"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="directory_closure_order"),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"


class DirectoryVersion(models.Model):
    """One row whose ``stamp`` changes with every write to the directory.

    Database triggers (migration 0002) set a new random ``stamp`` on every insert, update
    and delete in the directory's tables, whoever writes (admin, imports, API, closures,
    ``bulk_create``, ``QuerySet.update``). Processes key their cache of compiled opening
    rules on it (``selectors.open_now``). A random number rather than a counter: a counter
    would come back to the same value after a rolled-back write, with other data behind it.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    stamp = models.BigIntegerField(_("stamp"))

    class Meta:
        verbose_name = _("directory version")
        verbose_name_plural = _("directory versions")

    def __str__(self) -> str:
        return str(self.stamp)


def format_number(number: str) -> str:
    """``51356476`` → ``5135 6476`` (8-digit Danish numbers); anything else unchanged."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) == 8 and digits == number.replace(" ", ""):
        return f"{digits[:4]} {digits[4:]}"
    return number
