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


class DatabaseEpoch(models.Model):
    """One row: a random token made the first time this database is asked for it.

    The revisions above start again after a flush or a demo reset, and the ids with them; a page cache
    that outlives the database (Redis) would then find the old database's page under a reused key. A
    recreated database has no row, so its first public request makes a new token, and every key with it
    is new. Nothing clears a cache for this, so no way of recreating a database can be forgotten.
    """

    token = models.CharField(_("token"), max_length=32)

    class Meta:
        verbose_name = _("databasens epok")
        verbose_name_plural = _("databasens epoker")

    def __str__(self) -> str:
        return self.token
