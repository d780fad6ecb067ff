"""The revision of what the public pages may show about each collaboration (the portal's cache key)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicRevision(models.Model):
    """A counter per collaboration, raised in the same transaction as any change to its content.

    A plain id rather than a foreign key, and never deleted: a deleted collaboration's counter is raised
    once more and kept, so the sum of all counters only grows and can key the list of collaborations.
    Kept apart from ``Collaboration`` so that saving a collaboration read earlier cannot write an older
    value back.
    """

    collaboration_id = models.BigIntegerField(_("samverkan"), unique=True)
    revision = models.PositiveBigIntegerField(_("revision"), default=0)

    class Meta:
        verbose_name = _("publik revision")
        verbose_name_plural = _("publika revisioner")

    def __str__(self) -> str:
        return f"{self.collaboration_id}: {self.revision}"
