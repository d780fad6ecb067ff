"""The agenda, which is also the minutes: one item per point, each with its own confidentiality level."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Group
from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import ConfidentialContent
from samverkan.core.models.fields import DocumentJSONField

from .meeting import Meeting


class AgendaItem(ConfidentialContent, VersionedContent):
    """A point on the agenda. Drafted from the state of the cycle (``kind`` and ``source``), edited by the
    secretary, written during the meeting (``notes``, ``proposal``, ``reservations``). The public minutes
    print an öppen item as written and replace any other by a neutral line."""

    class Kind(models.TextChoices):
        OPPNANDE = "oppnande", _("Mötets öppnande och närvaro")
        UPPFOLJNING = "uppfoljning", _("Uppföljning av åtgärder")
        ARBETSORDER = "arbetsorder", _("Arbetsorder att redovisa")
        LAGESBILD = "lagesbild", _("Parternas lägesbild")
        SIGNALER = "signaler", _("Signaler i statistiken")
        POLISINFORMATION = "polisinformation", _("Polisens information")
        GEMENSAM_LAGESBILD = "gemensam", _("Gemensam lägesbild")
        ATERRAPPORTERING = "aterrapport", _("Återrapportering")
        BESLUT = "beslut", _("Beslut")
        NYA_ARBETSORDER = "nya_order", _("Nya arbetsorder")
        OVRIGT = "ovrigt", _("Övrigt")
        NASTA_MOTE = "nasta_mote", _("Nästa möte")
        AVSLUTNING = "avslutning", _("Mötets avslutande")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    kind = models.CharField(_("typ av punkt"), max_length=16, choices=Kind.choices, default=Kind.OVRIGT)
    title = models.CharField(_("rubrik"), max_length=300)
    # What the draft put here from the cycle, as text the secretary may edit (background, lists).
    prepared_text = models.TextField(_("underlag"), blank=True, max_length=20_000)
    notes = models.TextField(_("anteckningar"), blank=True, max_length=20_000)
    proposal = models.TextField(_("förslag till beslut"), blank=True, max_length=5_000)
    reservations = models.TextField(
        _("reservationer och protokollsanteckningar"), blank=True, max_length=5_000
    )
    # Ids of what the draft was built from ({"actions": [...], "work_orders": [...], "round": 3, ...}),
    # so meeting mode can open the live rows; never shown as such.
    source = DocumentJSONField(default=dict, blank=True)
    handled = models.BooleanField(_("behandlad"), default=False)
    # An unfinished item is carried to the next meeting's agenda; the copy points at where it came from.
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("överförd från"),
    )
    immediately_justerad = models.BooleanField(_("omedelbart justerad"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    public_text_fields: ClassVar[tuple[str, ...]] = (
        "title",
        "prepared_text",
        "notes",
        "proposal",
        "reservations",
    )
    private_text_fields: ClassVar[dict[str, str]] = {
        "source": "ids of the rows the draft was built from, never text anyone types",
    }

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("dagordningspunkt")
        verbose_name_plural = _("dagordningspunkter")

    def __str__(self) -> str:
        return self.title


class Decision(ConfidentialContent):
    """A decision, numbered per group and year ("§ 12/2026"); its level follows its item's by default."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveIntegerField(_("nummer"))
    text = models.TextField(_("beslut"), max_length=5_000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    public_text_fields: ClassVar[tuple[str, ...]] = ("text",)

    class Meta:
        ordering = ["year", "number"]
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        constraints = [
            models.UniqueConstraint(fields=["group", "year", "number"], name="decision_unique_number")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"§ {self.number}/{self.year}"


class MeetingFollowUp(models.Model):
    """That a follow-up (actions app) was made at this meeting: the meeting lists them, the minutes print
    them; the follow-up itself stays the action plan's row, recorded through its own service."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="followup_links")
    followup = models.OneToOneField("actions.FollowUp", on_delete=models.CASCADE, related_name="meeting_link")
    item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("uppföljning på möte")
        verbose_name_plural = _("uppföljningar på möte")

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.followup_id}"
