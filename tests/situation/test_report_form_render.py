"""The report form renders its ~130 widgets through core.formrender.WidgetRenderer (no template per
widget), and the page is byte for byte what Django's template renderer makes of it."""

from __future__ import annotations

import re

import pytest

from samverkan.situation.services.rounds import report_get_or_create
from tests.situation.test_rounds_views import all_required, edit_url, form_data


@pytest.fixture
def report(world, open_round):
    return report_get_or_create(
        round_=open_round, organisation=world.org_a, acting_user=world.users["ledamot"]
    )


def _page(world, report) -> str:
    response = world.client("ledamot").get(edit_url(report))
    assert response.status_code == 200
    # The CSRF token (in the form and htmx's headers) is masked anew on every render.
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "<token>", response.content.decode())


def test_the_report_form_is_the_same_markup_as_with_django_s_renderer(world, open_round, report, settings):
    data = {**form_data(open_round, level="begransad"), **all_required(open_round), "action": "save"}
    assert world.client("ledamot").post(edit_url(report), data).status_code == 302
    assert settings.FORM_RENDERER == "samverkan.core.formrender.WidgetRenderer"
    ours = _page(world, report)
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    django_s = _page(world, report)
    assert 'type="radio"' in ours and "checked" in ours and "<select" in ours and 'type="hidden"' in ours
    assert ours == django_s


# The loop the report form's template had over each status/trend question's options, kept here to hold
# the Python-built options (QuestionRow.choices_html) to the same markup, whitespace included.
TEMPLATE_LOOP = """
          {% for radio, meaning in row.options %}
            <div class="choice choice--{{ radio.data.value }}">
              {{ radio.tag }}
              <label for="{{ radio.id_for_label }}">{% if row.question.kind == 'status' %}<span class="swatch swatch--{{ radio.data.value }}" aria-hidden="true"></span>{% endif %}<strong>{{ radio.choice_label }}</strong>{% if meaning %} <span class="meaning">{{ meaning }}</span>{% endif %}</label>
            </div>
          {% endfor %}
"""


def test_the_options_built_in_python_are_the_template_loop_s_markup(world, open_round, report):
    from django.template import Context, Template

    data = {**form_data(open_round, level="intern"), **all_required(open_round), "action": "save"}
    assert world.client("ledamot").post(edit_url(report), data).status_code == 302
    response = world.client("ledamot").get(edit_url(report))
    rows = [row for group in response.context["layout"] for row in group.rows if row.options]
    kinds = {row.question.kind for row in rows}
    assert kinds == {"status", "trend"}
    loop = Template(TEMPLATE_LOOP)
    for row in rows:
        rendered = loop.render(Context({"row": row}))  # "\n          " + the options + "\n"
        assert row.choices_html == rendered[len("\n          ") : -1]
