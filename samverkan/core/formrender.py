"""The form renderer: Django's own widget markup, built in Python instead of through a template per widget.

A report form has ~130 widgets (radio options, level selects and their options, hidden version fields);
each went through 3–4 nested template renders (input → attrs, option → input_option → input → attrs).
For the plain widget templates below, the renderer builds exactly the string Django's template would
(same escaping, same whitespace; ``tests/core/test_formrender.py`` compares the two on every widget
kind and on whole pages). Any other template, and any of these a project or app overrides, is rendered
by the template engine as before.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django
from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.functional import Promise
from django.utils.safestring import SafeData, SafeString, mark_safe

_WIDGETS = "django/forms/widgets/"
# Django's own widget templates: a name that resolves elsewhere was overridden and keeps its template.
_DJANGO_TEMPLATES = Path(django.__file__).resolve().parent / "forms" / "templates"
_CONTEXT = Context(autoescape=True)
_ERROR_LISTS = {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}


# Django's ``escape`` is ``html.escape`` behind a wrapper that checks every argument for a lazy string
# (a third of a report form's time went to that wrapper); the values escaped here are plain strings.
_escape = html.escape


def _out(value: Any) -> str:
    """``{{ value }}``."""
    if type(value) is str:  # most values: nothing to localise, escaped as any plain string
        return _escape(value)
    if isinstance(value, Promise):  # a translated label: nothing to localise either
        return _escape(str(value))
    return str(render_value_in_context(value, _CONTEXT))


def _fmt(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` (stringformat keeps a safe string safe)."""
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else _escape(text)


def _attrs(attrs: dict[str, Any]) -> str:
    """attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(" " + _out(name))
            if value is not True:
                parts.append(f'="{_fmt(value)}"')
    return "".join(parts)


# Each builder returns what its template file renders to, unstripped: the files end with a newline and
# templates that include another add their own, which shows inside selects and choice lists.


def _input(widget: dict[str, Any]) -> str:
    """input.html."""
    value = f' value="{_fmt(widget["value"])}"' if widget.get("value") is not None else ""
    name, type_ = _out(widget.get("name", "")), _out(widget.get("type", ""))
    return f'<input type="{type_}" name="{name}"{value}{_attrs(widget["attrs"])}>\n'


def _input_kind(widget: dict[str, Any]) -> str:
    """text.html, hidden.html, number.html, …: ``{% include "django/forms/widgets/input.html" %}``."""
    return _input(widget) + "\n"


def _input_option(widget: dict[str, Any]) -> str:
    """input_option.html."""
    if not widget.get("wrap_label"):
        return _input(widget) + "\n"
    label_for = f' for="{_out(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{_input(widget)} {_out(widget.get('label', ''))}</label>\n"


def _choice_option(widget: dict[str, Any]) -> str:
    """radio_option.html, checkbox_option.html: ``{% include "…/input_option.html" %}``."""
    return _input_option(widget) + "\n"


def _select_option(widget: dict[str, Any]) -> str:
    """select_option.html."""
    label = _out(widget.get("label", ""))
    return f'<option value="{_fmt(widget["value"])}"{_attrs(widget["attrs"])}>{label}</option>\n'


def _textarea(widget: dict[str, Any]) -> str:
    """textarea.html."""
    value = _out(widget["value"]) if widget.get("value") else ""
    return f'<textarea name="{_out(widget.get("name", ""))}"{_attrs(widget["attrs"])}>\n{value}</textarea>\n'


class WidgetRenderer(DjangoTemplates):
    """Django's template form renderer, with the plain widget templates built in Python."""

    def __init__(self) -> None:
        super().__init__()
        self._builders: dict[str, Callable[[dict[str, Any]], str]] = {}
        self._checked: dict[str, bool] = {}
        inputs = ["input", "text", "hidden", "number", "date", "email", "password", "url", "tel", "search"]
        inputs += ["time", "datetime", "checkbox", "color"]
        self._builders[f"{_WIDGETS}input.html"] = _input
        for name in inputs[1:]:
            self._builders[f"{_WIDGETS}{name}.html"] = _input_kind
        self._builders[f"{_WIDGETS}input_option.html"] = _input_option
        for name in ("radio_option", "checkbox_option"):
            self._builders[f"{_WIDGETS}{name}.html"] = _choice_option
        self._builders[f"{_WIDGETS}multiple_input.html"] = self._multiple
        for name in ("radio", "checkbox_select"):
            self._builders[f"{_WIDGETS}{name}.html"] = self._multiple_kind
        self._builders[f"{_WIDGETS}select.html"] = self._select
        self._builders[f"{_WIDGETS}select_option.html"] = _select_option
        self._builders[f"{_WIDGETS}textarea.html"] = _textarea

    def _builder(self, template_name: str) -> Callable[[dict[str, Any]], str] | None:
        builder = self._builders.get(template_name)
        if builder is None:
            return None
        return builder if self._is_django_s(template_name) else None

    def _is_django_s(self, template_name: str) -> bool:
        """Whether the template is Django's own (not overridden by the project or an app)."""
        if template_name not in self._checked:
            origin = self.get_template(template_name).origin.name  # type: ignore[attr-defined]
            self._checked[template_name] = Path(origin).resolve().is_relative_to(_DJANGO_TEMPLATES)
        return self._checked[template_name]

    def _include(self, widget: dict[str, Any]) -> str:
        """``{% include option.template_name with widget=option %}``."""
        builder = self._builder(widget["template_name"])
        if builder is not None:
            return builder(widget)
        # The engine's output is stripped; an unknown option template is rare enough to accept that.
        return str(super().render(widget["template_name"], {"widget": widget}))

    def _select(self, widget: dict[str, Any]) -> str:
        """select.html."""
        out = [f'<select name="{_out(widget.get("name", ""))}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_out(group_name)}">')
            for option in group_choices:
                out.append("\n  " + self._include(option))
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>\n")
        return "".join(out)

    def _multiple(self, widget: dict[str, Any]) -> str:
        """multiple_input.html (radio, checkbox_select)."""
        attrs = widget["attrs"]
        id_ = f' id="{_out(attrs["id"])}"' if attrs.get("id") else ""
        class_ = f' class="{_out(attrs["class"])}"' if attrs.get("class") else ""
        out = [f"<div{id_}{class_}>"]
        for group, options, _index in widget["optgroups"]:
            if group:
                out.append(f"\n  <div><label>{_out(group)}</label>")
            for option in options:
                out.append("<div>\n    " + self._include(option) + "</div>")
            if group:
                out.append("\n  </div>")
        out.append("\n</div>\n")
        return "".join(out)

    def _multiple_kind(self, widget: dict[str, Any]) -> str:
        """radio.html, checkbox_select.html: ``{% include "…/multiple_input.html" %}``."""
        return self._multiple(widget) + "\n"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in _ERROR_LISTS and not context.get("errors") and self._is_django_s(template_name):
            # ``{{ field.errors }}`` of a field without errors: the template renders nothing.
            return mark_safe("")
        builder = self._builder(template_name)
        if builder is None or "widget" not in context:
            return super().render(template_name, context, request)
        # Stripped, as the template renderer strips what it renders.
        return mark_safe(builder(context["widget"]).strip())  # noqa: S308 - every value escaped as the templates do


# --- Bound fields without the widget machinery --------------------------------------------------------
#
# Past the templates, a widget still costs its context: attributes merged three times, every option's
# dict with deep-copied attributes, the value formatted per option. A page with ~130 widgets (the report
# form) builds the plain ones below straight from the bound field, to the same markup (tested against
# Django's templates); any other widget, an overridden template or another renderer goes the usual way.

_PLAIN = (forms.TextInput, forms.HiddenInput, forms.Textarea, forms.CheckboxInput, forms.Select)


def _fast_renderer(bound: BoundField, template_name: str) -> bool:
    renderer = bound.form.renderer
    return isinstance(renderer, WidgetRenderer) and renderer._builder(template_name) is not None


def bound_html(bound: BoundField) -> SafeString:
    """``str(bound)``: the field's widget, as Django renders it."""
    widget = bound.field.widget
    kind = type(widget)
    if (
        kind not in _PLAIN
        or bound.field.localize
        or not _fast_renderer(bound, widget.template_name)
        or (kind is forms.Select and not _plain_select(bound, widget))
    ):
        return SafeString(str(bound))
    extra = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        extra.setdefault("id", bound.auto_id)
    value = bound.value()
    name = _out(bound.html_name)
    if kind is forms.Select:
        return _select_html(widget, name, value, {**widget.attrs, **extra})
    if kind is forms.CheckboxInput and widget.check_test(value):
        extra["checked"] = True
    attrs = _attrs({**widget.attrs, **extra})
    shown = widget.format_value(value)
    if kind is forms.Textarea:
        text = _out(shown) if shown else ""
        return mark_safe(f'<textarea name="{name}"{attrs}>\n{text}</textarea>')  # noqa: S308 - escaped
    value_attr = f' value="{_fmt(shown)}"' if shown is not None else ""
    return mark_safe(f'<input type="{_out(widget.input_type)}" name="{name}"{value_attr}{attrs}>')  # noqa: S308


def _plain_select(bound: BoundField, widget: Any) -> bool:
    """A select with Django's option template and no option groups (those go the usual way)."""
    if not _fast_renderer(bound, widget.option_template_name):
        return False
    return not any(isinstance(label, (list, tuple)) for _value, label in widget.choices)


def _select_html(widget: forms.Select, name: str, value: Any, attrs: dict[str, Any]) -> SafeString:
    """A single select's markup (select.html with select_option.html)."""
    chosen = widget.format_value(value)
    options = []
    has_selected = False
    for option_value, label in widget.choices:
        shown = "" if option_value is None else str(option_value)
        selected = not has_selected and shown in chosen
        has_selected = has_selected or selected
        options.append(
            f'\n  <option value="{_fmt(shown)}"{" selected" if selected else ""}>{_out(label)}</option>\n'
        )
    return mark_safe(f'<select name="{name}"{_attrs(attrs)}>{"".join(options)}\n</select>')  # noqa: S308


def option_tag(option: Any) -> SafeString:
    """``option.tag()`` (without its label) of a radio or checkbox option (a ``BoundWidget``), built from
    its data."""
    if not _option_is_plain(option):
        return SafeString(option.tag())
    return mark_safe(_input(option.data).rstrip("\n"))  # noqa: S308 - escaped by _input


def _option_is_plain(option: Any) -> bool:
    renderer = option.renderer
    return isinstance(renderer, WidgetRenderer) and renderer._builder(option.template_name) is not None
