"""Follow-up (uppföljning) of actions: what was done, the outcome, values measured, röd/gul/grön."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samverkan.core.conflicts import VersionedContent
from samverkan.core.models import ConfidentialContent

from .plan import Action, ActionIndicator

StrOrPromise = str | Promise


class Rating(models.TextChoices):
    ROD = "rod", _("Röd")
    GUL = "gul", _("Gul")
    GRON = "gron", _("Grön")


# domain.md's definitions, shown beside the choice wherever a rating is given.
RATING_DEFINITIONS: dict[str, StrOrPromise] = {
    Rating.ROD: _(
        "Inte gjort, eller gjort med resultat som inte går att mäta eller är sämre. Arbete återstår eller "
        "metoden måste ändras."
    ),
    Rating.GUL: _("Gjort, men resultatet är under den överenskomna nivån. Arbete återstår."),
    Rating.GRON: _("Gjort och resultatet är godkänt."),
}


class FollowUp(ConfidentialContent, VersionedContent):
    """One action followed up on one day (at a meeting or otherwise); one per action and day."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="followups")
    followed_up_on = models.DateField(_("datum"))
    occasion = models.CharField(
        _("tillfälle"), max_length=200, blank=True, help_text=_("Till exempel ”REK-gruppens möte i mars”.")
    )
    done = models.TextField(_("vad har gjorts"), blank=True, max_length=5_000)
    outcome = models.TextField(_("resultat"), blank=True, max_length=5_000)
    rating = models.CharField(_("bedömning"), max_length=4, choices=Rating.choices)
    # Required when the rating differs from the previous follow-up's (the service checks).
    reason = models.TextField(_("skäl till ändrad bedömning"), blank=True, max_length=2_000)
    hours_spent = models.DecimalField(
        _("nedlagda timmar"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    cost_spent = models.DecimalField(
        _("kostnad (kr)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    public_text_fields: ClassVar[tuple[str, ...]] = ("occasion", "done", "outcome", "reason")

    class Meta:
        ordering = ["action", "followed_up_on", "id"]
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        constraints = [
            models.UniqueConstraint(fields=["action", "followed_up_on"], name="followup_unique_action_day")
        ]
        indexes = [models.Index(fields=["collaboration", "followed_up_on"], name="followup_collab_day")]

    def __str__(self) -> str:
        return f"{self.action} {self.followed_up_on}: {self.get_rating_display()}"


class IndicatorValue(ConfidentialContent):
    """A value of an action's indicator measured at a follow-up (hand-entered indicators)."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(ActionIndicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("värde"), max_digits=20, decimal_places=4)
    measured_on = models.DateField(_("mätt"), null=True, blank=True)
    note = models.CharField(_("kommentar"), max_length=500, blank=True)

    public_text_fields: ClassVar[tuple[str, ...]] = ("note",)

    class Meta:
        ordering = ["indicator", "measured_on", "id"]
        verbose_name = _("uppmätt värde")
        verbose_name_plural = _("uppmätta värden")
        constraints = [
            models.UniqueConstraint(fields=["followup", "indicator"], name="indicatorvalue_unique_followup")
        ]
