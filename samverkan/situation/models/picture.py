"""The joint situation picture (gemensam lägesbild) per round, and its agreed, frozen versions.

The live picture is computed from answers, events and the samordnare's area summaries. Agreeing it at a
meeting freezes a version: every part becomes a ``PictureItem`` row that keeps the level of what it came
from, so the one visibility rule (``visible_to``) also decides who sees which part of an agreed version,
and the öppen version is simply ``items.public()``.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import Collaboration, ConfidentialContent, TenantManager

from .rounds import Round
from .templates import Section, StatusLevel, Trend


class JointPicture(models.Model):
    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="+")
    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="joint_picture")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("gemensam lägesbild")
        verbose_name_plural = _("gemensamma lägesbilder")

    def __str__(self) -> str:
        return str(self.round)


class AreaSummary(ConfidentialContent, VersionedContent):
    """The samordnare's summary of one area for the joint picture."""

    picture = models.ForeignKey(JointPicture, on_delete=models.CASCADE, related_name="summaries")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("sammanfattning"), max_length=5_000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    public_text_fields: ClassVar[tuple[str, ...]] = ("text",)

    class Meta:
        verbose_name = _("sammanfattning per område")
        verbose_name_plural = _("sammanfattningar per område")
        constraints = [
            models.UniqueConstraint(fields=["picture", "section"], name="summary_one_per_area_and_picture")
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.text[:40]}"


class PictureVersion(models.Model):
    """An agreed version; later edits make a new version and this one stays readable as it was."""

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="+")
    picture = models.ForeignKey(JointPicture, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    agreed_at = models.DateTimeField(_("fastställd"), auto_now_add=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    meeting_date = models.DateField(_("mötesdatum"))
    meeting = models.CharField(_("möte"), max_length=200, help_text=_("Till exempel ”REK-gruppen”."))

    objects = TenantManager()

    class Meta:
        ordering = ["picture", "-number"]
        verbose_name = _("fastställd version")
        verbose_name_plural = _("fastställda versioner")
        constraints = [
            models.UniqueConstraint(fields=["picture", "number"], name="picture_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.picture} v{self.number}"


class PictureItem(ConfidentialContent):
    """One frozen part of an agreed version, with the level of the answer, event or summary it came from."""

    class Kind(models.TextChoices):
        CELL = "cell", _("Läge och utveckling")
        TEXT = "text", _("Fritext")
        PLACES = "places", _("Platser")
        NUMBER = "number", _("Antal")
        SUMMARY = "summary", _("Sammanfattning")
        EVENT = "event", _("Händelse")

    version = models.ForeignKey(PictureVersion, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    section_order = models.PositiveSmallIntegerField(default=0)
    section_title = models.CharField(max_length=200, blank=True)
    area_code = models.SlugField(max_length=40, blank=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    question_text = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=StatusLevel.choices, blank=True)
    trend = models.CharField(max_length=12, choices=Trend.choices, blank=True)
    previous_status = models.CharField(max_length=10, choices=StatusLevel.choices, blank=True)
    last_year_status = models.CharField(max_length=10, choices=StatusLevel.choices, blank=True)
    text = models.TextField(blank=True)
    number = models.IntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)

    # Copied when a version is agreed from answers, events, summaries, the template and organisation
    # names, whose own text was checked when they were saved; freezing does not check again. The payload
    # carries published strings too (place names, the event's category and place).
    public_text_fields: ClassVar[tuple[str, ...]] = (
        "section_title",
        "organisation_name",
        "question_text",
        "text",
        "payload",
    )

    class Meta:
        ordering = ["section_order", "kind", "organisation_name", "id"]
        verbose_name = _("del av fastställd lägesbild")
        verbose_name_plural = _("delar av fastställd lägesbild")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.section_title}"


class SituationRevision(models.Model):
    """The collaboration's situation revision: a number every write that changes a lägesbild moves on.

    Kept in the database, not the cache, so that every app process agrees on it whatever cache it has
    (per-process memory included): a live picture cached under an older revision is never read again.
    """

    collaboration = models.OneToOneField(
        Collaboration, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    value = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.collaboration_id}: {self.value}"
