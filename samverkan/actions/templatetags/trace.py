"""One action of the traceability document, rendered in Python.

A plan's document holds up to 200 actions, each with its facts, a row of twelve rating marks and an
indicator table; through ``{% include %}`` and a dozen tags per action that was most of the page's time.
The markup is the same for the page, the print page and the PDF/A. Everything from the database is
escaped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from samverkan.actions.models import Action, ActionIndicator
from samverkan.actions.selectors.trace import ActionTrace
from samverkan.actions.templatetags.followup import rating_mark
from samverkan.core.numbers import format_quantity

register = template.Library()


def _e(value: Any) -> str:
    html_of = getattr(value, "__html__", None)
    return html_of() if html_of is not None else escape(str(value), quote=True)


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


@dataclass(frozen=True)
class _Words:
    responsible: str
    time: str
    status: str
    addresses: str
    no_analysis: str
    expected: str
    latest: str
    not_followed: str
    over_time: str
    indicators: str
    indicator: str
    baseline: str
    target: str
    direction: str
    latest_value: str


@lru_cache(maxsize=8)
def _words(_language: str | None) -> _Words:
    """The document's words, escaped, once per language."""
    return _Words(
        *(
            _e(w)
            for w in (
                _("Ansvarig"),
                _("Tid"),
                _("Status"),
                _("Riktar sig mot"),
                _("Orsaksanalys saknas"),
                _("Förväntad effekt"),
                _("Senaste bedömning"),
                _("Inte uppföljd ännu."),
                _("Bedömningar över tid"),
                _("Indikatorer"),
                _("Indikator"),
                _("Utgångsvärde"),
                _("Mål"),
                _("Riktning"),
                _("Senaste värde"),
            )
        )
    )


@lru_cache(maxsize=8)
def _labels(_language: str | None) -> dict[str, str]:
    """Status and direction labels, escaped, once per language (``get_FOO_display`` per row is slow)."""
    return {
        **{f"status:{value}": _e(label) for value, label in Action.Status.choices},
        **{f"direction:{value}": _e(label) for value, label in ActionIndicator.Direction.choices},
    }


@register.simple_tag
def trace_action(a: ActionTrace) -> SafeString:
    """An action's facts, latest rating, rating marks over time and indicator table."""
    language = get_language()
    w, labels = _words(language), _labels(language)
    action = a.action
    if a.causes:
        addresses = "; ".join(_e(c.text) for c in a.causes)
    elif action.no_analysis_reason:
        addresses = f"{w.no_analysis}: {_e(action.no_analysis_reason)}"
    else:
        addresses = "–"
    latest = a.latest
    parts = [
        '<div class="trace-action">',
        f'<h5 class="trace-action__title">{_e(action.number)}. {_e(action.title)}</h5>',
        '<dl class="trace-facts">',
        f"<dt>{w.responsible}</dt><dd>{_e(action.responsible.name)}</dd>",
        f"<dt>{w.time}</dt><dd>{_day(action.start_date) or '–'} – {_day(action.end_date) or '–'}</dd>",
        f"<dt>{w.status}</dt><dd>{labels.get(f'status:{action.status}', _e(action.status))}</dd>",
        f"<dt>{w.addresses}</dt><dd>{addresses}</dd>",
    ]
    if action.expected_effect:
        parts.append(f"<dt>{w.expected}</dt><dd>{_e(action.expected_effect)}</dd>")
    mark = rating_mark(latest.rating, latest.followed_up_on) if latest else w.not_followed
    parts.append(f"<dt>{w.latest}</dt><dd>{mark}</dd>")
    if len(a.history) > 1:
        dots = "".join(f"<li>{rating_mark(f.rating, f.followed_up_on, compact=True)}</li>" for f in a.history)
        parts.append(f'<dt>{w.over_time}</dt><dd><ol class="rating-dots">{dots}</ol></dd>')
    parts.append("</dl>")
    if a.withheld_followups:
        n = a.withheld_followups
        text = ngettext(
            "%(n)s uppföljning är inte offentlig och visas inte här.",
            "%(n)s uppföljningar är inte offentliga och visas inte här.",
            n,
        ) % {"n": n}
        parts.append(f'<p class="trace-withheld">{_e(text)}</p>')
    if a.indicators:
        parts.append(
            f'<table class="table trace-indicators"><caption>{w.indicators}: {_e(action.title)}</caption>'
            f'<thead><tr><th scope="col">{w.indicator}</th><th scope="col">{w.baseline}</th>'
            f'<th scope="col">{w.target}</th><th scope="col">{w.direction}</th>'
            f'<th scope="col">{w.latest_value}</th></tr></thead><tbody>'
        )
        for i in a.indicators:
            row = i.indicator
            name = f"{row.name} ({row.unit})" if row.unit else row.name
            baseline = _e(format_quantity(row.baseline)) if row.baseline is not None else "–"
            if row.target is not None:
                target = _e(format_quantity(row.target)) + (
                    f" ({_day(row.target_on)})" if row.target_on else ""
                )
            else:
                target = "–"
            if i.latest_value is not None:
                value = _e(format_quantity(i.latest_value)) + (
                    f" ({_day(i.latest_on)})" if i.latest_on else ""
                )
            else:
                value = "–"
            parts.append(
                f'<tr><th scope="row">{_e(name)}</th><td>{baseline}</td><td>{target}</td>'
                f"<td>{labels.get(f'direction:{row.direction}', '–')}</td><td>{value}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</div>")
    return SafeString("".join(parts))
