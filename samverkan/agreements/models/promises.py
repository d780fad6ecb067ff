"""Medborgarlöften (citizen promises) and their activities."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import ConfidentialContent, Level, Organisation

from .agreement import Agreement


class CitizenPromise(ConfidentialContent, VersionedContent):
    """A promise the police and the kommun make to the citizens for a period.

    Public promises have level öppen; ``replaced_by`` links a promise period that an agreement replaced.
    """

    class Status(models.TextChoices):
        PLANERAT = "planerat", _("Planerat")
        PAGAR = "pagar", _("Pågår")
        UPPFYLLT = "uppfyllt", _("Uppfyllt")
        AVBRUTET = "avbrutet", _("Avbrutet")

    level = models.CharField(_("sekretessnivå"), max_length=10, choices=Level.choices, default=Level.OPPEN)
    title = models.CharField(_("rubrik"), max_length=200)
    text = models.TextField(_("löftet"), max_length=5_000)
    start_date = models.DateField(_("gäller från"))
    end_date = models.DateField(_("gäller till"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANERAT)
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises",
        verbose_name=_("ingår i överenskommelse"),
    )
    replaced_by = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_promises",
        verbose_name=_("ersatt av överenskommelse"),
    )

    public_text_fields: ClassVar[tuple[str, ...]] = ("title", "text")

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("medborgarlöfte")
        verbose_name_plural = _("medborgarlöften")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="promise_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class PromiseActivity(ConfidentialContent):
    level = models.CharField(_("sekretessnivå"), max_length=10, choices=Level.choices, default=Level.OPPEN)
    promise = models.ForeignKey(CitizenPromise, on_delete=models.CASCADE, related_name="activities")
    description = models.CharField(_("aktivitet"), max_length=500)
    responsible = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CitizenPromise.Status.choices,
        default=CitizenPromise.Status.PLANERAT,
    )
    due = models.DateField(_("klart senast"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    public_text_fields: ClassVar[tuple[str, ...]] = ("description",)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")

    def __str__(self) -> str:
        return self.description
