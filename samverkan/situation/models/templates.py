"""Lägesbild templates: versioned sections and questions. Reports keep the version they answered."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import Collaboration, TenantManager


class StatusLevel(models.TextChoices):
    """The four-level status scale, with the meaning shown next to each choice."""

    GRON = "gron", _("Grön")
    GUL = "gul", _("Gul")
    ORANGE = "orange", _("Orange")
    ROD = "rod", _("Röd")


STATUS_MEANING = {
    StatusLevel.GRON: _("Lugnt – inga eller enstaka händelser, inget som kräver åtgärd."),
    StatusLevel.GUL: _("Viss oro – händelser som bör följas."),
    StatusLevel.ORANGE: _("Oroande – återkommande händelser som kräver åtgärder."),
    StatusLevel.ROD: _("Allvarligt – akut läge som kräver gemensamma insatser nu."),
}


class Trend(models.TextChoices):
    OKAR = "okar", _("Ökar")
    OFORANDRAT = "oforandrat", _("Oförändrat")
    MINSKAR = "minskar", _("Minskar")
    VET_EJ = "vet_ej", _("Vet ej")


class Template(models.Model):
    """A lägesbild template. A revision is a new row (version + 1, ``previous`` set); old rows stay."""

    collaboration = models.ForeignKey(
        Collaboration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="situation_templates",
        help_text=_("Tom för mallar som följer med produkten och kan användas av alla."),
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, max_length=5_000)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("föregående version"),
    )
    is_current = models.BooleanField(_("senaste version"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Shipped templates (no collaboration) serve everyone; of_member gives a collaboration's own.
    objects = TenantManager()

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("lägesbildsmall")
        verbose_name_plural = _("lägesbildsmallar")

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Section(models.Model):
    """One area of the template, usually a focus area (e.g. "Hot och våld")."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    title = models.CharField(_("område"), max_length=200)
    area_code = models.SlugField(
        _("områdeskod"),
        max_length=40,
        blank=True,
        help_text=_("Kopplar området till händelsekategorier och statistik, t.ex. ”vald”."),
    )
    description = models.TextField(_("beskrivning"), blank=True, max_length=2_000)
    focus_area = models.ForeignKey(
        "agreements.FocusArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="situation_sections",
        verbose_name=_("fokusområde"),
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("område i mall")
        verbose_name_plural = _("områden i mall")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        STATUS = "status", _("Läge (grön–röd)")
        TREND = "trend", _("Utveckling")
        TEXT = "text", _("Fritext")
        PLACES = "places", _("Platser")
        NUMBER = "number", _("Antal")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("fråga"), max_length=500)
    help_text = models.CharField(_("hjälptext"), max_length=500, blank=True)
    required = models.BooleanField(_("obligatorisk"), default=False)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")

    def __str__(self) -> str:
        return self.text
