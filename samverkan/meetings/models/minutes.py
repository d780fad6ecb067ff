"""Minutes (protokoll) and their justering: draft → out for justering (locked) → justerat (locked for good,
corrections only as dated amendments) → a public version approved by a second person → published."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import ConfidentialContent

from .agenda import AgendaItem
from .meeting import Meeting


class Minutes(VersionedContent):
    class Status(models.TextChoices):
        UTKAST = "utkast", _("Utkast")
        FOR_JUSTERING = "justering", _("Skickat för justering")
        JUSTERAT = "justerat", _("Justerat")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UTKAST)
    # Each sending out opens a new round; responses belong to a round, so a declined round is kept.
    justering_round = models.PositiveSmallIntegerField(default=0)
    sent_for_justering_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    justering_due_on = models.DateField(_("justeras senast"), null=True, blank=True)
    justerat_at = models.DateTimeField(null=True, blank=True)
    # The day the last due-date reminder went out, so the daily job sends at most one a day.
    justering_reminded_on = models.DateField(null=True, blank=True, editable=False)
    # SHA-256 of the canonical approved content: printed on the PDF's justering page.
    content_sha256 = models.CharField(max_length=64, blank=True)
    public_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    public_approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoll")

    def __str__(self) -> str:
        return f"{self.meeting}"

    @property
    def locked(self) -> bool:
        return self.status != self.Status.UTKAST


class JusteringResponse(models.Model):
    class Answer(models.TextChoices):
        GODKAND = "godkand", _("Godkänner")
        AVBOJD = "avbojd", _("Godkänner inte")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="responses")
    round = models.PositiveSmallIntegerField()
    justerare = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("svar"), max_length=8, choices=Answer.choices)
    comment = models.TextField(_("kommentar"), blank=True, max_length=5_000)
    # The content the justerare approved, so a later change cannot pass as approved.
    content_sha256 = models.CharField(max_length=64)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "answered_at"]
        verbose_name = _("justering")
        verbose_name_plural = _("justeringar")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "round", "justerare"], name="justering_one_answer_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.minutes_id}/{self.round}/{self.justerare_id}"


class JusteringItemComment(models.Model):
    """A justerare's comment on one item when declining."""

    response = models.ForeignKey(JusteringResponse, on_delete=models.CASCADE, related_name="item_comments")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    comment = models.TextField(_("kommentar"), max_length=5_000)

    class Meta:
        verbose_name = _("kommentar till punkt")
        verbose_name_plural = _("kommentarer till punkter")

    def __str__(self) -> str:
        return self.comment[:40]


class Amendment(ConfidentialContent):
    """A dated, visible correction of justerade minutes; never a silent edit. Its level is its item's."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="amendments")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="amendments"
    )
    text = models.TextField(_("rättelse"), max_length=5_000)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    public_text_fields: ClassVar[tuple[str, ...]] = ("text",)

    class Meta:
        ordering = ["made_at", "id"]
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")

    def __str__(self) -> str:
        return self.text[:40]
