"""The follow-up sheet's rows, rendered in Python.

A meeting's sheet can hold 200 actions, each with its dots, suggestion and a form; through the template
engine and Django's field rendering that took seconds, so a row is built here, once per action, from
values prepared by the view (labels translated once per request). The markup is the same for the sheet,
the htmx re-render of one row, and the action's own page. Everything from the database is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from samverkan.actions.forms.followup import VALUE_PREFIX, FollowUpForm
from samverkan.actions.models import Rating
from samverkan.actions.models.followup import RATING_DEFINITIONS
from samverkan.actions.selectors.sheet import SheetRow
from samverkan.actions.templatetags.followup import rating_mark
from samverkan.core.templatetags.samverkan import level_badge

TEXT_FIELDS = ("occasion", "done", "outcome", "hours_spent", "cost_spent")


@dataclass
class Labels:
    """The sheet's words, translated once per request."""

    history: str = field(default_factory=lambda: _("Tidigare bedömningar"))
    not_followed: str = field(default_factory=lambda: _("Inte uppföljd ännu."))
    suggestion: str = field(default_factory=lambda: _("Förslag utifrån data"))
    suggestion_note: str = field(default_factory=lambda: _("(ett förslag; gruppen bedömer)"))
    saved: str = field(default_factory=lambda: _("Sparad."))
    not_saved: str = field(default_factory=lambda: _("Raden är inte sparad:"))
    rating: str = field(default_factory=lambda: _("Bedömning"))
    reason: str = field(default_factory=lambda: _("Skäl till ändrad bedömning"))
    first: str = field(default_factory=lambda: _("Första uppföljningen: skäl behövs inte."))
    more: str = field(default_factory=lambda: _("Vad som gjorts, resultat, tid och värden"))
    save: str = field(default_factory=lambda: _("Spara"))
    rating_today: str = field(default_factory=lambda: _("Bedömning den här dagen"))
    own_page: str = field(default_factory=lambda: _("Åtgärdens uppföljningar"))
    end: str = field(default_factory=lambda: _("slut"))
    ratings: list[tuple[str, str, str]] = field(
        default_factory=lambda: [(r.value, str(r.label), str(RATING_DEFINITIONS[r])) for r in Rating]
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

    def reason_hint(self, previous: str) -> str:
        return _("Krävs om bedömningen ändras (förra gången: %(rating)s).") % {"rating": previous}


def _join(parts: Iterable[Any]) -> SafeString:
    """Parts joined: those built by format_html kept, anything else escaped."""
    return SafeString("".join(conditional_escape(p) for p in parts))


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
    action = row.action
    flags = row.flags
    pk = action.pk
    prefix = f"a{pk}-"
    url = reverse("actions:followup_action", args=[collaboration_id, pk])
    classes = "sheet-row"
    if flags.escalated:
        classes += " sheet-row--escalated"
    elif flags.red:
        classes += " sheet-row--red"
    parts: list[str] = [
        format_html('<article class="{}" id="atgard-{}" aria-labelledby="atgard-{}-title">', classes, pk, pk),
        format_html(
            '<h2 id="atgard-{}-title" class="sheet-row__title">{}. {} {}</h2>',
            pk,
            action.number,
            action.title,
            level_badge(action),
        ),
        format_html(
            '<p class="sheet-row__meta">{} · {}{}</p>',
            action.responsible.name,
            action.get_status_display(),
            format_html(" · {} {}", labels.end, action.end_date.isoformat()) if action.end_date else "",
        ),
    ]
    if flags.labels:
        parts.append(
            format_html(
                '<ul class="flag-list">{}</ul>', _join(format_html("<li>{}</li>", x) for x in flags.labels)
            )
        )
    dots = (
        format_html(
            '<ol class="rating-dots">{}</ol>',
            _join(
                format_html("<li>{}</li>", rating_mark(f.rating, f.followed_up_on, compact=True))
                for f in flags.history
            ),
        )
        if flags.history
        else format_html("<span>{}</span>", labels.not_followed)
    )
    parts.append(
        format_html(
            '<div class="sheet-row__history"><span class="sheet-row__label">{}:</span>{}</div>',
            labels.history,
            dots,
        )
    )
    if row.suggestion is not None:
        parts.append(
            format_html(
                '<div class="suggestion"><p><strong>{}:</strong> {} <span class="suggestion__note">{}</span></p><ul>{}</ul></div>',
                labels.suggestion,
                rating_mark(row.suggestion.rating),
                labels.suggestion_note,
                _join(format_html("<li>{}</li>", r) for r in row.suggestion.reasons),
            )
        )
    if saved and row.current is not None:
        parts.append(
            format_html(
                '<p class="sheet-row__status" role="status">{} {}</p>',
                labels.saved,
                rating_mark(row.current.rating),
            )
        )
    parts.append(conflict_html)
    if row.can_edit:
        parts.append(
            _form_html(row, form, url=url, day=day, labels=labels, csrf_token=csrf_token, prefix=prefix)
        )
    elif row.current is not None:
        parts.append(format_html("<p>{}: {}</p>", labels.rating_today, rating_mark(row.current.rating)))
    parts.append(
        format_html(
            '<p><a href="{}?datum={}">{}<span class="visually-hidden"> {}</span></a></p></article>',
            url,
            day.isoformat(),
            labels.own_page,
            action.title,
        )
    )
    return _join(parts)


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
    values, errors, form_errors = _state(row, day, form)
    field_id = f"id_{prefix}"
    out: list[str] = [
        format_html(
            '<form method="post" action="{}" class="sheet-form" hx-post="{}" hx-target="#atgard-{}" hx-swap="outerHTML" novalidate>'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="{}followed_up_on" value="{}" id="{}followed_up_on">'
            '<input type="hidden" name="{}version" value="{}" id="{}version">',
            url,
            url,
            row.action.pk,
            csrf_token,
            prefix,
            values.get("followed_up_on") or day.isoformat(),
            field_id,
            prefix,
            values.get("version", ""),
            field_id,
        )
    ]
    if errors or form_errors:
        items = [format_html("<li>{}</li>", e) for e in form_errors]
        names = {"rating": labels.rating, "reason": labels.reason, **labels.field_labels}
        for name, messages in errors.items():
            anchor = f"{field_id}{name}" + ("_0" if name == "rating" else "")
            for message in messages:
                items.append(
                    format_html('<li><a href="#{}">{}: {}</a></li>', anchor, names.get(name, name), message)
                )
        out.append(
            format_html(
                '<div class="error-summary" role="alert"><p>{}</p><ul>{}</ul></div>',
                labels.not_saved,
                _join(items),
            )
        )
    options = []
    for index, (value, _label, definition) in enumerate(labels.ratings):
        option_id = f"{field_id}rating_{index}"
        options.append(
            format_html(
                '<div class="rating-choice__option"><input type="radio" name="{}rating" value="{}" id="{}" aria-describedby="{}_def"{} required>'
                '<label for="{}">{}</label><span class="rating-choice__definition" id="{}_def">{}</span></div>',
                prefix,
                value,
                option_id,
                option_id,
                " checked" if values.get("rating") == value else "",
                option_id,
                rating_mark(value),
                option_id,
                definition,
            )
        )
    out.append(
        format_html(
            '<fieldset class="rating-choice"><legend>{} {}</legend>{}</fieldset>',
            labels.rating,
            day.isoformat(),
            _join(options),
        )
    )
    latest = row.flags.latest
    hint = labels.reason_hint(str(Rating(latest.rating).label).lower()) if latest else labels.first
    out.append(
        format_html(
            '<div class="field{}"><label for="{}reason">{}</label><p class="helptext" id="{}reason_hint">{}</p>{}'
            '<textarea name="{}reason" id="{}reason" rows="2" maxlength="2000" aria-describedby="{}reason_hint">{}</textarea></div>',
            " field--error" if "reason" in errors else "",
            field_id,
            labels.reason,
            field_id,
            hint,
            _errors(errors.get("reason")),
            prefix,
            field_id,
            field_id,
            values.get("reason", ""),
        )
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
        format_html(
            '<details class="sheet-form__more"{}><summary>{}</summary>{}</details>',
            opened,
            labels.more,
            _join(more),
        )
    )
    out.append(
        format_html(
            '<button type="submit" class="button button--primary">{}<span class="visually-hidden"> {}</span></button></form>',
            labels.save,
            row.action.title,
        )
    )
    return _join(out)


def _errors(messages: Iterable[str] | None) -> SafeString:
    if not messages:
        return SafeString("")
    return format_html(
        '<ul class="errorlist">{}</ul>', _join(format_html("<li>{}</li>", m) for m in messages)
    )


def _input(
    prefix: str, field_id: str, name: str, label: str, value: str, messages: list[str] | None
) -> SafeString:
    element_id = f"{field_id}{name}"
    if name in ("done", "outcome"):
        control = format_html(
            '<textarea name="{}{}" id="{}" rows="2" maxlength="5000">{}</textarea>',
            prefix,
            name,
            element_id,
            value,
        )
    else:
        template = (
            '<input type="text" name="{}{}" id="{}" value="{}" maxlength="200">'
            if name == "occasion"
            else '<input type="text" name="{}{}" id="{}" value="{}" inputmode="decimal">'
        )
        control = format_html(template, prefix, name, element_id, value)
    return SafeString(
        format_html(
            '<div class="field{}"><label for="{}">{}</label>{}{}</div>',
            " field--error" if messages else "",
            element_id,
            label,
            _errors(messages),
            control,
        )
    )
