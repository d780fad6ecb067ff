"""Focus areas (fokusområden / prioriteringar): ordered, changed only with a dated reason."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import ConfidentialContent, Level

from .agreement import Agreement


class FocusArea(ConfidentialContent, VersionedContent):
    class Status(models.TextChoices):
        AKTIVT = "aktivt", _("Aktivt")
        AVSLUTAT = "avslutat", _("Avslutat")

    level = models.CharField(_("sekretessnivå"), max_length=10, choices=Level.choices, default=Level.OPPEN)
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="focus_areas")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("delprioritering till"),
    )
    title = models.CharField(_("fokusområde"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, max_length=5_000)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AKTIVT)
    # Set when the area came from the previous agreement at renewal: follow-up history stays linked.
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("fört vidare från"),
    )

    public_text_fields: ClassVar[tuple[str, ...]] = ("title", "description")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområden")

    def __str__(self) -> str:
        return self.title


class FocusAreaChange(models.Model):
    """One dated, reasoned change of a focus area during the period (the picture changes)."""

    class Kind(models.TextChoices):
        TILLAGT = "tillagt", _("Tillagt")
        ANDRAT = "andrat", _("Ändrat")
        AVSLUTAT = "avslutat", _("Avslutat")
        FORT_VIDARE = "fort_vidare", _("Fört vidare från föregående överenskommelse")

    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="changes")
    collaboration = models.ForeignKey("core.Collaboration", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("ändring"), max_length=12, choices=Kind.choices)
    changed_on = models.DateField(_("datum"))
    reason = models.TextField(_("motivering"), max_length=2_000)
    before = models.JSONField(_("före"), default=dict, blank=True)
    after = models.JSONField(_("efter"), default=dict, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The reason is read with its focus area (the API's history, county readers), so it is public when
    # the area is öppen; the snapshots are shown to no reader.
    published_with: ClassVar[str] = "focus_area"
    public_text_fields: ClassVar[tuple[str, ...]] = ("reason",)
    private_text_fields: ClassVar[dict[str, str]] = {
        "before": "snapshot of the area before the change, for the audit of it; shown to no reader",
        "after": "snapshot of the area after the change, for the audit of it; shown to no reader",
    }

    class Meta:
        ordering = ["changed_on", "id"]
        verbose_name = _("ändring av fokusområde")
        verbose_name_plural = _("ändringar av fokusområden")

    def __str__(self) -> str:
        return f"{self.changed_on} {self.get_kind_display()}: {self.focus_area}"
