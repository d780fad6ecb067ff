"""The round schedule: rounds are opened automatically by rhythm, and members are reminded by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import Collaboration, Organisation, TenantManager

from .rounds import Round
from .templates import Template


class RoundSchedule(models.Model):
    """How often a collaboration collects its lägesbild; a daily job opens each period's round."""

    collaboration = models.OneToOneField(
        Collaboration, on_delete=models.CASCADE, related_name="situation_schedule"
    )
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    period = models.CharField(
        _("rytm"), max_length=10, choices=Round.Period.choices, default=Round.Period.MONTH
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("dagar efter periodens slut till sista dag"), default=5
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("påminn så många dagar före sista dag"), default=3
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name=_("tillfrågade organisationer"),
        help_text=_("Tomt betyder alla aktörer i samverkan."),
    )
    active = models.BooleanField(_("aktivt"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("schema för insamling")
        verbose_name_plural = _("scheman för insamling")

    def __str__(self) -> str:
        return f"{self.collaboration} – {self.get_period_display()}"
