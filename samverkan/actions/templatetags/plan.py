"""The plan page's table rows, rendered in Python: a plan lists up to 200 actions, and a dozen template
lookups, a URL tag, two filters and a level badge per row were most of the page's time."""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from samverkan.actions.models import Action
from samverkan.actions.selectors.plan import PlanRow
from samverkan.core.templatetags.samverkan import level_badge

register = template.Library()


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


@lru_cache(maxsize=8)
def _labels(_language: str | None) -> dict[str, str]:
    """Kind, horizon (lower case, as it follows the kind) and status labels, escaped, once per language."""
    return {
        **{f"kind:{v}": _e(label) for v, label in Action.Kind.choices},
        **{f"horizon:{v}": _e(str(label).lower()) for v, label in Action.Horizon.choices},
        **{f"status:{v}": _e(label) for v, label in Action.Status.choices},
    }


@register.simple_tag
def plan_rows(rows: list[PlanRow], collaboration_id: int) -> SafeString:
    """The ``<tr>`` of each action: number, title (linked) with kind and horizon, responsible, time,
    indicator count, status and level."""
    labels = _labels(get_language())
    # One reverse for all rows: the action's id is the only part that changes.
    url = reverse("actions:action_detail", args=[collaboration_id, 0]).rsplit("/0/", 1)
    badges: dict[tuple[str, str], str] = {}
    out = []
    for row in rows:
        key = (row.level, row.restricted_to)
        if key not in badges:
            badges[key] = str(level_badge(Action(level=row.level, restricted_to=row.restricted_to)))
        start = row.start_date.isoformat() if row.start_date else "–"
        end = row.end_date.isoformat() if row.end_date else "–"
        out.append(
            f"<tr><td>{row.number}</td>"
            f'<td><a href="{_e(url[0])}/{row.pk}/{_e(url[1])}">{_e(row.title)}</a><br><small>'
            f"{labels.get(f'kind:{row.kind}', '')}, {labels.get(f'horizon:{row.horizon}', '')}</small></td>"
            f"<td>{_e(row.responsible)}</td><td>{start} – {end}</td><td>{row.indicator_count}</td>"
            f"<td>{labels.get(f'status:{row.status}', '')}</td><td>{badges[key]}</td></tr>"
        )
    return SafeString("".join(out))
