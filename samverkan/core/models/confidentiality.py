"""The confidentiality level that every piece of collaboration content carries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .collaboration import Collaboration, Role, decode_roles


class Level(models.TextChoices):
    OPPEN = "oppen", _("Öppen")
    INTERN = "intern", _("Intern")
    BEGRANSAD = "begransad", _("Begränsad")


LEVEL_HELP = {
    Level.OPPEN: _("Får publiceras för allmänheten."),
    Level.INTERN: _("Alla medlemmar i samverkan kan läsa."),
    Level.BEGRANSAD: _("Bara de roller som anges kan läsa. Varje läsning loggas."),
}

DEFAULT_RESTRICTED_TO = ",".join(sorted([Role.POLIS.value, Role.SAMORDNARE.value]))


class ConfidentialQuerySet(models.QuerySet):
    def visible_to(self, user):  # type: ignore[no-untyped-def]
        """Rows this user may read; the one rule lives in samverkan.core.visibility."""
        from samverkan.core.visibility import visibility_q

        return self.filter(visibility_q(user))

    def public(self):  # type: ignore[no-untyped-def]
        """Rows that may be published (portal, public exports)."""
        return self.filter(level=Level.OPPEN)


ConfidentialManager = models.Manager.from_queryset(ConfidentialQuerySet)


class ConfidentialContent(models.Model):
    """Abstract base for content owned by a collaboration and carrying a confidentiality level."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="+", verbose_name=_("samverkan")
    )
    level = models.CharField(_("sekretessnivå"), max_length=10, choices=Level.choices, default=Level.INTERN)
    restricted_to = models.CharField(
        _("begränsad till roller"),
        max_length=80,
        default=DEFAULT_RESTRICTED_TO,
        help_text=_("Gäller när nivån är begränsad."),
    )

    objects = ConfidentialManager()

    class Meta:
        abstract = True

    @property
    def restricted_roles(self) -> frozenset[str]:
        return decode_roles(self.restricted_to)

    @property
    def is_restricted(self) -> bool:
        return self.level == Level.BEGRANSAD
