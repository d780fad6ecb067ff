"""Two people editing the same report: an answer saved by one while the other wrote is never silently
replaced. The autosave reports the conflict beside that one answer (both texts) and saves the others;
"Spara utkast" shows the conflict page with both texts. Before versions the later save replaced the
earlier answer without a word."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from samverkan.situation.models import Answer, Question


@pytest.fixture
def report(world) -> Any:
    return world.situation["A"]["report"]


def edit_url(report) -> str:
    return reverse("situation:report_edit", args=[report.collaboration_id, report.round_id, report.pk])


def _question(report, kind: str) -> Question:
    return Question.objects.get(section__template=report.round.template, section__area_code="vald", kind=kind)


def _page_data(client, report) -> dict[str, Any]:
    """What the browser posts for the form as loaded now (values, levels and versions)."""
    form = client.get(edit_url(report)).context["form"]
    data = {}
    for field in form:
        value = field.value()
        data[field.html_name] = "" if value is None else value
    data.pop("acknowledge_personal_data", None)
    return data


def _answer(report, question) -> Answer:
    return Answer.objects.get(report=report, question=question)


def test_the_form_holds_each_answers_version(world, report):
    text_q = _question(report, Question.Kind.TEXT)
    data = _page_data(world.client("samordnare"), report)
    assert data[f"q{text_q.pk}_version"] == 1
    unanswered = Question.objects.filter(section__template=report.round.template).exclude(
        answers__report=report
    )
    assert data[f"q{unanswered.first().pk}_version"] == 0


def test_an_autosave_of_a_stale_answer_shows_both_texts_beside_it_and_saves_the_others(
    world, report, samordnare2
):
    text_q, status_q = _question(report, Question.Kind.TEXT), _question(report, Question.Kind.STATUS)
    anna, bertil = world.client("samordnare"), world.client("samordnare2")
    annas_page, bertils_page = _page_data(anna, report), _page_data(bertil, report)
    annas_page[f"q{text_q.pk}"] = "Annas svar"
    assert anna.post(edit_url(report), {**annas_page, "action": "save"}).status_code == 302
    assert _answer(report, text_q).version == 2

    # Bertil's page still shows version 1 of the text; he changes the text and the status.
    bertils_page[f"q{text_q.pk}"] = "Bertils svar"
    bertils_page[f"q{status_q.pk}"] = "rod"
    response = bertil.post(edit_url(report), bertils_page, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps only 2xx answers
    fragment = response.content.decode()
    assert "Övriga svar är sparade" in fragment
    slot = re.search(
        rf'<div id="konflikt-q{text_q.pk}"[^>]*hx-swap-oob="true">(.*?)</div>\s*<div id=', fragment, re.S
    )
    assert slot and "Annas svar" in slot.group(1) and "Bertils svar" in slot.group(1)
    assert "Sparat nu (version 2)" in fragment and "Din text (inte sparad)" in fragment
    assert _answer(report, text_q).text == "Annas svar"  # the first text stays
    assert _answer(report, status_q).status == "rod"  # the other answer saved
    # The versions come back out of band: the saved answer's new one; the stale answer keeps version 1
    # (typing on must not overwrite Anna's text) with the shown version beside it.
    assert 'id="report-versions" hx-swap-oob="true"' in fragment
    assert f'name="q{status_q.pk}_version" value="2"' in fragment
    assert f'name="q{text_q.pk}_version" value="1"' in fragment
    assert f'name="q{text_q.pk}_shown" value="2"' in fragment

    # Another autosave from the same page still does not overwrite Anna's text.
    bertils_page.update({f"q{status_q.pk}_version": 2, f"q{text_q.pk}_shown": 2})
    again = bertil.post(edit_url(report), bertils_page, HTTP_HX_REQUEST="true").content.decode()
    assert "Övriga svar är sparade" in again and _answer(report, text_q).text == "Annas svar"

    # Having seen both texts, Bertil saves deliberately: his text is saved from the version he was shown.
    merged = {**bertils_page, f"q{text_q.pk}": "Annas och Bertils svar", "action": "save"}
    assert bertil.post(edit_url(report), merged).status_code == 302
    assert (_answer(report, text_q).text, _answer(report, text_q).version) == ("Annas och Bertils svar", 3)


def test_a_stale_save_shows_the_conflict_page_with_both_texts_and_keeps_the_first(world, report, samordnare2):
    text_q, status_q = _question(report, Question.Kind.TEXT), _question(report, Question.Kind.STATUS)
    anna, bertil = world.client("samordnare"), world.client("samordnare2")
    annas_page, bertils_page = _page_data(anna, report), _page_data(bertil, report)
    annas_page[f"q{text_q.pk}"] = "Annas svar"
    assert anna.post(edit_url(report), {**annas_page, "action": "save"}).status_code == 302

    bertils_page.update({f"q{text_q.pk}": "Bertils svar", f"q{status_q.pk}": "rod", "action": "save"})
    response = bertil.post(edit_url(report), bertils_page)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Någon annan har ändrat samtidigt" in html and "Annas svar" in html and "Bertils svar" in html
    assert _answer(report, text_q).text == "Annas svar"
    assert _answer(report, status_q).status == "rod"
    # The page's versions are what is saved now, so saving again (Bertil's text, on purpose) goes through.
    assert f'name="q{text_q.pk}_version" value="2"' in html
    assert f'name="q{status_q.pk}_version" value="2"' in html
    form = response.context["form"]
    resave = {field.html_name: "" if field.value() is None else field.value() for field in form}
    resave.pop("acknowledge_personal_data", None)
    assert bertil.post(edit_url(report), {**resave, "action": "save"}).status_code == 302
    assert _answer(report, text_q).text == "Bertils svar"


def test_an_untouched_answer_equal_to_what_is_saved_is_no_conflict(world, report, samordnare2):
    """Both wrote the same thing, or the page simply holds an older version of an answer saved as is."""
    text_q = _question(report, Question.Kind.TEXT)
    anna, bertil = world.client("samordnare"), world.client("samordnare2")
    annas_page, bertils_page = _page_data(anna, report), _page_data(bertil, report)
    annas_page[f"q{text_q.pk}"] = "Samma svar"
    bertils_page[f"q{text_q.pk}"] = "Samma svar"
    assert anna.post(edit_url(report), {**annas_page, "action": "save"}).status_code == 302
    assert bertil.post(edit_url(report), {**bertils_page, "action": "save"}).status_code == 302
