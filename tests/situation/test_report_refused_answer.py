"""The report form with one refused answer (issue 11 item 2): the other answers save, as you type and on
a plain submit, and the refused one is marked where it is, with its own tick box where one applies.

Before: one answer with a personnummer (or an unconfirmed phone number) made the whole form invalid, so
nothing was saved, and the tick box appeared only at the end of the form after a failed submit.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from samverkan.core.models import Level
from samverkan.situation.models import Answer, Question, Report
from samverkan.situation.services.rounds import report_get_or_create, report_save
from tests.situation.factories import question
from tests.situation.test_rounds_views import all_required, edit_url, form_data

PERSONNUMMER = "19121212-1212"  # Tolvan Tolvansson, Skatteverket's test person
PHONE = "070-123 45 67"


@pytest.fixture
def report(world, open_round):
    return report_get_or_create(
        round_=open_round, organisation=world.org_a, acting_user=world.users["ledamot"]
    )


@pytest.fixture
def texts(open_round):
    return question(open_round, Question.Kind.TEXT, "ordning"), question(
        open_round, Question.Kind.TEXT, "vald"
    )


def _text(report, q):
    answer = Answer.objects.filter(report=report, question=q).first()
    return answer.text if answer else None


def test_autosave_keeps_the_other_answers_and_marks_the_refused_one(world, open_round, report, texts):
    refused, other = texts
    client = world.client("ledamot")
    data = form_data(open_round, **{f"q{refused.pk}": f"Gäller {PERSONNUMMER}", f"q{other.pk}": "Klotter"})
    data[f"q{refused.pk}_level"] = Level.OPPEN
    response = client.post(edit_url(report), data, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert response.status_code == 200
    assert _text(report, other) == "Klotter"
    assert _text(report, refused) is None
    # The status line (role=status, read out) names the one answer; its slot beside it holds the error.
    assert "Övriga svar är sparade, men inte:" in fragment
    assert f'href="#id_q{refused.pk}"' in fragment
    assert (
        f'<div id="fel-q{refused.pk}" class="question__errors" hx-swap-oob="true" data-for="id_q{refused.pk}"'
        in fragment
    )
    assert f'id="id_q{refused.pk}_error"' in fragment and "19121212-****" in fragment
    assert PERSONNUMMER not in fragment
    # The other answers' slots are emptied (an error corrected since is cleared there).
    assert (
        f'<div id="fel-q{other.pk}" class="question__errors" hx-swap-oob="true" data-for="id_q{other.pk}" data-acknowledge=""></div>'
        in fragment
    )
    # Later edits of other answers keep saving while the refused text is still in its field.
    data[f"q{other.pk}"] = "Klotter och skadegörelse"
    client.post(edit_url(report), data, HTTP_HX_REQUEST="true")
    assert _text(report, other) == "Klotter och skadegörelse"


def test_a_phone_number_asks_for_the_answers_own_tick_box_at_once(world, open_round, report, texts):
    warned, other = texts
    client = world.client("ledamot")
    data = form_data(open_round, **{f"q{warned.pk}": f"Ring {PHONE}", f"q{other.pk}": "Lugnt"})
    fragment = client.post(edit_url(report), data, HTTP_HX_REQUEST="true").content.decode()
    assert f'data-for="id_q{warned.pk}" data-acknowledge="1"' in fragment
    assert "Jag har kontrollerat texten" in fragment
    assert _text(report, other) == "Lugnt" and _text(report, warned) is None
    # Ticking the answer's own box saves it.
    fragment = client.post(
        edit_url(report), {**data, f"q{warned.pk}_ack": "on"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Utkast sparat" in fragment
    assert _text(report, warned) == f"Ring {PHONE}"
    # What the saved answer holds was confirmed: later saves (the box no longer posted) are not asked again.
    data[f"q{other.pk}"] = "Lugnt i helgen"
    fragment = client.post(edit_url(report), data, HTTP_HX_REQUEST="true").content.decode()
    assert "Utkast sparat" in fragment and _text(report, other) == "Lugnt i helgen"


def test_the_tick_box_sits_beside_its_answer_and_hides_until_asked_for(world, open_round, report, texts):
    warned, _other = texts
    body = world.client("ledamot").get(edit_url(report)).content.decode()
    assert f'id="bekrafta-q{warned.pk}" hidden' in body
    assert 'name="acknowledge_personal_data"' not in body  # no form-wide box at the end any more


def test_without_javascript_the_other_answers_save_and_the_field_is_marked(world, open_round, report, texts):
    refused, other = texts
    client = world.client("ledamot")
    data = form_data(
        open_round, **{f"q{refused.pk}": f"Ring {PHONE}", f"q{other.pk}": "Klotter", "action": "save"}
    )
    response = client.post(edit_url(report), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert _text(report, other) == "Klotter" and _text(report, refused) is None
    assert "Övriga svar är sparade." in body
    assert f'id="bekrafta-q{refused.pk}">' in body  # shown, not hidden
    assert f'aria-invalid="true" aria-describedby="id_q{refused.pk}_helptext id_q{refused.pk}_error"' in body
    assert f"Ring {PHONE}</textarea>" in body  # the writer's text stays in the field
    response = client.post(edit_url(report), {**data, f"q{refused.pk}_ack": "on"})
    assert response.status_code == 302 and _text(report, refused) == f"Ring {PHONE}"


def test_a_refused_answer_holds_back_the_submission_not_the_draft(world, open_round, report, texts):
    refused, other = texts
    client = world.client("ledamot")
    data = {
        **form_data(open_round, **{f"q{refused.pk}": f"Gäller {PERSONNUMMER}", f"q{other.pk}": "Klotter"}),
        **all_required(open_round),
        "action": "submit",
    }
    body = client.post(edit_url(report), data).content.decode()
    assert "Utkastet är sparat men inte inskickat" in body and "Övriga svar är sparade." in body
    assert Report.objects.get(pk=report.pk).status == Report.Status.UTKAST
    assert _text(report, other) == "Klotter"


def test_the_service_saves_the_others_or_nothing(world, open_round, report, texts):
    refused, other = texts
    answers = {
        refused.pk: {"text": f"Gäller {PERSONNUMMER}", "level": Level.INTERN},
        other.pk: {"text": "Klotter", "level": Level.INTERN},
        question(open_round, Question.Kind.STATUS).pk: {"status": "lila", "level": Level.INTERN},
    }
    user = world.users["ledamot"]
    # Without a place to put refusals (the API): every refused answer named, nothing saved.
    with pytest.raises(ValidationError) as exc:
        report_save(report=report, answers=answers, acting_user=user)
    status_q = question(open_round, Question.Kind.STATUS)
    assert set(exc.value.message_dict) == {f"q{refused.pk}", f"q{status_q.pk}"}
    assert not Answer.objects.filter(report=report).exists()
    # With one (the form): the others save.
    refusals: dict[str, list[str]] = {}
    report_save(report=report, answers=answers, acting_user=user, conflicts=[], refused=refusals)
    assert set(refusals) == {f"q{refused.pk}", f"q{status_q.pk}"}
    assert _text(report, other) == "Klotter" and _text(report, refused) is None
