"""Notices (meddelanden): short messages inside a collaboration, at any confidentiality level."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionedContent

from .confidentiality import ConfidentialContent


class Notice(ConfidentialContent, VersionedContent):
    title = models.CharField(_("rubrik"), max_length=200)
    body = models.TextField(_("text"), max_length=10_000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("författare"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    public_text_fields: ClassVar[tuple[str, ...]] = ("title", "body")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("meddelande")
        verbose_name_plural = _("meddelanden")
        indexes = [models.Index(fields=["collaboration", "-created_at"], name="notice_collab_time")]

    def __str__(self) -> str:
        return self.title
