"""Calendar feeds at secret addresses: made by their owner, shown once, stored only as a hash, revocable."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.agreements.models import Group
from samverkan.core.audit import audit_change, snapshot
from samverkan.core.models import AuditEntry
from samverkan.core.models.visibility import can_read, membership_roles
from samverkan.meetings.models import CalendarFeed, hash_feed_token

# Enough feeds for every group a person follows; more is a sign of addresses being made and forgotten.
MAX_ACTIVE_FEEDS = 50


def _state(feed: CalendarFeed) -> dict[str, Any]:
    """The feed as the audit log keeps it: not even the token's hash goes there."""
    state = snapshot(feed)
    state.pop("token_hash", None)
    return state


@transaction.atomic
def calendar_feed_create(*, acting_user: Any, group: Group | None = None) -> tuple[CalendarFeed, str]:
    """A new feed (personal, or for ``group``, which the user must be able to read); returns the feed
    and its secret token, which is never stored and cannot be shown again."""
    if group is not None and (
        group.collaboration_id not in membership_roles(acting_user) or not can_read(acting_user, group)
    ):
        raise ValidationError({"group": _("Gruppen finns inte.")})
    active = CalendarFeed.objects.filter(created_by=acting_user, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_FEEDS:
        raise ValidationError(
            _("Du har redan %(n)s aktiva kalenderflöden; återkalla några först.") % {"n": active}
        )
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        user=None if group is not None else acting_user,
        group=group,
        created_by=acting_user,
        token_hash=hash_feed_token(token),
        prefix=token[:8],
    )
    audit_change(
        actor=acting_user,
        action=AuditEntry.Action.CREATE,
        obj=feed,
        after=_state(feed),
        collaboration_id=group.collaboration_id if group is not None else None,
    )
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, feed: CalendarFeed, acting_user: Any) -> CalendarFeed:
    """Stop the feed's address for good (its calendar then gets 404)."""
    if feed.revoked_at is None:
        before = _state(feed)
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit_change(
            actor=acting_user,
            action=AuditEntry.Action.UPDATE,
            obj=feed,
            before=before,
            after=_state(feed),
            collaboration_id=feed.group.collaboration_id if feed.group is not None else None,
        )
    return feed


def calendar_feed_used(feed: CalendarFeed) -> None:
    """Note when a calendar last fetched the feed (at most once an hour, to spare the row)."""
    now = timezone.now()
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() > 3600:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
