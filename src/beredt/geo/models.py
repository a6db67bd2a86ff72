from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """One of the 5 Danish regions; ``code`` is the official 1081–1085."""

    code = models.PositiveSmallIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__gte=1081, code__lte=1085), name="geo_region_code_range"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """One of the 98 municipalities; ``code`` is the official 3-digit code (e.g. 730 Randers).

    DAWA writes the code zero-padded (``0101``); it is stored as an integer and formatted
    per output (:attr:`code_padded`).
    """

    code = models.PositiveSmallIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__gte=101, code__lte=999), name="geo_municipality_code_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} Kommune"

    @property
    def code_padded(self) -> str:
        return f"{self.code:04d}"


class Postcode(models.Model):
    code = models.CharField(_("postcode"), max_length=4, primary_key=True)
    name = models.CharField(_("town"), max_length=100)
    municipalities = models.ManyToManyField(
        Municipality, through="PostcodeMunicipality", related_name="postcodes"
    )

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PostcodeMunicipality(models.Model):
    """A municipality that a postcode reaches into; ``rank`` 0 is the primary candidate."""

    postcode = models.ForeignKey(Postcode, on_delete=models.CASCADE, related_name="links")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(default=0)
    primary_by_name = models.BooleanField(
        default=False,
        help_text="True when the primary was chosen because the town name matches the "
        "municipality; False when it is only the first listed.",
    )

    class Meta:
        ordering = ["postcode", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["postcode", "municipality"], name="geo_pc_mun_unique"),
            models.UniqueConstraint(fields=["postcode", "rank"], name="geo_pc_rank_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.postcode_id} → {self.municipality_id} (rank {self.rank})"
