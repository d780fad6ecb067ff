"""Gallring: how long each kind of content is kept, a dry-run report, and an audited purge.

Each app declares its rules (``retention_rules`` on its AppConfig, see ``core.registry``): a kind of
content, how many years it is kept after the date that counts for it, and whether old rows are
deleted or only their free text is emptied (the pattern stays: a status, a count, a category). The
years can be set per deployment with ``SAMVERKAN_RETENTION`` ("situation.events=3,core.audit=12"),
because a kommun's own document management plan (dokumenthanteringsplan) decides them.
A purge writes one audit entry per rule and collaboration saying how many rows went and up to when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from samverkan.core.models import AuditEntry
from samverkan.core.registry import samverkan_apps


@dataclass(frozen=True)
class RetentionRule:
    """Rows of ``queryset()`` whose ``date_field`` is older than ``years`` are deleted or emptied."""

    key: str
    label: str | Promise
    years: int
    queryset: Callable[[], QuerySet[Any]]
    date_field: str
    action: Literal["delete", "clear"] = "delete"
    # For "clear": the fields emptied, with the empty value of each.
    clear: tuple[tuple[str, Any], ...] = ()
    # For "clear": rows already empty are not counted again.
    already_clear: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None
    # The date field holds a day (e.g. a round's period end), not an instant.
    date_is_day: bool = False


@dataclass(frozen=True)
class RetentionRow:
    rule: RetentionRule
    years: int
    cutoff: dt.datetime
    count: int
    oldest: Any
    per_collaboration: dict[int | None, int]


def configured_years() -> dict[str, int]:
    """Per-deployment overrides from SAMVERKAN_RETENTION ("key=years,key=years")."""
    years: dict[str, int] = {}
    for part in str(getattr(settings, "RETENTION", "") or "").split(","):
        if "=" in part:
            key, _, value = part.partition("=")
            years[key.strip()] = int(value)
    return years


def rules() -> list[RetentionRule]:
    """Every app's rules, in app order."""
    found: list[RetentionRule] = []
    for config in samverkan_apps():
        if config.retention_rules:
            found.extend(import_string(config.retention_rules)())
    return found


def _cutoff(years: int, now: dt.datetime) -> dt.datetime:
    """The same day ``years`` calendar years back (29 February falls back to the 28th)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def _due(rule: RetentionRule, cutoff: dt.datetime) -> QuerySet[Any]:
    # A day field (a round's period end) compares with the day, a time field with the instant.
    limit: Any = cutoff.date() if rule.date_is_day else cutoff
    queryset = rule.queryset().filter(**{f"{rule.date_field}__lt": limit})
    if rule.action == "clear" and rule.already_clear is not None:
        queryset = rule.already_clear(queryset)
    return queryset


def retention_report(*, now: dt.datetime | None = None) -> list[RetentionRow]:
    """What a purge would remove now, per rule (nothing is changed)."""
    now = now or timezone.now()
    overrides = configured_years()
    rows = []
    for rule in rules():
        years = overrides.get(rule.key, rule.years)
        cutoff = _cutoff(years, now)
        due = _due(rule, cutoff)
        counts = {
            row["collaboration_id"]: row["n"]
            for row in due.order_by().values("collaboration_id").annotate(n=Count("pk"))
        }
        oldest = due.aggregate(oldest=Min(rule.date_field))["oldest"] if counts else None
        rows.append(RetentionRow(rule, years, cutoff, sum(counts.values()), oldest, counts))
    return rows


def retention_purge(*, acting_user: Any = None, now: dt.datetime | None = None) -> list[RetentionRow]:
    """Delete or empty everything past its time, in one transaction, and audit each rule's count."""
    now = now or timezone.now()
    report = retention_report(now=now)
    with transaction.atomic():
        for row in report:
            if not row.count:
                continue
            due = _due(row.rule, row.cutoff)
            if row.rule.action == "delete":
                due.delete()
            else:
                due.update(**dict(row.rule.clear))
            for collaboration_id, count in row.per_collaboration.items():
                AuditEntry.objects.create(
                    collaboration_id=collaboration_id,
                    actor=acting_user,
                    action=AuditEntry.Action.DELETE
                    if row.rule.action == "delete"
                    else AuditEntry.Action.UPDATE,
                    target_type="retention",
                    target_id=row.rule.key,
                    target_repr=f"{row.rule.label} (gallring)"[:200],
                    changes={
                        "rows": count,
                        "older_than": row.cutoff.date().isoformat(),
                        "years": row.years,
                        "action": row.rule.action,
                    },
                )
    return report


def core_rules() -> list[RetentionRule]:
    from django.utils.translation import gettext_lazy as _

    from samverkan.core.models import Notice

    return [
        RetentionRule(
            key="core.notices",
            label=_("Meddelanden"),
            years=5,
            queryset=Notice.objects.all,
            date_field="created_at",
        ),
        # Failed logins are for spotting attacks now, not for history.
        RetentionRule(
            key="core.failed_logins",
            label=_("Misslyckade inloggningar i loggen"),
            years=1,
            queryset=lambda: AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED),
            date_field="created_at",
        ),
        # The log outlives what it logs: who read police information must be answerable for years.
        RetentionRule(
            key="core.audit",
            label=_("Loggen"),
            years=10,
            queryset=AuditEntry.objects.all,
            date_field="created_at",
        ),
    ]
