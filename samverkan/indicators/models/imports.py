"""One import of a file: what was read, by whom, and what came of it (the provenance of every row)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def empty_counts() -> dict[str, Any]:
    return {"lines": 0, "imported": 0, "updated": 0, "unchanged": 0, "skipped": 0, "flagged": 0}


class ImportRun(models.Model):
    """A file read into the database. ``counts`` always satisfies imported+updated+unchanged+skipped == lines."""

    class Kind(models.TextChoices):
        POLICE_EVENTS = "police_events", _("Polisens händelser")
        CRIME_STATISTICS = "crime_statistics", _("Polisens registrerade brott per DeSO")
        CRIME_CODES = "crime_codes", _("Brottskodsnyckel")
        DESO_AREAS = "deso_areas", _("DeSO-områden (gränser)")
        TABLE = "table", _("Tabell (Brå, NTU, SCB, kommunens egna serier)")

    kind = models.CharField(_("typ"), max_length=40, choices=Kind.choices)
    file_name = models.CharField(_("filnamn"), max_length=255)
    sha256 = models.CharField(_("SHA-256 av innehållet"), max_length=64, db_index=True)
    started_at = models.DateTimeField(_("påbörjad"))
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("importerad av"),
    )
    counts = models.JSONField(
        _("antal"),
        default=empty_counts,
        help_text=_(
            "lines, imported, updated, unchanged, skipped, flagged; skipped_reasons (orsak → antal), "
            "skipped_rows och flagged_rows (de första raderna med radnummer)."
        ),
    )

    options = models.JSONField(
        _("inställningar"),
        default=dict,
        blank=True,
        help_text=_("Kolumnkoppling och andra val som importen gjordes med."),
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import")
        verbose_name_plural = _("importer")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class DataRevision(models.Model):
    """A number per kind of imported data that its import moves on in the same transaction.

    What is built from such data (a map's DeSO outlines) is cached under the number, in the database so
    that every app process agrees on it whatever cache it has (situation.SituationRevision likewise).
    """

    name = models.CharField(_("namn"), max_length=40, primary_key=True)
    value = models.BigIntegerField(_("revision"))

    class Meta:
        verbose_name = _("datarevision")
        verbose_name_plural = _("datarevisioner")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
