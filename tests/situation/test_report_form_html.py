"""The report form's questions are built in Python (``situation.forms.report_html``), the same markup the
page's template loop made (kept here to hold the Python to it), in every state a question can be in;
and the reads behind the form: the template's questions once per process, the answers in one query."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.template import Context
from django.template import Template as DjangoTemplate
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from samverkan.core.models import AuditEntry, Level
from samverkan.situation.defaults import ensure_default_template
from samverkan.situation.forms.report_html import answer_errors, render_layout
from samverkan.situation.models import Answer, Question, Template
from samverkan.situation.selectors import rounds as selectors
from samverkan.situation.services.rounds import report_save

PHONE = "070-123 45 67"

# The page's loop before it moved to Python, but for one fix: the tick box's hidden label names the
# question in the reader's language (``|shipped``), as the level's label always did.
TEMPLATE_LOOP = """{% load i18n samverkan %}
  {% for group in layout %}
  <fieldset class="report-section">
    <legend>{{ group.section.title|shipped }}</legend>
    {% if group.section.description %}<p class="muted">{{ group.section.description|shipped }}</p>{% endif %}
    {% for row in group.rows %}
    <div class="question{% if row.field.errors %} field--error{% endif %}">
      {% if not row.field %}
        <p class="question__text">{{ row.question.text|shipped }}</p>
        <p class="muted">{% translate "Besvarad med begränsad sekretess som du inte kan läsa. Svaret finns kvar och ändras inte här." %}</p>
      {% elif row.options %}
        <fieldset class="choice-group"{% if row.field.help_text %} aria-describedby="{{ row.field.auto_id }}_helptext"{% endif %}>
          <legend>{{ row.question.text|shipped }}{% if row.question.required %} <span class="required">({% translate "obligatorisk" %})</span>{% endif %}</legend>
          {% if row.field.help_text %}<p class="helptext" id="{{ row.field.auto_id }}_helptext">{{ row.field.help_text }}</p>{% endif %}
          {% include "situation/_answer_errors.html" with field=row.field show_acknowledge=row.show_acknowledge %}
          <div class="choices{% if row.question.kind == 'status' %} choices--status{% endif %}">
          {{ row.choices_html }}
          </div>
        </fieldset>
      {% else %}
        <label for="{{ row.field.id_for_label }}" class="question__text">{{ row.question.text|shipped }}{% if row.question.required %} <span class="required">({% translate "obligatorisk" %})</span>{% endif %}</label>
        {% if row.field.help_text %}<p class="helptext" id="{{ row.field.auto_id }}_helptext">{{ row.field.help_text }}</p>{% endif %}
        {% include "situation/_answer_errors.html" with field=row.field show_acknowledge=row.show_acknowledge %}
        {{ row.field }}
        {% if row.acknowledge %}<div class="field--acknowledge" id="bekrafta-{{ row.field.html_name }}"{% if not row.show_acknowledge %} hidden{% endif %}>{{ row.acknowledge }} <label for="{{ row.acknowledge.id_for_label }}">{{ row.acknowledge.label }}<span class="visually-hidden"> {% blocktranslate with q=row.question.text|shipped %}(svaret på ”{{ q }}”){% endblocktranslate %}</span></label></div>{% endif %}
      {% endif %}
      {% if row.field %}<div id="konflikt-q{{ row.question.pk }}" class="question__conflict">{% if row.conflict %}{% include "core/_conflict.html" with conflict=row.conflict %}{% endif %}</div>{% endif %}
      {% if row.level %}
      <div class="answer-level">
        <label for="{{ row.level.id_for_label }}">{% translate "Sekretessnivå" %}<span class="visually-hidden"> {% blocktranslate with q=row.question.text|shipped %}för svaret på ”{{ q }}”{% endblocktranslate %}</span></label>
        {{ row.level.errors }}
        {{ row.level }}
      </div>
      {% endif %}
    </div>
    {% endfor %}
  </fieldset>
  {% endfor %}
"""


@pytest.fixture
def report(world) -> Any:
    return world.situation["A"]["report"]


def edit_url(report) -> str:
    return reverse("situation:report_edit", args=[report.collaboration_id, report.round_id, report.pk])


def _question(report, kind: str) -> Question:
    return Question.objects.get(section__template=report.round.template, section__area_code="vald", kind=kind)


def _page_data(client, report) -> dict[str, Any]:
    form = client.get(edit_url(report)).context["form"]
    return {f.html_name: "" if f.value() is None else f.value() for f in form}


def _tags(html: str) -> str:
    """The markup without the whitespace between tags (which the browser does not show either)."""
    return re.sub(r">\s+<", "><", html).strip()


def _assert_same_as_the_template(response) -> str:
    layout = response.context["layout"]
    ours = render_layout(layout)
    theirs = DjangoTemplate(TEMPLATE_LOOP).render(Context({"layout": layout}))
    assert _tags(ours) == _tags(theirs)
    assert ours in response.content.decode()
    return ours


def test_a_readable_report_is_the_template_s_markup(world, report):
    html = _assert_same_as_the_template(world.client("samordnare").get(edit_url(report)))
    assert "KANARIE-A-BEGRANSAD" in html and 'type="radio"' in html and "<textarea" in html


def test_a_begransad_answer_the_reader_may_not_read_is_the_template_s_markup(world, report):
    html = _assert_same_as_the_template(world.client("ledamot").get(edit_url(report)))
    assert "KANARIE-A-BEGRANSAD" not in html and "Besvarad med begränsad sekretess" in html


def test_errors_and_asked_tick_boxes_are_the_template_s_markup(world, report):
    client = world.client("samordnare")
    text_q, status_q = _question(report, Question.Kind.TEXT), _question(report, Question.Kind.STATUS)
    data = {
        **_page_data(client, report),
        f"q{text_q.pk}": f"Ring {PHONE}",
        f"q{status_q.pk}": "lila",
        f"q{status_q.pk}_level": "hemlig",
        "action": "save",
    }
    response = client.post(edit_url(report), data)
    html = _assert_same_as_the_template(response)
    assert "field--error" in html and 'data-acknowledge="1"' in html and "errorlist" in html


def test_an_edit_conflict_beside_its_answer_is_the_template_s_markup(world, report):
    client = world.client("samordnare")
    text_q = _question(report, Question.Kind.TEXT)
    stale = _page_data(client, report)
    assert (
        client.post(edit_url(report), {**stale, f"q{text_q.pk}": "Först", "action": "save"}).status_code
        == 302
    )
    response = client.post(edit_url(report), {**stale, f"q{text_q.pk}": "Sedan", "action": "save"})
    assert response.status_code == 409
    html = _assert_same_as_the_template(response)
    assert "Någon annan har ändrat samtidigt" in html and "Först" in html


def test_in_english_every_label_names_the_question_in_english(world, report):
    client = world.client("samordnare")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text_q = _question(report, Question.Kind.TEXT)
    with translation.override("en"):
        english = translation.gettext(text_q.text)
    assert english != text_q.text
    response = client.get(edit_url(report))
    html = _assert_same_as_the_template(response)
    assert html.count(english) == 3  # the label, the tick box's and the level's hidden labels
    assert text_q.text not in html and "Confidentiality level" in html
    # The Swedish page that follows in the same process is Swedish again.
    assert text_q.text in world.client("samordnare").get(edit_url(report)).content.decode()


def test_the_error_slot_is_the_autosave_s_template(world, report):
    from django.template.loader import render_to_string

    client = world.client("samordnare")
    text_q = _question(report, Question.Kind.TEXT)
    response = client.post(
        edit_url(report), {**_page_data(client, report), f"q{text_q.pk}": f"Ring {PHONE}", "action": "save"}
    )
    field = response.context["form"][f"q{text_q.pk}"]
    for show, oob in ((True, True), (False, False), (True, False)):
        expected = render_to_string(
            "situation/_answer_errors.html", {"field": field, "show_acknowledge": show, "oob": oob}
        )
        assert answer_errors(field, show, oob=oob) + "\n" == expected  # the file ends with a newline


# --- The reads ----------------------------------------------------------------------------------------


def test_a_used_template_s_questions_are_read_once_per_process(world, report):
    template = report.round.template
    first = selectors.template_sections(template)
    with CaptureQueriesContext(connection) as queries:
        again = selectors.template_sections(Template.objects.get(pk=template.pk))
    assert len(queries) == 1  # the template itself, above; its sections and questions are not read again
    assert [s.pk for s in again] == [s.pk for s in first]
    assert [q.pk for s in again for q in s.questions.all()] == [
        q.pk for q in Question.objects.filter(section__template=template).order_by("section__order", "order")
    ]
    again.pop()
    assert len(selectors.template_sections(template)) == len(first)  # each caller has its own list


def test_a_template_no_round_uses_is_read_each_time(world):
    template = ensure_default_template()
    fresh = Template.objects.create(name="Ny mall", collaboration=world.a)
    assert selectors.template_sections(fresh) == []
    with CaptureQueriesContext(connection) as queries:
        selectors.template_sections(fresh)
    assert len(queries) >= 2
    assert template.pk != fresh.pk


def test_a_template_with_a_reused_id_is_not_served_from_the_cache(world, report):
    template = report.round.template
    cached = selectors.template_sections(template)
    impostor = Template(pk=template.pk, name=template.name, created_at=template.created_at.replace(year=2001))
    with CaptureQueriesContext(connection) as queries:
        selectors.template_sections(impostor)
    assert len(queries) >= 2 and cached


@pytest.mark.parametrize("persona", ["samordnare", "polis", "ledamot", "lasare", "outsider"])
def test_answers_and_hidden_questions_from_one_read_agree_with_the_visibility_rule(world, report, persona):
    user = world.users[persona]
    polis_only = (
        Question.objects.filter(section__template=report.round.template, kind=Question.Kind.TEXT)
        .exclude(section__area_code="vald")
        .first()
    )
    report_save(
        report=report,
        answers={polis_only.pk: {"level": Level.BEGRANSAD, "restricted_to": ["polis"], "text": "Polisens"}},
        acting_user=world.users["polis"],
    )
    expected_visible = set(
        Answer.objects.visible_to(user).filter(report=report).values_list("question_id", flat=True)
    )
    expected_hidden = set(report.answers.values_list("question_id", flat=True)) - expected_visible
    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    with CaptureQueriesContext(connection) as queries:
        visible, hidden = selectors.report_answers_and_hidden(user=user, report=report)
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() - before
    assert set(visible) == expected_visible and hidden == expected_hidden
    assert list(visible) == list(selectors.report_answers(user=user, report=report))  # the template's order
    reads_before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() - before - reads
    assert reads == reads_before  # the same begränsad reads logged as by report_answers
    assert (reads > 0) == any(a.level == Level.BEGRANSAD for a in visible.values())
    assert len([q for q in queries if "situation_answer" in q["sql"]]) == 1
    assert {
        "samordnare": expected_hidden == {polis_only.pk},
        "polis": not expected_hidden,
        "ledamot": len(expected_hidden) == 2,
        "lasare": len(expected_hidden) == 2,
        "outsider": not expected_visible,
    }[persona]
