"""The follow-up sheet's rows and the plan's grid of ratings, rendered in Python.

A meeting's sheet can hold 200 actions, each with its dots, suggestion and a form; through the template
engine and Django's field rendering that took seconds, so a row is built here, once per action, from
words and fragments made once per language (``Labels``). The markup is the same for the sheet, the htmx
re-render of one row, and the action's own page. Everything from the database is escaped. The marks show
the shapes of the page's ``rating_symbols``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samverkan.actions.forms.followup import VALUE_PREFIX, FollowUpForm
from samverkan.actions.models import Action, Rating
from samverkan.actions.models.followup import RATING_DEFINITIONS
from samverkan.actions.selectors.followup import PlanGrid
from samverkan.actions.selectors.sheet import SheetPage, SheetRow
from samverkan.actions.templatetags.followup import rating_mark_in
from samverkan.core.templatetags.samverkan import level_badge

TEXT_FIELDS = ("occasion", "done", "outcome", "hours_spent", "cost_spent")


def _escaped(text: Any) -> str:
    return escape(str(text), quote=True)


@dataclass(frozen=True)
class Labels:
    """The sheet's words and constant fragments, translated and escaped once per language
    (``Labels.current()``): a page of 25 rows used them some 350 times a request."""

    language: str | None = field(default_factory=get_language)

    history: str = field(default_factory=lambda: _escaped(_("Tidigare bedömningar")))
    not_followed: str = field(default_factory=lambda: _escaped(_("Inte uppföljd ännu.")))
    suggestion: str = field(default_factory=lambda: _escaped(_("Förslag utifrån data")))
    suggestion_note: str = field(default_factory=lambda: _escaped(_("(ett förslag; gruppen bedömer)")))
    saved: str = field(default_factory=lambda: _escaped(_("Sparad.")))
    not_saved: str = field(default_factory=lambda: _escaped(_("Raden är inte sparad:")))
    rating: str = field(default_factory=lambda: _escaped(_("Bedömning")))
    reason: str = field(default_factory=lambda: _escaped(_("Skäl till ändrad bedömning")))
    first: str = field(default_factory=lambda: _escaped(_("Första uppföljningen: skäl behövs inte.")))
    more: str = field(default_factory=lambda: _escaped(_("Vad som gjorts, resultat, tid och värden")))
    save: str = field(default_factory=lambda: _escaped(_("Spara")))
    rating_today: str = field(default_factory=lambda: _escaped(_("Bedömning den här dagen")))
    own_page: str = field(default_factory=lambda: _escaped(_("Åtgärdens uppföljningar")))
    end: str = field(default_factory=lambda: _escaped(_("slut")))
    # (value, mark drawn with the page's symbols, definition), escaped
    ratings: tuple[tuple[str, str, str], ...] = field(
        default_factory=lambda: tuple(
            (
                _escaped(r.value),
                str(rating_mark_in(get_language(), r.value, symbol=True)),
                _escaped(RATING_DEFINITIONS[r]),
            )
            for r in Rating
        )
    )
    # The hint beside the reason after each rating, escaped
    reason_hints: dict[str, str] = field(
        default_factory=lambda: {
            r.value: _escaped(
                _("Krävs om bedömningen ändras (förra gången: %(rating)s).")
                % {"rating": str(r.label).lower()}
            )
            for r in Rating
        }
    )
    statuses: dict[str, str] = field(
        default_factory=lambda: {value: _escaped(label) for value, label in Action.Status.choices}
    )
    field_labels: dict[str, str] = field(
        default_factory=lambda: {
            "occasion": _("Tillfälle"),
            "done": _("Vad har gjorts"),
            "outcome": _("Resultat"),
            "hours_spent": _("Nedlagda timmar"),
            "cost_spent": _("Kostnad (kr)"),
        }
    )

    @staticmethod
    def current() -> Labels:
        """The labels in the active language, made once per language."""
        return _labels_in(get_language())

    def definitions_html(self) -> SafeString:
        """The scale's words and definitions as the terms of a ``<dl>``."""
        return SafeString(
            "".join(
                f"<dt>{_escaped(r.label)}</dt><dd>{definition}</dd>"
                for r, (_value, _mark, definition) in zip(Rating, self.ratings, strict=True)
            )
        )


@lru_cache(maxsize=16)
def _labels_in(language: str | None) -> Labels:
    return Labels(language=language)


@lru_cache(maxsize=64)
def _badge(_language: str | None, level: str, restricted_to: str) -> str:
    """An action's level badge, once per language, level and roles (a row each on the sheet)."""
    return str(level_badge(Action(level=level, restricted_to=restricted_to)))


@lru_cache(maxsize=256)
def _url_parts(collaboration_id: int, _script_prefix: str) -> tuple[str, str]:
    """An action's follow-up address around its id, escaped: one ``reverse`` per collaboration, not per row."""
    head, tail = reverse("actions:followup_action", args=[collaboration_id, 0]).rsplit("/0/", 1)
    return _escaped(head + "/"), _escaped("/" + tail)


def sheet_links(page: SheetPage, *, day: dt.date, large: bool) -> dict[str, Any]:
    """The query strings of the sheet's links (each keeps the day, the text size and the filter): the
    text-size toggle, the previous and next pages, and each page number."""
    kept: dict[str, str] = {"datum": day.isoformat()}
    if page.chosen.focus_area is not None:
        kept["fokusomrade"] = str(page.chosen.focus_area)
    if page.chosen.responsible is not None:
        kept["ansvarig"] = str(page.chosen.responsible)
    size = {"storlek": "stor"} if large else {}
    number = page.page.number

    def at(n: int) -> str:
        return urlencode({**kept, **size, "sida": str(n)})

    return {
        "toggle_query": urlencode({**kept, **({} if large else {"storlek": "stor"}), "sida": str(number)}),
        "previous_query": at(page.page.previous_page_number()) if page.page.has_previous() else "",
        "next_query": at(page.page.next_page_number()) if page.page.has_next() else "",
        "page_queries": [(n, at(n)) for n in page.page.paginator.page_range],
    }


def _value(value: Any) -> str:
    return "" if value is None else str(value)


def _state(
    row: SheetRow, day: dt.date, form: FollowUpForm | None
) -> tuple[dict[str, str], dict[str, list[str]], list[str]]:
    """Field values, field errors and form errors to show: a bound form's, else the day's follow-up."""
    prefix = f"a{row.action.pk}-"
    if form is not None and form.is_bound:
        values: dict[str, str] = {name: str(form.data.get(prefix + name, "")) for name in form.fields}
        values["version"] = form.data.get(prefix + "version", "")
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items() if name != "__all__"}
        return values, errors, [str(e) for e in form.non_field_errors()]
    current = row.current
    values = {
        name: _value(getattr(current, name)) if current else "" for name in (*TEXT_FIELDS, "rating", "reason")
    }
    values["version"] = str(current.version) if current else "0"
    for measured in getattr(current, "visible_values", []) if current else []:
        values[f"{VALUE_PREFIX}{measured.indicator_id}"] = _value(measured.value.normalize())
    return values, {}, []


def _e(value: Any) -> str:
    """Escaped for HTML (text and attributes), as ``conditional_escape`` but without its lazy wrappers: a
    page of rows calls it thousands of times. What is already safe HTML is kept."""
    html_of = getattr(value, "__html__", None)
    return html_of() if html_of is not None else escape(str(value), quote=True)


def render_row(
    row: SheetRow,
    *,
    collaboration_id: int,
    day: dt.date,
    labels: Labels,
    csrf_token: str,
    form: FollowUpForm | None = None,
    saved: bool = False,
    conflict_html: str = "",
) -> SafeString:
    """One action's row. Its marks draw the shapes of the page's ``rating_symbols``."""
    action = row.action
    flags = row.flags
    pk = action.pk
    prefix = f"a{pk}-"
    head, tail = _url_parts(collaboration_id, get_script_prefix())
    url = f"{head}{pk}{tail}"  # escaped
    language = labels.language
    classes = "sheet-row"
    if flags.escalated:
        classes += " sheet-row--escalated"
    elif flags.red:
        classes += " sheet-row--red"
    end = f" · {labels.end} {action.end_date.isoformat()}" if action.end_date else ""
    title = _e(action.title)
    parts: list[str] = [
        f'<article class="{classes}" id="atgard-{pk}" aria-labelledby="atgard-{pk}-title">',
        f'<h2 id="atgard-{pk}-title" class="sheet-row__title">{_e(action.number)}. {title} '
        f"{_badge(language, action.level, action.restricted_to)}</h2>",
        f'<p class="sheet-row__meta">{_e(action.responsible.name)} · {labels.statuses.get(action.status) or _e(action.status)}'
        f"{end}</p>",
    ]
    if flags.labels:
        parts.append(f'<ul class="flag-list">{"".join(f"<li>{_e(x)}</li>" for x in flags.labels)}</ul>')
    if flags.history:
        marks = "".join(
            f"<li>{rating_mark_in(language, f.rating, f.followed_up_on, compact=True, symbol=True)}</li>"
            for f in flags.history
        )
        dots = f'<ol class="rating-dots">{marks}</ol>'
    else:
        dots = f"<span>{labels.not_followed}</span>"
    parts.append(
        f'<div class="sheet-row__history"><span class="sheet-row__label">{labels.history}:</span>{dots}</div>'
    )
    if row.suggestion is not None:
        reasons = "".join(f"<li>{_e(r)}</li>" for r in row.suggestion.reasons)
        parts.append(
            f'<div class="suggestion"><p><strong>{labels.suggestion}:</strong> '
            f"{rating_mark_in(language, row.suggestion.rating, symbol=True)} "
            f'<span class="suggestion__note">{labels.suggestion_note}</span></p><ul>{reasons}</ul></div>'
        )
    if saved and row.current is not None:
        parts.append(
            f'<p class="sheet-row__status" role="status">{labels.saved} '
            f"{rating_mark_in(language, row.current.rating, symbol=True)}</p>"
        )
    parts.append(_e(conflict_html))
    if row.can_edit:
        parts.append(
            _form_html(row, form, url=url, day=day, labels=labels, csrf_token=csrf_token, prefix=prefix)
        )
    elif row.current is not None:
        parts.append(
            f"<p>{labels.rating_today}: {rating_mark_in(language, row.current.rating, symbol=True)}</p>"
        )
    parts.append(
        f'<p><a href="{url}?datum={day.isoformat()}">{labels.own_page}'
        f'<span class="visually-hidden"> {title}</span></a></p></article>'
    )
    return SafeString("".join(parts))


def _form_html(
    row: SheetRow,
    form: FollowUpForm | None,
    *,
    url: str,
    day: dt.date,
    labels: Labels,
    csrf_token: str,
    prefix: str,
) -> str:
    """The row's form; ``url`` is escaped already."""
    values, errors, form_errors = _state(row, day, form)
    field_id = f"id_{prefix}"
    pk = row.action.pk
    out: list[str] = [
        f'<form method="post" action="{url}" class="sheet-form" hx-post="{url}" hx-target="#atgard-{pk}" '
        'hx-swap="outerHTML" novalidate>'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(csrf_token)}">'
        f'<input type="hidden" name="{prefix}followed_up_on" value="{_e(values.get("followed_up_on") or day.isoformat())}" '
        f'id="{field_id}followed_up_on">'
        f'<input type="hidden" name="{prefix}version" value="{_e(values.get("version", ""))}" id="{field_id}version">'
    ]
    if errors or form_errors:
        items = [f"<li>{_e(e)}</li>" for e in form_errors]
        names = {"rating": labels.rating, "reason": labels.reason}
        for name, messages in errors.items():
            anchor = f"{field_id}{name}" + ("_0" if name == "rating" else "")
            label = names.get(name) or _e(labels.field_labels.get(name, name))
            for message in messages:
                items.append(f'<li><a href="#{_e(anchor)}">{label}: {_e(message)}</a></li>')
        out.append(
            f'<div class="error-summary" role="alert"><p>{labels.not_saved}</p><ul>{"".join(items)}</ul></div>'
        )
    chosen = values.get("rating")
    options = []
    for index, (value, mark, definition) in enumerate(labels.ratings):
        option_id = f"{field_id}rating_{index}"
        checked = " checked" if chosen == value else ""
        options.append(
            f'<div class="rating-choice__option"><input type="radio" name="{prefix}rating" value="{value}" '
            f'id="{option_id}" aria-describedby="{option_id}_def"{checked} required>'
            f'<label for="{option_id}">{mark}</label><span class="rating-choice__definition" '
            f'id="{option_id}_def">{definition}</span></div>'
        )
    out.append(
        f'<fieldset class="rating-choice"><legend>{labels.rating} {day.isoformat()}</legend>'
        f"{''.join(options)}</fieldset>"
    )
    latest = row.flags.latest
    hint = labels.reason_hints.get(latest.rating, "") if latest else labels.first
    out.append(
        f'<div class="field{" field--error" if "reason" in errors else ""}"><label for="{field_id}reason">'
        f'{labels.reason}</label><p class="helptext" id="{field_id}reason_hint">{hint}</p>'
        f"{_errors(errors.get('reason'))}"
        f'<textarea name="{prefix}reason" id="{field_id}reason" rows="2" maxlength="2000" '
        f'aria-describedby="{field_id}reason_hint">{_e(values.get("reason", ""))}</textarea></div>'
    )
    more = []
    for name in TEXT_FIELDS:
        more.append(
            _input(prefix, field_id, name, labels.field_labels[name], values.get(name, ""), errors.get(name))
        )
    for indicator in row.indicators:
        if indicator.source != indicator.Source.MANUELL:
            continue
        name = f"{VALUE_PREFIX}{indicator.pk}"
        label = f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name
        more.append(_input(prefix, field_id, name, label, values.get(name, ""), errors.get(name)))
    opened = " open" if errors or form_errors or row.current is not None else ""
    out.append(
        f'<details class="sheet-form__more"{opened}><summary>{labels.more}</summary>{"".join(more)}</details>'
    )
    if form is not None:
        # The personal-data tick box, when a text holds a phone number or e-mail at intern/begränsad.
        out.append(form.acknowledgement_html())
    out.append(
        f'<button type="submit" class="button button--primary">{labels.save}'
        f'<span class="visually-hidden"> {_e(row.action.title)}</span></button></form>'
    )
    return "".join(out)


def _errors(messages: Iterable[str] | None) -> str:
    if not messages:
        return ""
    return f'<ul class="errorlist">{"".join(f"<li>{_e(m)}</li>" for m in messages)}</ul>'


def _input(prefix: str, field_id: str, name: str, label: str, value: str, messages: list[str] | None) -> str:
    element_id = f"{field_id}{name}"
    if name in ("done", "outcome"):
        control = f'<textarea name="{prefix}{name}" id="{element_id}" rows="2" maxlength="5000">{_e(value)}</textarea>'
    elif name == "occasion":
        control = (
            f'<input type="text" name="{prefix}{name}" id="{element_id}" value="{_e(value)}" maxlength="200">'
        )
    else:
        control = f'<input type="text" name="{prefix}{name}" id="{element_id}" value="{_e(value)}" inputmode="decimal">'
    return (
        f'<div class="field{" field--error" if messages else ""}"><label for="{element_id}">{_e(label)}</label>'
        f"{_errors(messages)}{control}</div>"
    )


@lru_cache(maxsize=16)
def _no_followup_cell(_language: str | None) -> str:
    return (
        f'<td><span class="visually-hidden">{_escaped(_("Ingen uppföljning"))}</span>'
        '<span aria-hidden="true">–</span></td>'
    )


def grid_rows_html(grid: PlanGrid, collaboration_id: int) -> SafeString:
    """The grid's ``<tr>``: the action (linked to its follow-ups) and its rating at each date; 25 rows of
    12 cells, joined here rather than by 300 template tags."""
    language = get_language()
    head, tail = _url_parts(collaboration_id, get_script_prefix())
    empty = _no_followup_cell(language)
    out = []
    for row in grid.rows:
        cells = "".join(
            f"<td>{rating_mark_in(language, c.rating, symbol=True)}</td>" if c is not None else empty
            for c in row.cells
        )
        action = row.action
        out.append(
            f'<tr><th scope="row"><a href="{head}{action.pk}{tail}">{_e(action.number)}. {_e(action.title)}</a>'
            f"</th>{cells}</tr>"
        )
    return SafeString("".join(out))
