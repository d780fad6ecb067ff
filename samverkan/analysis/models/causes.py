"""Cause analysis (orsaksanalys): the problem-analysis triangle, the fishbone's bones and the cause tree."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import ConfidentialContent

from .problems import Problem

# A cause tree deeper than this is no longer an analysis a group reads at a meeting (and bounds recursion).
MAX_CAUSE_DEPTH = 8


class CauseAnalysis(ConfidentialContent, VersionedContent):
    """The triangle of one problem (each side with the one who can act on it) and the working hypothesis."""

    problem = models.OneToOneField(Problem, on_delete=models.CASCADE, related_name="analysis")
    offender = models.TextField(_("gärningsperson"), blank=True, max_length=2_000)
    handler = models.TextField(
        _("den som kan påverka gärningspersonen"),
        blank=True,
        max_length=2_000,
        help_text=_("Till exempel föräldrar, skola, socialtjänst, idrottsledare."),
    )
    target = models.TextField(_("brottsutsatt eller mål"), blank=True, max_length=2_000)
    guardian = models.TextField(
        _("den som kan skydda målet"),
        blank=True,
        max_length=2_000,
        help_text=_("Till exempel grannar, personal, väktare, den utsatta själv."),
    )
    place = models.TextField(_("plats"), blank=True, max_length=2_000)
    manager = models.TextField(
        _("den som ansvarar för platsen"),
        blank=True,
        max_length=2_000,
        help_text=_("Till exempel fastighetsägare, kommunens gatukontor, butiksägare."),
    )
    hypothesis = models.TextField(_("arbetshypotes"), blank=True, max_length=5_000)
    updated_at = models.DateTimeField(auto_now=True)

    public_text_fields: ClassVar[tuple[str, ...]] = (
        "offender",
        "handler",
        "target",
        "guardian",
        "place",
        "manager",
        "hypothesis",
    )

    class Meta:
        verbose_name = _("orsaksanalys")
        verbose_name_plural = _("orsaksanalyser")

    def __str__(self) -> str:
        return str(self.problem)


class Cause(ConfidentialContent, VersionedContent):
    """A cause in the tree: direct (no parent) or an indirect cause of its parent (why → why)."""

    class Bone(models.TextChoices):
        # Brå's fishbone has three bones, the triangle's sides; "annat" holds what fits none.
        GARNINGSPERSON = "garningsperson", _("Gärningsperson")
        BROTTSUTSATT = "brottsutsatt", _("Brottsutsatt/mål")
        PLATS = "plats", _("Plats")
        ANNAT = "annat", _("Annat")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="causes")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("orsak till"),
    )
    bone = models.CharField(_("del av triangeln"), max_length=16, choices=Bone.choices, default=Bone.ANNAT)
    text = models.CharField(_("orsak"), max_length=500)
    evidence_note = models.TextField(_("stöd för orsaken"), blank=True, max_length=2_000)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    public_text_fields: ClassVar[tuple[str, ...]] = ("text", "evidence_note")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("orsak")
        verbose_name_plural = _("orsaker")

    def __str__(self) -> str:
        return self.text
