"""The confidentiality level that every piece of collaboration content carries."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from .collaboration import Collaboration, decode_roles
from .level import DEFAULT_RESTRICTED_TO, Level
from .visibility import membership_roles, visibility_q


class TenantQuerySet(models.QuerySet):
    """Rows owned by a collaboration (``collaboration_id``) that carry no level of their own."""

    def of_member(self, user):  # type: ignore[no-untyped-def]
        """Rows of the collaborations the user is a member of (all of them: such rows have no level)."""
        return self.filter(collaboration_id__in=list(membership_roles(user)))


TenantManager = models.Manager.from_queryset(TenantQuerySet)


class ConfidentialQuerySet(TenantQuerySet):
    def visible_to(self, user):  # type: ignore[no-untyped-def]
        """Rows this user may read; the one rule lives in samverkan.core.models.visibility."""
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

    # Free text that is published when the row is öppen; the writing kit (core/content.py) refuses
    # personal data there. Every subclass names its own, and every other text field of it goes in
    # ``private_text_fields`` with the reason (merged over the bases; tests enumerate both).
    public_text_fields: ClassVar[tuple[str, ...]] = ()
    private_text_fields: ClassVar[dict[str, str]] = {
        "restricted_to": "role codes (the level's own setting), never free text",
    }

    class Meta:
        abstract = True

    @property
    def restricted_roles(self) -> frozenset[str]:
        return decode_roles(self.restricted_to)

    @property
    def is_restricted(self) -> bool:
        return self.level == Level.BEGRANSAD
