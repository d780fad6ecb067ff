"""Feedback on the site's accessibility from anyone (the accessibility statement's form)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .places import Kommun


class AccessibilityFeedback(models.Model):
    """A report of an accessibility problem or a request for content in another form; e-mailed to the
    operator and to the samordnare of the kommun it names, and kept so that nothing is lost if a mail is."""

    message = models.TextField(_("meddelande"), max_length=5_000)
    contact_email = models.EmailField(_("e-post för svar"), blank=True)
    page = models.CharField(_("sida det gäller"), max_length=300, blank=True)
    kommun = models.ForeignKey(
        Kommun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("kommun")
    )
    created_at = models.DateTimeField(_("mottagen"), auto_now_add=True)
    mailed_at = models.DateTimeField(_("skickad med e-post"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("synpunkt på tillgängligheten")
        verbose_name_plural = _("synpunkter på tillgängligheten")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}: {self.message[:60]}"
