"""What issue 12 took out of the report form's requests keeps its answers: the reporter's organisations from
the memoised membership rows, choice lists translated once per language, one row by id without ORDER BY."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from samverkan.core.models import Level
from samverkan.core.visibility import membership_rows
from samverkan.situation.forms.rounds import ReportForm, TranslatedChoices
from samverkan.situation.models import Question, StatusLevel
from samverkan.situation.selectors import rounds as selectors
from samverkan.situation.services.rounds import reporting_organisations


@pytest.fixture
def report(world) -> Any:
    return world.situation["A"]["report"]


@pytest.mark.parametrize(
    ("persona", "queries"), [("samordnare", 1), ("polis", 0), ("ledamot", 0), ("lasare", 0), ("outsider", 0)]
)
def test_reporting_organisations_come_from_the_membership_rows(world, persona, queries):
    user = world.users[persona]
    membership_rows(user)  # read once per request by the visibility rule
    with CaptureQueriesContext(connection) as captured:
        allowed = reporting_organisations(user, world.a)
    assert len(captured.captured_queries) == queries
    expected = {
        "samordnare": set(world.a.participations.values_list("organisation_id", flat=True)),
        "polis": {world.org_a.pk},
        "ledamot": {world.org_a.pk},
        "lasare": set(),
        "outsider": set(),  # a member of another collaboration only
    }[persona]
    assert allowed == expected


def test_the_report_page_reads_the_membership_once(world, report):
    url = reverse("situation:report_edit", args=[report.collaboration_id, report.round_id, report.pk])
    with CaptureQueriesContext(connection) as captured:
        response = world.client("ledamot").get(url)
    assert response.status_code == 200
    assert len([q for q in captured.captured_queries if '"core_membership"' in q["sql"]]) == 1


def test_one_report_by_id_is_read_without_an_order_or_its_round(world, report):
    round_ = selectors.get_round_to_report(world.users["samordnare"], world.a, report.round_id)
    with CaptureQueriesContext(connection) as captured:
        found = selectors.get_report_for_user(world.users["samordnare"], round_, report.pk)
    assert found == report and found.round is round_ and round_.collaboration is world.a
    (query,) = captured.captured_queries
    assert "ORDER BY" not in query["sql"] and '"situation_round"' not in query["sql"]


def test_choice_labels_are_translated_once_per_language(world, report):
    sections = selectors.template_sections(report.round.template)
    labels = {}
    for language in ("sv", "en", "sv"):
        with translation.override(language):
            form = ReportForm(None, sections=sections, answers={}, hidden=set(), default_level=Level.INTERN)
            status = next(q for q in form.questions if q.kind == Question.Kind.STATUS)
            level_choices = form.fields[f"q{status.pk}_level"].choices
            status_choices = form.fields[f"q{status.pk}"].choices
            assert isinstance(level_choices, TranslatedChoices)
            assert list(level_choices) == [(value, str(label)) for value, label in Level.choices]
            assert list(status_choices) == [(value, str(label)) for value, label in StatusLevel.choices]
            assert form.fields[f"q{status.pk}"].valid_value(StatusLevel.values[0])
            labels.setdefault(language, []).append(dict(level_choices)[Level.BEGRANSAD])
    assert labels["sv"][0] == labels["sv"][1] != labels["en"][0]
