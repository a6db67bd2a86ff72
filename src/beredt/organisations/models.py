from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OrganisationKind(models.TextChoices):
    REGION = "region", _("Region")
    REGION_PSYCHIATRY = "region_psychiatry", _("Region psychiatry")
    PSYCHIATRIC_DEPARTMENT = "psychiatric_department", _("Psychiatric department")
    AMK = "amk", _("AMK (emergency medical coordination centre)")
    MUNICIPALITY = "municipality", _("Municipality")
    MUNICIPALITY_CENTRE = "municipality_centre", _("Municipal centre")
    GP = "gp", _("GP / out-of-hours doctor")
    VOLUNTEER_ORGANISATION = "volunteer_organisation", _("Volunteer organisation")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    HL = "hl", _("Hospital management (HL)")
    AL = "al", _("Department management (AL)")
    PREPAREDNESS_LEAD = "preparedness_lead", _("Preparedness lead")
    KOP = "kop", _("KOP (coordinating psychiatric contact person)")
    CRISIS_TEAM = "crisis_team", _("Crisis team member")
    REGISTRAR = "registrar", _("Registrar")
    FOLLOWUP_COORDINATOR = "followup_coordinator", _("Follow-up coordinator")
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", _("Volunteer coordinator")
    VIEWER = "viewer", _("Viewer")
    ADMINISTRATOR = "administrator", _("Administrator")
    DPO = "dpo", _("Data protection officer")


# Roles that lead: may open incidents for their organisation and see all of its incidents.
LEADING_ROLES = frozenset({Role.HL, Role.AL, Role.PREPAREDNESS_LEAD, Role.KOP, Role.ADMINISTRATOR})
AUDIT_ROLES = frozenset({Role.ADMINISTRATOR, Role.DPO})


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("part of"),
    )
    region = models.ForeignKey(
        "geo.Region", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("region")
    )
    municipality = models.ForeignKey(
        "geo.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("municipality"),
    )
    phone = models.CharField(_("switchboard phone"), max_length=30, blank=True)
    email = models.EmailField(_("functional e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="org_not_own_parent"
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A permanent place of an organisation (e.g. the Randers, Horsens, Odder, Herning units)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sites", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    municipality = models.ForeignKey(
        "geo.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("municipality"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="site_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.short_name or self.organisation.name} – {self.name}"


class Membership(models.Model):
    """A user holds a role in an organisation (optionally at one of its sites)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("site")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"
