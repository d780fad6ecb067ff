"""The action plan (åtgärdsplan) of an agreement period: actions tied to causes, with indicators."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import ConfidentialContent


class ActionPlan(ConfidentialContent, VersionedContent):
    """One plan per agreement period. It is edited live and decided (fastställd) as frozen versions."""

    class Status(models.TextChoices):
        UTKAST = "utkast", _("Utkast")
        FASTSTALLD = "faststalld", _("Fastställd")
        AVSLUTAD = "avslutad", _("Avslutad")

    # A plan outlives its agreement row (gallring, or an agreement removed by mistake): its actions and
    # follow-ups are the record of the work done.
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_plans",
        verbose_name=_("överenskommelse"),
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("inledning"), blank=True, max_length=10_000)
    start_date = models.DateField(_("gäller från"))
    end_date = models.DateField(_("gäller till"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UTKAST)
    # The plan this one continues (the yearly evaluation starts the next plan from the last one).
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("föregående plan"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    public_text_fields: ClassVar[tuple[str, ...]] = ("title", "description")

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("åtgärdsplan")
        verbose_name_plural = _("åtgärdsplaner")

    def __str__(self) -> str:
        return self.title


class PlanVersion(models.Model):
    """A decided (fastställd) plan: when, by whom, and a frozen copy of every part (``items``)."""

    collaboration = models.ForeignKey("core.Collaboration", on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    decided_on = models.DateField(_("fastställd den"))
    decided_by = models.CharField(
        _("fastställd av"), max_length=300, help_text=_("Till exempel ”Kommunstyrelsen, § 45/2021”.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    public_text_fields: ClassVar[tuple[str, ...]] = ("decided_by",)

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("fastställd version")
        verbose_name_plural = _("fastställda versioner")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class PlanVersionItem(ConfidentialContent):
    """A frozen part of a decided plan, with the level of what it was copied from."""

    class Kind(models.TextChoices):
        PROBLEM = "problem", _("Problem")
        ORSAK = "orsak", _("Orsak")
        ATGARD = "atgard", _("Åtgärd")
        INDIKATOR = "indikator", _("Indikator")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    source_id = models.PositiveBigIntegerField()
    order = models.PositiveIntegerField(default=0)
    # The frozen fields as they were decided (titles, texts, dates, numbers, ids of linked parts).
    data = models.JSONField(default=dict)

    # ``data`` is a copy of rows whose own texts passed the guard when written; freezing re-runs it.
    public_text_fields: ClassVar[tuple[str, ...]] = ("data",)

    class Meta:
        ordering = ["version", "order", "id"]
        verbose_name = _("del av fastställd plan")
        verbose_name_plural = _("delar av fastställd plan")


class Action(ConfidentialContent, VersionedContent):
    """An action (åtgärd): what is done, by whom, when, against which causes, with what effect expected."""

    class Kind(models.TextChoices):
        SITUATIONELL = "situationell", _("Situationell")
        SOCIAL = "social", _("Social")

    class Horizon(models.TextChoices):
        KORT = "kort", _("Kort sikt")
        LANG = "lang", _("Lång sikt")

    class Status(models.TextChoices):
        PLANERAD = "planerad", _("Planerad")
        PAGAR = "pagar", _("Pågår")
        GENOMFORD = "genomford", _("Genomförd")
        AVBRUTEN = "avbruten", _("Avbruten")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField(_("nummer"))
    focus_area = models.ForeignKey(
        "agreements.FocusArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("fokusområde"),
    )
    title = models.CharField(_("åtgärd"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, max_length=5_000)
    kind = models.CharField(_("typ"), max_length=14, choices=Kind.choices, default=Kind.SITUATIONELL)
    horizon = models.CharField(
        _("tidsperspektiv"), max_length=6, choices=Horizon.choices, default=Horizon.KORT
    )
    causes = models.ManyToManyField(
        "analysis.Cause",
        related_name="actions",
        blank=True,
        verbose_name=_("orsaker som åtgärden riktar sig mot"),
    )
    problems = models.ManyToManyField(
        "analysis.Problem", related_name="actions", blank=True, verbose_name=_("problem")
    )
    # Brå: an action is tied to a cause. Until the analysis is done the plan says so, openly.
    no_analysis_reason = models.TextField(
        _("skäl till att orsaksanalys saknas"), blank=True, max_length=2_000
    )
    responsible = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarig organisation"),
    )
    contact = models.ForeignKey(
        "core.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kontaktperson"),
    )
    partners = models.ManyToManyField(
        "core.Organisation", related_name="+", blank=True, verbose_name=_("övriga organisationer")
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("slut"), null=True, blank=True)
    expected_effect = models.TextField(_("förväntad effekt"), blank=True, max_length=5_000)
    planned_hours = models.DecimalField(
        _("planerade timmar"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    planned_cost = models.DecimalField(
        _("planerad kostnad (kr)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANERAD)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    public_text_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "description",
        "no_analysis_reason",
        "expected_effect",
    )

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="action_unique_number")]
        indexes = [models.Index(fields=["collaboration", "status"], name="action_collab_status")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ActionIndicator(ConfidentialContent, VersionedContent):
    """How an action's effect is measured: a baseline, a target and a direction, by hand or from statistics.

    Versioned: two people changing the same target at once must not lose one's change."""

    class Source(models.TextChoices):
        MANUELL = "manuell", _("Matas in för hand")
        STATISTIK = "statistik", _("Indikator i statistiken")

    class Direction(models.TextChoices):
        MINSKA = "minska", _("Ska minska")
        OKA = "oka", _("Ska öka")
        BIBEHALLA = "bibehalla", _("Ska hållas")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indikator"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=40, blank=True)
    source = models.CharField(_("källa"), max_length=10, choices=Source.choices, default=Source.MANUELL)
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indikator i statistiken"),
    )
    kommun = models.ForeignKey(
        "core.Kommun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommun"),
    )
    baseline = models.DecimalField(_("utgångsvärde"), max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_on = models.DateField(_("utgångsvärdet avser"), null=True, blank=True)
    target = models.DecimalField(_("målvärde"), max_digits=20, decimal_places=4, null=True, blank=True)
    target_on = models.DateField(_("målet ska nås"), null=True, blank=True)
    direction = models.CharField(_("riktning"), max_length=10, choices=Direction.choices, blank=True)
    # The line this target draws on the statistics chart (indicators.Target), kept in step by the service.
    target_line = models.OneToOneField(
        "indicators.Target", on_delete=models.SET_NULL, null=True, blank=True, related_name="action_indicator"
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    public_text_fields: ClassVar[tuple[str, ...]] = ("name", "unit")

    class Meta:
        ordering = ["action", "order", "id"]
        verbose_name = _("indikator för åtgärd")
        verbose_name_plural = _("indikatorer för åtgärder")

    def __str__(self) -> str:
        return self.name
