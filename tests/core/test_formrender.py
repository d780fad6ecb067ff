"""The form renderer builds exactly the markup Django's widget templates build, widget by widget and on a
whole report form, and leaves every other template (and any overridden one) to the template engine."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from samverkan.core.formrender import WidgetRenderer

TRICKY = "a \"quoted\" <b>&amp; 'tick' å"
CHOICES = [("rod", "Röd <1>"), ("gul", "Gul & gott"), ("gron", TRICKY), (3, 3)]
GROUPED = [("Färger", [("rod", "Röd"), ("gul", "Gul")]), ("gron", "Grön"), ("Annat", [("x", TRICKY)])]

WIDGETS = [
    (forms.TextInput(), "fritext", TRICKY),
    (forms.TextInput(attrs={"list": "place-names", "autocomplete": "off", "required": True}), "plats", ""),
    (forms.TextInput(attrs={"disabled": False, "data-x": mark_safe("<safe>")}), "t", None),
    (forms.HiddenInput(), "q1_version", 7),
    (forms.HiddenInput(), "q1_shown", None),
    (forms.NumberInput(attrs={"min": 0}), "antal", 12),
    (forms.DateInput(attrs={"type": "date"}), "dag", "2026-10-01"),
    (forms.EmailInput(), "epost", "a@example.se"),
    (forms.PasswordInput(render_value=True), "losen", "x<y"),
    (forms.CheckboxInput(), "ok", True),
    (forms.CheckboxInput(), "ok", False),
    (forms.Textarea(attrs={"rows": 4}), "text", "rad 1\nrad <2> & 3"),
    (forms.Textarea(), "text", ""),
    (forms.Select(choices=CHOICES), "niva", "gul"),
    (forms.Select(choices=GROUPED), "niva", "x"),
    (forms.SelectMultiple(choices=CHOICES), "flera", ["rod", "gron"]),
    (forms.RadioSelect(choices=CHOICES), "status", "rod"),
    (forms.RadioSelect(choices=CHOICES, attrs={"class": "choices"}), "status", None),
    (forms.RadioSelect(choices=GROUPED), "status", "gron"),
    (forms.CheckboxSelectMultiple(choices=CHOICES), "roller", ["gul", 3]),
    (forms.CheckboxSelectMultiple(choices=GROUPED), "roller", []),
]


@pytest.mark.parametrize(("widget", "name", "value"), WIDGETS, ids=lambda p: p.__class__.__name__)
@pytest.mark.parametrize("attrs", [None, {"id": "id_f", "aria-describedby": "id_f_helptext"}])
def test_every_widget_renders_as_django_s_template_renders_it(widget, name, value, attrs):
    ours = widget.render(name, value, attrs=attrs, renderer=WidgetRenderer())
    django_s = widget.render(name, value, attrs=attrs, renderer=DjangoTemplates())
    assert ours == django_s


def test_each_radio_option_s_tag_is_django_s():
    class Form(forms.Form):
        status = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)

    ours = Form(initial={"status": "gul"}, renderer=WidgetRenderer())["status"]
    django_s = Form(initial={"status": "gul"}, renderer=DjangoTemplates())["status"]
    for mine, theirs in zip(ours, django_s, strict=True):
        assert mine.tag() == theirs.tag()
        assert mine.tag(wrap_label=True) == theirs.tag(wrap_label=True)
        assert str(mine) == str(theirs)


def test_other_templates_go_through_the_engine():
    class Form(forms.Form):
        name = forms.CharField(label="Namn", help_text="Hjälp")

    form = Form(data={"name": ""}, renderer=WidgetRenderer())
    assert str(form["name"].as_field_group()) == str(
        Form(data={"name": ""}, renderer=DjangoTemplates())["name"].as_field_group()
    )


def test_an_overridden_widget_template_keeps_its_template(settings, tmp_path):
    folder = tmp_path / "django" / "forms" / "widgets"
    folder.mkdir(parents=True)
    (folder / "select_option.html").write_text("<option>OVERRIDDEN</option>")
    renderer = WidgetRenderer()
    renderer.engine.engine.dirs = [str(tmp_path), *renderer.engine.engine.dirs]
    renderer.engine.engine.template_loaders[0].reset()
    html = forms.Select(choices=CHOICES).render("niva", "gul", renderer=renderer)
    assert "OVERRIDDEN" in html


@pytest.mark.parametrize("errors", [[], ["Fel <1>", "Ett till"]])
def test_error_lists_render_as_django_s(errors):
    ours = forms.utils.ErrorList(errors, renderer=WidgetRenderer())
    django_s = forms.utils.ErrorList(errors, renderer=DjangoTemplates())
    assert str(ours) == str(django_s)
    assert (str(ours) == "") is (not errors)


# --- bound_html and option_tag: a bound field's widget without the widget machinery ---------------------


def _field_form(widget, value, *, required=False, help_text="", choices=None):
    """A form with one field ``f`` on ``widget``; ``value`` is its initial value or, as a dict, the data."""
    if isinstance(widget, forms.CheckboxInput):
        field = forms.BooleanField(required=required, widget=widget, help_text=help_text)
    elif isinstance(widget, forms.Select):
        field = forms.ChoiceField(choices=choices or widget.choices, required=required, widget=widget)
        field.help_text = help_text
    else:
        field = forms.CharField(required=required, widget=widget, help_text=help_text, max_length=9)

    class Form(forms.Form):
        pass

    Form.base_fields = {"f": field}
    return Form


BOUND_WIDGETS = [
    (forms.TextInput(attrs={"list": "place-names", "autocomplete": "off"}), TRICKY),
    (forms.TextInput(), ""),
    (forms.HiddenInput(), 7),
    (forms.HiddenInput(), None),
    (forms.Textarea(attrs={"rows": 4}), "rad 1\nrad <2> & 3"),
    (forms.Textarea(), ""),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.Select(choices=CHOICES), "gul"),
    (forms.Select(choices=CHOICES), 3),
    (forms.Select(choices=CHOICES), "saknas"),
    (forms.Select(choices=[("", "---"), *CHOICES]), None),
    (forms.Select(choices=GROUPED), "x"),
    (forms.NumberInput(), 5),  # not a plain widget: the usual way
]


@pytest.mark.parametrize(("widget", "value"), BOUND_WIDGETS, ids=lambda p: p.__class__.__name__)
@pytest.mark.parametrize("state", ["initial", "data", "errors", "required_help"])
def test_bound_html_is_the_widget_django_s_templates_render(widget, value, state):
    from samverkan.core.formrender import bound_html

    required = state in ("errors", "required_help")
    help_text = "Hjälp <i>" if state == "required_help" else ""
    form_class = _field_form(widget, value, required=required, help_text=help_text)
    if state == "initial":
        kwargs = {"initial": {"f": value}}
    elif state == "data":
        kwargs = {"data": {"f": "" if value is None else value}}
    else:  # nothing sent for a required field, or too long a text: the field has errors
        kwargs = {"data": {"f": "x" * 20 if isinstance(widget, (forms.TextInput, forms.Textarea)) else ""}}
    ours = form_class(renderer=WidgetRenderer(), **kwargs)
    django_s = form_class(renderer=DjangoTemplates(), **kwargs)
    if state == "errors":
        assert ours.errors and django_s.errors
    assert bound_html(ours["f"]) == str(django_s["f"])
    # With any other renderer the field renders the usual way.
    assert bound_html(django_s["f"]) == str(django_s["f"])


def test_bound_html_keeps_an_overridden_widget_template(tmp_path):
    from samverkan.core.formrender import bound_html

    folder = tmp_path / "django" / "forms" / "widgets"
    folder.mkdir(parents=True)
    (folder / "textarea.html").write_text("<textarea>OVERRIDDEN</textarea>")
    renderer = WidgetRenderer()
    renderer.engine.engine.dirs = [str(tmp_path), *renderer.engine.engine.dirs]
    renderer.engine.engine.template_loaders[0].reset()
    form = _field_form(forms.Textarea(), "")(renderer=renderer)
    assert "OVERRIDDEN" in bound_html(form["f"])


@pytest.mark.parametrize("data", [None, {"status": "gul"}, {"status": "saknas"}, {"status": ""}])
def test_option_tag_is_each_radio_s_tag(data):
    from samverkan.core.formrender import option_tag

    class Form(forms.Form):
        status = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, help_text="Hjälp")

    ours = Form(data, initial={"status": 3}, renderer=WidgetRenderer())["status"]
    django_s = Form(data, initial={"status": 3}, renderer=DjangoTemplates())["status"]
    for mine, theirs in zip(ours, django_s, strict=True):
        assert option_tag(mine) == theirs.tag()
        assert option_tag(theirs) == theirs.tag()
