"""Work orders (arbetsorder): what an organisation is to do before a date or the next meeting."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import ConfidentialContent

from .plan import Action


class WorkOrder(ConfidentialContent, VersionedContent):
    class Status(models.TextChoices):
        OPPEN = "oppen", _("Att göra")
        KLAR = "klar", _("Klar")
        STRUKEN = "struken", _("Struken")

    action = models.ForeignKey(
        Action,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("åtgärd"),
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    title = models.CharField(_("uppdrag"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, max_length=5_000)
    # Either a date, or "by the next meeting" (resolved from the groups' rhythm until meetings exist).
    due_on = models.DateField(_("klart senast"), null=True, blank=True)
    due_next_meeting = models.BooleanField(_("klart till nästa möte"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPPEN)
    done_on = models.DateField(_("klart den"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    public_text_fields: ClassVar[tuple[str, ...]] = ("title", "description")

    class Meta:
        ordering = ["status", "due_on", "id"]
        verbose_name = _("arbetsorder")
        verbose_name_plural = _("arbetsorder")
        indexes = [
            models.Index(fields=["collaboration", "organisation", "status"], name="workorder_org_status")
        ]

    def __str__(self) -> str:
        return self.title


class WorkOrderDigest(models.Model):
    """That a user's weekly digest of work orders went out for a week: the job runs again safely."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The Monday of the ISO week the digest covers.
    week = models.DateField(_("vecka"))
    sent_at = models.DateTimeField(auto_now_add=True)
    orders = models.PositiveIntegerField(_("antal uppdrag"), default=0)

    class Meta:
        verbose_name = _("veckobrev om uppdrag")
        verbose_name_plural = _("veckobrev om uppdrag")
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="workorderdigest_unique_week")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.week}"
