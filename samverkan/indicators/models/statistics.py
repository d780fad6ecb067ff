"""Crime statistics below the kommun: DeSO areas, the police's crime codes and registered crimes.

DeSO (demografiska statistikområden, SCB) are 700–2,700 inhabitants each, so their counts are shown only
above the small-count threshold outside begränsad views (see ``samverkan.indicators.suppression``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import Kommun
from samverkan.indicators.models.catalogue import area_code_choices
from samverkan.indicators.models.imports import ImportRun


class Deso(models.Model):
    """One DeSO area (code like "2039A0010") with its boundary as a GeoJSON geometry in WGS84."""

    code = models.CharField(_("DeSO-kod"), max_length=9, primary_key=True)
    kommun = models.ForeignKey(
        Kommun, on_delete=models.PROTECT, related_name="deso_areas", verbose_name=_("kommun")
    )
    regso = models.CharField(_("RegSO"), max_length=200, blank=True)
    version = models.CharField(_("version"), max_length=20, blank=True)
    geometry = models.JSONField(_("gräns (GeoJSON)"), null=True, blank=True)
    centroid_lat = models.FloatField(_("mittpunkt, latitud"), null=True, blank=True)
    centroid_lon = models.FloatField(_("mittpunkt, longitud"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("DeSO-område")
        verbose_name_plural = _("DeSO-områden")

    def __str__(self) -> str:
        return f"{self.code} {self.regso}".strip()


class CrimeCode(models.Model):
    """A police crime code (brottskod) with its place in the hierarchy and its lägesbild area.

    ``question_area`` is the key's own label (e.g. Region Dalarna's "Fråga 2 - Hot och våld");
    ``area_code`` is the lägesbild area the code counts towards, editable in the admin (blank = none).
    """

    code = models.CharField(_("brottskod"), max_length=10, primary_key=True)
    text = models.TextField(_("benämning"))
    hierarchy = models.JSONField(
        _("hierarki"), default=list, blank=True, help_text=_("Nivå 1–5 från nyckeln, grövst först.")
    )
    question_area = models.CharField(_("frågeområde i nyckeln"), max_length=200, blank=True)
    area_code = models.CharField(_("lägesbildsområde"), max_length=20, blank=True, choices=area_code_choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("brottskod")
        verbose_name_plural = _("brottskoder")

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class RegisteredCrime(models.Model):
    """Crimes registered by the police: kommun, DeSO (blank when the source suppressed it), month, code.

    An import replaces every row of the kommun-months its file covers, so importing a corrected delivery
    again leaves no stale rows.
    """

    kommun = models.ForeignKey(
        Kommun, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("kommun")
    )
    deso = models.ForeignKey(
        Deso, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("DeSO")
    )
    month = models.DateField(_("registreringsmånad"))
    crime_code = models.CharField(_("brottskod"), max_length=10)
    count = models.PositiveIntegerField(_("antal brott"))
    import_run = models.ForeignKey(
        ImportRun,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
        verbose_name=_("import"),
    )

    class Meta:
        verbose_name = _("registrerat brott")
        verbose_name_plural = _("registrerade brott")
        constraints = [
            models.UniqueConstraint(
                fields=["kommun", "deso", "month", "crime_code"],
                condition=Q(deso__isnull=False),
                name="registeredcrime_unique_deso",
            ),
            models.UniqueConstraint(
                fields=["kommun", "month", "crime_code"],
                condition=Q(deso__isnull=True),
                name="registeredcrime_unique_kommun",
            ),
        ]
        indexes = [models.Index(fields=["kommun", "month"])]

    def __str__(self) -> str:
        return f"{self.kommun_id} {self.deso_id or '–'} {self.month:%Y-%m} {self.crime_code}: {self.count}"


class Target(models.Model):
    """A target value for an indicator, drawn as a line on its chart.

    The action plan (a later issue) sets these for its actions; ``collaboration`` and ``label`` say whose
    target it is. Until then superusers set them in the admin.
    """

    indicator = models.ForeignKey(
        "indicators.Indicator", on_delete=models.CASCADE, related_name="targets", verbose_name=_("indikator")
    )
    kommun = models.ForeignKey(
        Kommun, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("kommun")
    )
    collaboration = models.ForeignKey(
        "core.Collaboration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicator_targets",
        verbose_name=_("samverkan"),
    )
    value = models.DecimalField(_("målvärde"), max_digits=20, decimal_places=6)
    per_10000 = models.BooleanField(_("per 10 000 invånare"), default=False)
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    label = models.CharField(_("benämning"), max_length=200, blank=True)

    class Meta:
        ordering = ["indicator", "valid_from"]
        verbose_name = _("målvärde")
        verbose_name_plural = _("målvärden")

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"
