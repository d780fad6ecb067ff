"""Meetings of a group: planned from its rhythm or called ad hoc, with attendance and calendar identity."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.agreements.models import Group
from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import ConfidentialContent, Level


class Meeting(ConfidentialContent, VersionedContent):
    """One meeting of one group. Its items carry their own levels; the meeting itself (when, where) is
    öppen by default because published minutes name it."""

    class Kind(models.TextChoices):
        PLANERAT = "planerat", _("Planerat möte")
        EXTRA = "extra", _("Extra möte")

    class Status(models.TextChoices):
        PLANERAT = "planerat", _("Planerat")
        GENOMFORT = "genomfort", _("Genomfört")
        INSTALLT = "installt", _("Inställt")

    class Relation(models.TextChoices):
        FORE = "fore", _("före")
        EFTER = "efter", _("efter")

    level = models.CharField(_("sekretessnivå"), max_length=10, choices=Level.choices, default=Level.OPPEN)
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("grupp")
    )
    title = models.CharField(_("rubrik"), max_length=200, blank=True)
    kind = models.CharField(_("typ av möte"), max_length=10, choices=Kind.choices, default=Kind.PLANERAT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANERAT)
    # Stored in UTC like every datetime; shown and written to calendars in Europe/Stockholm.
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    place = models.CharField(_("plats"), max_length=200, blank=True)
    convener = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sammankallande"),
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ordförande"),
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sekreterare"),
    )
    justerare = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("justerare")
    )
    # The operative group meets before and/or after the strategic one (Älvsbyn): the linked meeting is the
    # strategic group's meeting this one prepares or reports back from.
    linked_meeting = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_from",
        verbose_name=_("kopplat till möte"),
    )
    link_relation = models.CharField(_("hålls"), max_length=6, choices=Relation.choices, blank=True)
    # Calendar identity: the UID never changes; SEQUENCE rises on every material change (time, place,
    # cancellation), so calendar clients replace the old invitation instead of adding a second one.
    ics_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(_("inställt"), null=True, blank=True)
    cancel_reason = models.CharField(_("skäl till att mötet ställs in"), max_length=500, blank=True)
    # Keys (``source["draft"]``, or "carried:<id>") of drafted or carried-forward agenda items the secretary
    # deleted: a refresh of the draft must not bring them back.
    dropped_agenda_keys = models.JSONField(default=list, blank=True, editable=False)
    invitations_sent_at = models.DateTimeField(_("kallelse skickad"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("påminnelse skickad"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    public_text_fields: ClassVar[tuple[str, ...]] = ("title", "place", "cancel_reason")
    private_text_fields: ClassVar[dict[str, str]] = {
        "dropped_agenda_keys": "keys of deleted drafted agenda items, never text anyone types",
    }

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        indexes = [models.Index(fields=["collaboration", "starts_at"], name="meeting_collab_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title or str(self.group)


class Attendance(models.Model):
    """Who took part: a member (user) or a named person for an organisation; present, absent or substitute."""

    class Status(models.TextChoices):
        NARVARANDE = "narvarande", _("Närvarande")
        FRANVARANDE = "franvarande", _("Frånvarande")
        ERSATTARE = "ersattare", _("Ersättare")

    collaboration = models.ForeignKey("core.Collaboration", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # The name as the minutes print it (a user's name is copied so the record survives the account).
    name = models.CharField(_("namn"), max_length=200)
    role = models.CharField(_("roll"), max_length=100, blank=True)
    status = models.CharField(_("närvaro"), max_length=12, choices=Status.choices, default=Status.NARVARANDE)
    substitute_for = models.CharField(_("ersättare för"), max_length=200, blank=True)
    invited = models.BooleanField(_("kallad"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    # Printed in the minutes, published when they are: names yes, phone/e-mail/personnummer never.
    published_with: ClassVar[str] = "meeting"
    public_text_fields: ClassVar[tuple[str, ...]] = ("name", "role", "substitute_for")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="attendance_unique_user_per_meeting",
            )
        ]

    def __str__(self) -> str:
        return self.name
