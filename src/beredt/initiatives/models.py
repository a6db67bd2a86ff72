"""Budget initiatives, their allocations, recommendations, milestones, quarterly statuses,
committees and the reports written to them.

Quarters are stored as ``"2024Q2"`` (sorts as text); amounts as ``Decimal`` kroner with øre.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

AMOUNT = {"max_digits": 14, "decimal_places": 2}
QUARTER_REGEX = r"^[0-9]{4}Q[1-4]$"


def _quarter_field(verbose, **extra):
    return models.CharField(verbose, max_length=6, **extra)


class Committee(models.Model):
    """A political committee that initiatives are reported to (e.g. Social- og
    psykiatriudvalget)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="committees", verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"],
                                               name="committee_unique_name")]

    def __str__(self) -> str:
        return self.name


class AccessRole(models.TextChoices):
    CONTROLLER = "controller", _("Controller")
    PROJECT_LEAD = "project_lead", _("Project lead")
    SECRETARY = "secretary", _("Committee secretary")
    MEMBER = "member", _("Committee member")


EDITING_ROLES = frozenset({AccessRole.CONTROLLER, AccessRole.PROJECT_LEAD})
COMMITTEE_ROLES = frozenset({AccessRole.SECRETARY, AccessRole.MEMBER})


class InitiativeAccess(models.Model):
    """A user's role for budget initiatives: controllers and project leads edit the
    initiatives owned by an organisation (and those below it); a committee's secretary
    generates its reports, its members read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="initiative_roles", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=AccessRole.choices)
    organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True,
                                     on_delete=models.CASCADE, verbose_name=_("organisation"))
    committee = models.ForeignKey(Committee, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="access", verbose_name=_("committee"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("initiative role")
        verbose_name_plural = _("initiative roles")
        constraints = [
            models.CheckConstraint(
                name="initiative_access_scope",
                condition=(models.Q(role__in=["controller", "project_lead"],
                                    organisation__isnull=False, committee__isnull=True)
                           | models.Q(role__in=["secretary", "member"],
                                      committee__isnull=False, organisation__isnull=True)),
            ),
            models.UniqueConstraint(fields=["user", "role", "organisation", "committee"],
                                    name="initiative_access_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation or self.committee}"


class Initiative(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    budget_year = models.PositiveSmallIntegerField(_("budget year"))
    position = models.PositiveSmallIntegerField(_("number in the report"), default=1)
    title = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT,
                                     related_name="initiatives", verbose_name=_("owner"))
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT,
                                  related_name="initiatives", verbose_name=_("committee"))
    purpose = models.TextField(_("budget initiative"), help_text=_(
        "What the budget set aside and why (the report's “Budgetinitiativ”)."))
    description = models.TextField(_("description of the effort"), blank=True, help_text=_(
        "The report's “Beskrivelse af indsatsen”; the recommendations and their amounts "
        "are listed after it."))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=200, blank=True,
                                   help_text=_("e.g. Regionsrådet"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget initiative")
        verbose_name_plural = _("budget initiatives")
        ordering = ["-budget_year", "committee__name", "position", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget_year__gte=2000,
                                                      budget_year__lte=2100),
                                   name="initiative_budget_year_range"),
        ]

    def __str__(self) -> str:
        return self.title


class Allocation(models.Model):
    """The money the budget set aside for an initiative in one year, and — when the
    recommendations' amounts for that year do not add up to it — why."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="allocations", verbose_name=_("initiative"))
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (kr.)"), **AMOUNT)
    explanation = models.TextField(_("explanation of the difference"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["initiative", "year"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "year"], name="allocation_unique_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0),
                                   name="allocation_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} {self.year}: {self.amount}"


class Recommendation(models.Model):
    """A recommendation (*anbefaling*) of the plan that the initiative funds; ``number`` is
    its number in the plan (8, 18 …), blank for an unnumbered part of the effort."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="recommendations", verbose_name=_("initiative"))
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("responsible"))
    responsible_name = models.CharField(_("responsible (name or unit)"), max_length=200,
                                        blank=True)
    figure_key = models.CharField(_("operational figure"), max_length=100, blank=True)
    first_quarter = _quarter_field(_("first quarter"), blank=True, help_text=_(
        "Blank: from the first quarter of the budget year."))
    last_quarter = _quarter_field(_("last quarter"), blank=True, help_text=_(
        "Blank: still running. After this quarter no status is expected."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["initiative", "position", "number", "title"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "number"],
                                    name="recommendation_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.heading}"

    @property
    def heading(self) -> str:
        if self.number is None:
            return self.title
        return f"Anbefaling {self.number}: {self.title}"

    @property
    def responsible_label(self) -> str:
        if self.responsible_id:
            return self.responsible.get_full_name() or self.responsible.username
        return self.responsible_name


class RecommendationAmount(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE,
                                       related_name="amounts")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (kr.)"), **AMOUNT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "year"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "year"],
                                    name="recommendation_amount_unique_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0),
                                   name="recommendation_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} {self.year}: {self.amount}"


class Milestone(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE,
                                       related_name="milestones",
                                       verbose_name=_("recommendation"))
    title = models.CharField(_("milestone"), max_length=300)
    planned_quarter = _quarter_field(_("planned quarter"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["recommendation", "planned_quarter", "id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(planned_quarter__regex=QUARTER_REGEX),
            name="milestone_quarter_format")]

    def __str__(self) -> str:
        return f"{self.title} ({self.planned_quarter})"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class Light(models.TextChoices):
    GREEN = "green", _("On track")
    YELLOW = "yellow", _("At risk")
    RED = "red", _("Off track")


class StatusReport(models.Model):
    """The status of one recommendation after one quarter. A second report for the same
    quarter is an edit: the row is updated and the history keeps the earlier text."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE,
                                       related_name="statuses",
                                       verbose_name=_("recommendation"))
    quarter = _quarter_field(_("quarter"))
    light = models.CharField(_("status"), max_length=10, choices=Light.choices)
    text = models.TextField(_("status text"))
    next_steps = models.TextField(_("what is next"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status")
        verbose_name_plural = _("statuses")
        ordering = ["recommendation", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "quarter"],
                                    name="status_one_per_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__regex=QUARTER_REGEX),
                                   name="status_quarter_format"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} {self.quarter}"


class InitiativeNote(models.Model):
    """The initiative's own introduction to its status after a quarter (optional)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="notes")
    quarter = _quarter_field(_("quarter"))
    text = models.TextField(_("introduction"))
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["initiative", "quarter"], name="note_one_per_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__regex=QUARTER_REGEX),
                                   name="note_quarter_format"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} {self.quarter}"


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX (Word)"


class CommitteeReport(models.Model):
    """One generated committee paper: what was reported, when and by whom. ``content`` is
    the data the file was written from; ``content_hash`` its SHA-256 (same data, same
    hash, whatever the format)."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="reports",
                                  verbose_name=_("committee"))
    quarter = _quarter_field(_("quarter"))
    version = models.PositiveIntegerField(_("version"))
    format = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    file = models.BinaryField()
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("generated by"))
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("committee report")
        verbose_name_plural = _("committee reports")
        ordering = ["committee", "-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "quarter", "version"],
                                    name="committee_report_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.quarter} v{self.version}"

    @property
    def filename(self) -> str:
        return f"budgetinitiativer-{self.quarter}-v{self.version}.{self.format}"
