"""Places: län, kommuner, polisregioner and police areas (reference data)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Polisregion(models.Model):
    """One of the Swedish Police Authority's seven regions."""

    slug = models.SlugField(primary_key=True, max_length=20)
    namn = models.CharField(_("namn"), max_length=60, unique=True)

    class Meta:
        ordering = ["namn"]
        verbose_name = _("polisregion")
        verbose_name_plural = _("polisregioner")

    def __str__(self) -> str:
        return self.namn


class Lan(models.Model):
    """A county (län) with its official two-digit länskod."""

    kod = models.CharField(_("länskod"), max_length=2, primary_key=True)
    namn = models.CharField(_("namn"), max_length=60, unique=True)
    kortnamn = models.CharField(_("kort namn"), max_length=40)
    polisregion = models.ForeignKey(
        Polisregion, on_delete=models.PROTECT, related_name="lan", verbose_name=_("polisregion")
    )

    class Meta:
        ordering = ["kod"]
        verbose_name = _("län")
        verbose_name_plural = _("län")

    def __str__(self) -> str:
        return self.namn


class Kommun(models.Model):
    """A municipality with its official four-digit kommunkod."""

    kod = models.CharField(_("kommunkod"), max_length=4, primary_key=True)
    namn = models.CharField(_("namn"), max_length=60)
    officiellt_namn = models.CharField(_("officiellt namn"), max_length=80)
    lan = models.ForeignKey(Lan, on_delete=models.PROTECT, related_name="kommuner", verbose_name=_("län"))
    folkmangd = models.PositiveIntegerField(_("folkmängd"), null=True, blank=True)
    folkmangd_ar = models.PositiveSmallIntegerField(_("folkmängd avser år"), null=True, blank=True)
    centroid_lat = models.FloatField(_("mittpunkt, latitud"), null=True, blank=True)
    centroid_lon = models.FloatField(_("mittpunkt, longitud"), null=True, blank=True)

    class Meta:
        ordering = ["namn"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.namn


class PoliceArea(models.Model):
    """A polisområde or lokalpolisområde (LPO), kept as editable rows.

    No official machine-readable list exists, so the product ships the areas its users need and
    administrators add others in the admin, naming the kommuner each covers.
    """

    class Kind(models.TextChoices):
        POLISOMRADE = "polisomrade", _("Polisområde")
        LOKALPOLISOMRADE = "lpo", _("Lokalpolisområde")

    namn = models.CharField(_("namn"), max_length=100, unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.LOKALPOLISOMRADE)
    polisregion = models.ForeignKey(
        Polisregion, on_delete=models.PROTECT, related_name="areas", verbose_name=_("polisregion")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("ingår i polisområde"),
    )
    kommuner = models.ManyToManyField(
        Kommun, related_name="police_areas", blank=True, verbose_name=_("kommuner som området täcker")
    )

    class Meta:
        ordering = ["namn"]
        verbose_name = _("polisområde")
        verbose_name_plural = _("polisområden")

    def __str__(self) -> str:
        return self.namn
