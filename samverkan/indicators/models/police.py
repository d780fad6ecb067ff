"""The police's open events (polisen.se/api/events): public open data, not collaboration content."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import Kommun, Lan
from samverkan.indicators.models.catalogue import area_code_choices
from samverkan.indicators.models.imports import ImportRun


class PoliceEvent(models.Model):
    """One event as the police publish it; written only by ``services.import_police_events``.

    Public open data, so deliberately not ``ConfidentialContent``: every member may read every event.

    The foreign keys have no database constraint: the import takes every kommun, län and import id from
    the database itself, and checking ~250,000 references at commit was a fifth of an archive import on
    PostgreSQL. ``on_delete=PROTECT`` still guards deletes through the ORM.
    """

    class MatchedBy(models.TextChoices):
        LOCATION = "location", _("Platsens namn är en kommun")
        NAME = "name", _("Kommunen sist i rubriken")
        LAN_ONLY = "lan_only", _("Bara länet är känt")
        UNKNOWN = "unknown", _("Okänd plats")

    police_id = models.BigIntegerField(_("polisens id"), primary_key=True)
    datetime = models.DateTimeField(_("tidpunkt"))
    month = models.DateField(
        _("månad"), help_text=_("Första dagen i händelsens månad (svensk tid); för månadsstatistik.")
    )
    name = models.CharField(_("rubrik"), max_length=300)
    summary = models.TextField(_("sammanfattning"), blank=True)
    url = models.URLField(_("länk"), max_length=500, blank=True)
    type = models.CharField(_("händelsetyp"), max_length=100)
    location_name = models.CharField(_("platsens namn"), max_length=100, blank=True)
    latitude = models.FloatField(
        _("latitud"),
        null=True,
        blank=True,
        help_text=_("Mittpunkten för kommunen eller länet som polisen anger – inte platsen för händelsen."),
    )
    longitude = models.FloatField(
        _("longitud"),
        null=True,
        blank=True,
        help_text=_("Mittpunkten för kommunen eller länet som polisen anger – inte platsen för händelsen."),
    )
    kommun = models.ForeignKey(
        Kommun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # the (kommun, datetime) index serves
        db_constraint=False,  # see the class docstring
        related_name="police_events",
        verbose_name=_("kommun"),
    )
    lan = models.ForeignKey(
        Lan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # the (lan, datetime) index serves
        db_constraint=False,  # see the class docstring
        related_name="police_events",
        verbose_name=_("län"),
    )
    matched_by = models.CharField(_("platsen bestämd genom"), max_length=10, choices=MatchedBy.choices)
    flagged = models.BooleanField(
        _("flaggad"), default=False, help_text=_("Platsens namn är varken en kommun eller ett län.")
    )
    import_run = models.ForeignKey(
        ImportRun,
        on_delete=models.PROTECT,
        db_index=False,  # read only when an import is deleted; every index slows each import
        db_constraint=False,
        related_name="police_events",
        verbose_name=_("senaste import"),
    )
    content_hash = models.CharField(
        _("innehållets kontrollsumma"),
        max_length=32,
        help_text=_("Av fälten, oberoende av filformat: en ändrad version känns igen på den."),
    )
    source_hash = models.CharField(
        _("radens kontrollsumma"),
        max_length=32,
        blank=True,
        help_text=_("Av raden som den stod i en JSON Lines-fil: en oförändrad rad behöver inte tolkas igen."),
    )

    class Meta:
        ordering = ["-datetime"]
        verbose_name = _("polishändelse")
        verbose_name_plural = _("polishändelser")
        indexes = [
            models.Index(fields=["kommun", "datetime"]),
            models.Index(fields=["lan", "datetime"]),
            models.Index(fields=["month", "kommun"]),
        ]

    def __str__(self) -> str:
        return self.name


class PoliceEventTypeMapping(models.Model):
    """Which lägesbild area a police event type counts towards; blank = no area. Editable in the admin."""

    type = models.CharField(_("händelsetyp"), max_length=100, unique=True)
    area_code = models.CharField(_("lägesbildsområde"), max_length=20, blank=True, choices=area_code_choices)

    class Meta:
        ordering = ["type"]
        verbose_name = _("koppling av händelsetyp")
        verbose_name_plural = _("kopplingar av händelsetyper")

    def __str__(self) -> str:
        return f"{self.type} → {self.area_code or '–'}"
