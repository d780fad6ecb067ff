"""The indicator catalogue: what is measured, where and how often, and the measured values."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import Kommun, Lan
from samverkan.indicators.models.imports import ImportRun


def area_code_choices() -> list[tuple[str, str]]:
    """The lägesbild areas, titled in the active language (a callable, so each use reads it anew)."""
    from samverkan.core.areas import area_choices

    return area_choices()


class Indicator(models.Model):
    """A measured quantity: police events per month, reported crime per year, population…"""

    class Better(models.TextChoices):
        HIGHER = "higher", _("Högre är bättre")
        LOWER = "lower", _("Lägre är bättre")
        NONE = "none", _("Varken eller")

    class Level(models.TextChoices):
        DESO = "deso", _("DeSO-område")
        KOMMUN = "kommun", _("Kommun")
        POLISOMRADE = "polisomrade", _("Polisområde")
        LAN = "lan", _("Län")
        RIKET = "riket", _("Riket")

    class Period(models.TextChoices):
        MONTH = "month", _("Månad")
        QUARTER = "quarter", _("Kvartal")
        YEAR = "year", _("År")

    code = models.CharField(_("kod"), max_length=100, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    unit = models.CharField(_("enhet"), max_length=40)
    source = models.CharField(_("källa"), max_length=200)
    area_code = models.CharField(_("lägesbildsområde"), max_length=20, blank=True, choices=area_code_choices)
    better = models.CharField(
        _("vilket håll är bättre"), max_length=10, choices=Better.choices, default=Better.NONE
    )
    level = models.CharField(_("nivå"), max_length=20, choices=Level.choices, default=Level.KOMMUN)
    period_type = models.CharField(_("period"), max_length=10, choices=Period.choices, default=Period.MONTH)
    is_count = models.BooleanField(
        _("antal"),
        default=False,
        help_text=_(
            "Ett antal (händelser, brott). En period mellan ”täcker från” och ”täcker till” utan "
            "datapunkt betyder noll."
        ),
    )
    covered_from = models.DateField(_("täcker från"), null=True, blank=True)
    covered_to = models.DateField(_("täcker till"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")

    def __str__(self) -> str:
        return self.name


class DataPoint(models.Model):
    """One value of an indicator for one area and one period.

    The area is a DeSO (its kommun is set too, for filtering), a kommun, a län, or none of them (riket).
    Survey estimates keep their 95 % confidence interval in ``ci_low``/``ci_high``.

    The indicator, kommun, län and import have no database constraint (as ``PoliceEvent``'s): the imports
    take the indicator and the run from the database in the same transaction and every kommun and län code
    from the reference table (``services.table_runs.Places``, the police events' place matcher), and
    PostgreSQL checked each key of each new point once more at commit, one lookup per row: three per point
    of a police archive import, ~70,000, more than the points' own insert. ``on_delete`` still guards
    deletes through the ORM. A DeSO keeps its constraint: imports create DeSO rows from their files.
    """

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        db_constraint=False,  # see the class docstring
        related_name="data_points",
        verbose_name=_("indikator"),
    )
    kommun = models.ForeignKey(
        Kommun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # the (kommun, indicator, period_start) index serves
        db_constraint=False,  # see the class docstring
        related_name="+",
        verbose_name=_("kommun"),
    )
    lan = models.ForeignKey(
        Lan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        # Indexed in Meta.indexes: a foreign key's own index on PostgreSQL comes with a second one for
        # LIKE (varchar_pattern_ops), which no query of a län code uses and every insert maintained.
        db_index=False,
        db_constraint=False,  # see the class docstring
        related_name="+",
        verbose_name=_("län"),
    )
    deso = models.ForeignKey(
        "indicators.Deso",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        # Indexed only where set (Meta.indexes): a plain index also matches "deso IS NULL", and a planner
        # without statistics took it for the kommun-level rows, scanning nearly the whole table.
        db_index=False,
        related_name="+",
        verbose_name=_("DeSO"),
    )
    period_start = models.DateField(_("periodens första dag"))
    value = models.DecimalField(_("värde"), max_digits=20, decimal_places=6)
    ci_low = models.DecimalField(
        _("konfidensintervall, undre"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    ci_high = models.DecimalField(
        _("konfidensintervall, övre"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    import_run = models.ForeignKey(
        ImportRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_constraint=False,  # see the class docstring
        related_name="data_points",
        verbose_name=_("import"),
    )

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = _("datapunkt")
        verbose_name_plural = _("datapunkter")
        # NULLs are distinct in SQL unique indexes, so one conditional constraint per level.
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "deso", "period_start"],
                condition=Q(deso__isnull=False),
                name="datapoint_unique_deso_period",
            ),
            models.UniqueConstraint(
                fields=["indicator", "kommun", "period_start"],
                condition=Q(kommun__isnull=False, deso__isnull=True),
                name="datapoint_unique_kommun_period",
            ),
            models.UniqueConstraint(
                fields=["indicator", "lan", "period_start"],
                condition=Q(kommun__isnull=True, lan__isnull=False),
                name="datapoint_unique_lan_period",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_start"],
                condition=Q(kommun__isnull=True, lan__isnull=True),
                name="datapoint_unique_riket_period",
            ),
        ]
        indexes = [
            models.Index(fields=["kommun", "indicator", "period_start"]),
            models.Index(fields=["deso"], condition=Q(deso__isnull=False), name="datapoint_deso_set"),
            models.Index(fields=["lan"], name="datapoint_lan"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.deso_id or self.kommun_id or self.lan_id or 'riket'} {self.period_start}: {self.value}"
