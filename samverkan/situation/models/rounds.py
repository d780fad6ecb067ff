"""Reporting rounds (insamlingsomgångar), reports and answers."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import Collaboration, ConfidentialContent, Organisation, TenantManager

from .templates import Question, StatusLevel, Template, Trend


class Round(models.Model):
    class Period(models.TextChoices):
        WEEK = "vecka", _("Vecka")
        MONTH = "manad", _("Månad")
        QUARTER = "kvartal", _("Kvartal")
        TERTIAL = "tertial", _("Tertial")

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="rounds")
    template = models.ForeignKey(
        Template, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("mall")
    )
    period = models.CharField(_("period"), max_length=10, choices=Period.choices, default=Period.MONTH)
    period_start = models.DateField(_("periodens början"))
    period_end = models.DateField(_("periodens slut"))
    deadline = models.DateTimeField(_("sista dag att rapportera"))
    organisations = models.ManyToManyField(
        Organisation, related_name="situation_rounds", verbose_name=_("tillfrågade organisationer")
    )
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    deadline_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager()

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("insamlingsomgång")
        verbose_name_plural = _("insamlingsomgångar")
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "period", "period_start"],
                name="round_unique_period_per_collaboration",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="round_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["collaboration", "-period_start"], name="round_collab_period")]

    def __str__(self) -> str:
        return f"{self.get_period_display()} {self.period_start:%Y-%m-%d}"

    @property
    def title(self) -> str:
        """The period in words: "oktober 2026", "vecka 46, 2026", "kvartal 4, 2026", "tertial 3, 2026"."""
        start = self.period_start
        if self.period == Round.Period.WEEK:
            year, week, _day = start.isocalendar()
            return gettext("vecka %(week)s, %(year)s") % {"week": week, "year": year}
        if self.period == Round.Period.QUARTER:
            return gettext("kvartal %(n)s, %(year)s") % {"n": (start.month - 1) // 3 + 1, "year": start.year}
        if self.period == Round.Period.TERTIAL:
            return gettext("tertial %(n)s, %(year)s") % {"n": (start.month - 1) // 4 + 1, "year": start.year}
        return str(formats.date_format(start, "F Y"))

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and timezone.now() <= self.deadline


class Report(models.Model):
    """One organisation's answers in one round: draft until submitted, editable until the round closes."""

    class Status(models.TextChoices):
        UTKAST = "utkast", _("Utkast")
        INSKICKAD = "inskickad", _("Inskickad")

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reports")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="situation_reports")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UTKAST)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        ordering = ["round", "organisation__name"]
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="report_one_per_organisation_and_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.round}"


class Answer(ConfidentialContent, VersionedContent):
    """One answer; each carries its own level (police answers default to begränsad)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    status = models.CharField(_("läge"), max_length=10, choices=StatusLevel.choices, blank=True)
    trend = models.CharField(_("utveckling"), max_length=12, choices=Trend.choices, blank=True)
    text = models.TextField(_("text"), blank=True, max_length=5_000)
    number = models.IntegerField(_("antal"), null=True, blank=True)
    places = models.JSONField(_("platser"), default=list, blank=True)

    # ``places`` holds the place names of a places question ([{"name": …}]), published like the text.
    public_text_fields: ClassVar[tuple[str, ...]] = ("text", "places")

    class Meta:
        ordering = ["question__section__order", "question__order"]
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        constraints = [
            models.UniqueConstraint(fields=["report", "question"], name="answer_one_per_question_and_report")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.status or self.trend or self.number or self.text[:40]}"
