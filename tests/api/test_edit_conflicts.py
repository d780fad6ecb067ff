"""Edit conflicts through the API: a write from a version someone has saved over since gets 409 with
both texts (detail, current_version, conflicts: field, saved, sent) and writes nothing. Before versions
the later write silently replaced the earlier one. A write without ``version`` is an older client: it
goes ahead and moves the version on."""

from __future__ import annotations

from typing import Any

import pytest

from samverkan.situation.models import AreaSummary

# --- Area summaries ---------------------------------------------------------------------------------


def _summary(world) -> AreaSummary:
    return AreaSummary.objects.get(picture__round=world.situation["A"]["round"], section__area_code="vald")


def _put(api, persona: str, world, text: str, **extra: Any) -> Any:
    round_ = world.situation["A"]["round"]
    body = {"text": text, "level": "intern", **extra}
    return api(persona, "put", f"/joint-pictures/{round_.pk}/summaries/vald", body)


def test_the_picture_and_a_save_return_the_summary_version(api, world):
    round_ = world.situation["A"]["round"]
    picture = api("samordnare", "get", f"/joint-pictures/{round_.pk}").json()
    vald = next(a for a in picture["areas"] if a["area_code"] == "vald")
    assert vald["summary"]["version"] == 1
    saved = _put(api, "samordnare", world, "Annas text", version=1)
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 2


def test_a_stale_api_save_gets_409_with_both_texts_and_the_first_text_stays(api, world, samordnare2):
    assert _put(api, "samordnare", world, "Annas text", version=1).status_code == 200
    response = _put(api, "samordnare2", world, "Bertils text", version=1)
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["current_version"] == 2
    assert {"field": "text", "saved": "Annas text", "sent": "Bertils text"} in body["conflicts"]
    assert "Någon annan har sparat" in body["detail"]
    summary = _summary(world)
    assert (summary.text, summary.version) == ("Annas text", 2)
    # Having read the saved text, the second writer saves from version 2: that goes through.
    merged = _put(api, "samordnare2", world, "Annas och Bertils text", version=2)
    assert merged.status_code == 200 and merged.json()["version"] == 3


def test_a_save_without_a_version_is_an_old_client_and_moves_the_version_on(api, world):
    response = _put(api, "samordnare", world, "Utan version")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert _put(api, "samordnare", world, "Från version 1", version=1).status_code == 409


def test_a_stale_delete_is_refused_and_the_text_stays(api, world, samordnare2):
    round_ = world.situation["A"]["round"]
    path = f"/joint-pictures/{round_.pk}/summaries/vald"
    assert _put(api, "samordnare", world, "Annas text", version=1).status_code == 200
    assert api("samordnare2", "delete", f"{path}?version=1").status_code == 409
    assert _put(api, "samordnare2", world, "", version=1).status_code == 409
    assert _summary(world).text == "Annas text"
    assert api("samordnare2", "delete", f"{path}?version=2").status_code == 204


def test_two_first_summaries_of_an_area_do_not_overwrite_each_other(api, world, samordnare2):
    """Version 0: the writer saw no summary. Someone writing the first one meanwhile is a conflict too."""
    round_ = world.situation["A"]["round"]
    path = f"/joint-pictures/{round_.pk}/summaries/ordning"
    first = api("samordnare", "put", path, {"text": "Först", "version": 0})
    assert first.status_code == 200 and first.json()["version"] == 1
    late = api("samordnare2", "put", path, {"text": "Också först", "version": 0})
    assert late.status_code == 409
    assert late.json()["conflicts"] == [{"field": "text", "saved": "Först", "sent": "Också först"}]


# --- Report answers --------------------------------------------------------------------------------


def _answers_path(world) -> str:
    return f"/reports/{world.situation['A']['report'].pk}/answers"


def _vald(world, kind: str) -> Any:
    from samverkan.situation.models import Question

    template = world.situation["A"]["round"].template
    return Question.objects.get(section__template=template, section__area_code="vald", kind=kind)


def test_a_report_returns_each_answers_version(api, world):
    report = api("samordnare", "get", f"/reports/{world.situation['A']['report'].pk}").json()
    assert {a["version"] for a in report["answers"]} == {1}


def test_a_stale_answer_gets_409_naming_the_question_and_nothing_of_the_call_is_saved(
    api, world, samordnare2
):
    from samverkan.situation.models import Answer

    text_q, status_q = _vald(world, "text"), _vald(world, "status")
    first = api("samordnare", "put", _answers_path(world), {text_q.pk: {"text": "Annas svar", "version": 1}})
    assert first.status_code == 200, first.content
    saved = {a["question"]: a["version"] for a in first.json()["answers"]}
    assert saved[text_q.pk] == 2
    response = api(
        "samordnare2",
        "put",
        _answers_path(world),
        {
            text_q.pk: {"text": "Bertils svar", "version": 1},
            status_q.pk: {"status": "rod", "version": 1},
        },
    )
    assert response.status_code == 409, response.content
    assert response.json()["conflicts"] == [
        {"field": f"q{text_q.pk}.text", "saved": "Annas svar", "sent": "Bertils svar", "current_version": 2}
    ]
    report = world.situation["A"]["report"]
    assert Answer.objects.get(report=report, question=text_q).text == "Annas svar"
    assert Answer.objects.get(report=report, question=status_q).status == "gul"  # all or nothing
    # Without versions (an older client) the call goes ahead as before and moves the versions on.
    old = api("samordnare2", "put", _answers_path(world), {text_q.pk: {"text": "Gammal klient"}})
    assert old.status_code == 200
    assert Answer.objects.get(report=report, question=text_q).version == 3


def test_two_stale_answers_are_both_named(api, world, samordnare2):
    text_q, status_q = _vald(world, "text"), _vald(world, "status")
    api("samordnare", "put", _answers_path(world), {text_q.pk: {"text": "A"}, status_q.pk: {"status": "rod"}})
    response = api(
        "samordnare2",
        "put",
        _answers_path(world),
        {text_q.pk: {"text": "B", "version": 1}, status_q.pk: {"status": "gron", "version": 1}},
    )
    assert response.status_code == 409
    assert {c["field"] for c in response.json()["conflicts"]} == {
        f"q{text_q.pk}.text",
        f"q{status_q.pk}.status",
    }


# --- Agreement texts and notices (PATCH) -------------------------------------------------------------


def _patch_cases(world) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """name → (path, text field, other fields the PATCH needs)."""
    from samverkan.agreements.models import FocusArea

    rows = world.agreements["A"]
    focus = FocusArea.objects.get(agreement=rows["agreement"], title__endswith="OPPEN fokus")
    return {
        "agreement": (f"/agreements/{rows['agreement'].pk}", "purpose", {}),
        "focus_area": (f"/focus-areas/{focus.pk}", "description", {"reason": "Ny inriktning"}),
        "group": (f"/groups/{rows['group'].pk}", "purpose", {}),
        "promise": (f"/promises/{rows['promise'].pk}", "text", {}),
        "notice": (f"/notices/{world.notices['intern'].pk}", "body", {}),
    }


PATCHED = ("agreement", "focus_area", "group", "promise", "notice")


@pytest.mark.parametrize("case", PATCHED)
def test_a_stale_patch_gets_409_with_both_texts_and_the_first_text_stays(api, world, samordnare2, case):
    path, field, extra = _patch_cases(world)[case]
    before = api("samordnare", "get", path).json()
    assert before["version"] == 1
    first = api("samordnare", "patch", path, {field: "Annas text", "version": 1, **extra})
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    late = api("samordnare2", "patch", path, {field: "Bertils text", "version": 1, **extra})
    assert late.status_code == 409, late.content
    body = late.json()
    assert body["current_version"] == 2
    assert body["conflicts"] == [{"field": field, "saved": "Annas text", "sent": "Bertils text"}]
    assert api("samordnare", "get", path).json()[field] == "Annas text"
    # From the current version, or without one (an older client), the PATCH goes through.
    assert (
        api("samordnare2", "patch", path, {field: "Bertils text", "version": 2, **extra}).status_code == 200
    )
    old = api("samordnare2", "patch", path, {field: "Gammal klient", "version": None, **extra})
    assert old.status_code == 200 and old.json()["version"] == 4


def test_the_version_covers_the_whole_row(api, world, samordnare2):
    """Anna changed the title, Bertil the purpose, both from version 1: the version cannot tell that
    Anna left the purpose alone, so Bertil is shown the purpose as saved beside his (the title he did
    not send is never overwritten)."""
    path = f"/agreements/{world.agreements['A']['agreement'].pk}"
    assert api("samordnare", "patch", path, {"title": "Ny titel", "version": 1}).status_code == 200
    response = api("samordnare2", "patch", path, {"purpose": "Nytt syfte", "version": 1})
    assert response.status_code == 409
    assert response.json()["conflicts"] == [
        {"field": "purpose", "saved": "Tryggare kommun", "sent": "Nytt syfte"}
    ]
    assert api("samordnare", "get", path).json()["title"] == "Ny titel"
