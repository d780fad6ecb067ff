"""The report form as a writer opens it is made once per saved state (``forms.report_html.opened_form``):
opened again with nothing saved, the form is not built again and the page is the same; any saved change
to an answer, however it was written, is a new form; another language, level or set of hidden answers
has its own."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings

from samverkan.situation.forms import report_html
from samverkan.situation.models import Answer
from samverkan.situation.services.rounds import report_get_or_create
from tests.situation.test_rounds_views import all_required, edit_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world, open_round):
    report = report_get_or_create(
        round_=open_round, organisation=world.org_a, acting_user=world.users["ledamot"]
    )
    data = {**form_data(open_round, level="intern"), **all_required(open_round), "action": "save"}
    assert world.client("ledamot").post(edit_url(report), data).status_code == 302
    return report


@pytest.fixture
def builds(monkeypatch) -> list[Any]:
    """Each time the opened form is built."""
    monkeypatch.setattr(report_html, "_OPENED", report_html.LocalMemo(32))
    made: list[Any] = []
    real = report_html.ReportForm

    def counting(*args: Any, **kwargs: Any) -> Any:
        made.append(kwargs["default_level"])
        return real(*args, **kwargs)

    monkeypatch.setattr(report_html, "ReportForm", counting)
    return made


def _page(client, report) -> str:
    response = client.get(edit_url(report))
    assert response.status_code == 200
    # The CSRF token is masked anew on every render.
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "<token>", response.content.decode())


def test_opened_again_with_nothing_saved_the_form_is_not_built_again(world, report, builds):
    client = world.client("ledamot")
    first = _page(client, report)
    assert _page(client, report) == first
    assert len(builds) == 1


def test_a_saved_answer_is_a_new_form_even_when_written_without_a_new_version(world, report, builds):
    client = world.client("ledamot")
    before = _page(client, report)
    answer = Answer.objects.filter(report=report, status="gul").first()
    assert answer is not None
    # Written past the services (no new version): what the form shows still decides.
    Answer.objects.filter(pk=answer.pk).update(status="rod")
    response = client.get(edit_url(report))
    assert response.context["form"].fields[f"q{answer.question_id}"].initial == "rod"
    assert _page(client, report) != before
    assert len(builds) == 2


def test_each_language_has_its_own_form(world, report, builds):
    client = world.client("ledamot")
    swedish = _page(client, report)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _page(client, report)
    assert english != swedish and 'lang="en"' in english
    assert len(builds) == 2


def test_a_writer_who_may_not_read_an_answer_never_gets_the_form_of_one_who_may(world, report, builds):
    answer = Answer.objects.filter(report=report, status="gul").first()
    assert answer is not None
    # Begränsad to the samordnare and the police: the ledamot's form shows the answer as not readable.
    Answer.objects.filter(pk=answer.pk).update(level="begransad", restricted_to="samordnare,polis")
    name = f"q{answer.question_id}"
    assert name in world.client("samordnare").get(edit_url(report)).context["form"].fields
    assert name not in world.client("ledamot").get(edit_url(report)).context["form"].fields
    assert len(builds) == 2
