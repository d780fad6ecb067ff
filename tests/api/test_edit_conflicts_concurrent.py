"""Edit conflicts under real concurrency (PostgreSQL): two writers, each in its own thread with its own
database connection, send the same version of the same text at the same moment, twenty times over.
Each time exactly one save wins and the other gets 409 with the winner's text; no text disappears.

Before versions both saves "won" every round and one text silently vanished (issue 10: 40 of 40). The
check must hold under the database's own locking, so a pause is put between reading the version and
writing the row: without the row lock both writers would read the same version in that window.
SQLite serialises whole transactions differently (no SELECT … FOR UPDATE), so the threaded test runs on
PostgreSQL only; the sequential tests in test_edit_conflicts.py cover both databases.
"""

from __future__ import annotations

import threading
import time
from functools import partial
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from samverkan.core import conflicts
from samverkan.core.services import api_token_create

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="threads with row locks: PostgreSQL"),
    pytest.mark.usefixtures("reference_reloaded", "reference_restored_after_module"),
]
ROUNDS = 20


@pytest.fixture
def slow_write(monkeypatch) -> None:
    """Widen the window between reading the version and writing the row."""
    check = conflicts.check_version

    def check_then_pause(*args: Any, **kwargs: Any) -> int:
        version = check(*args, **kwargs)
        time.sleep(0.05)
        return version

    monkeypatch.setattr("samverkan.core.content.check_version", check_then_pause)
    monkeypatch.setattr("samverkan.situation.services.picture.check_version", check_then_pause)


def _both_at_once(calls: list[Any]) -> list[Any]:
    """Run each call in its own thread (own DB connection), released together; their responses."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = calls[i]()
        except Exception as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _caller(user: Any) -> Any:
    token = api_token_create(user=user, name="samtidigt")[1]
    header = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def call(method: str, path: str, body: dict[str, Any]) -> Any:
        return getattr(Client(), method)(
            "/api/v1" + path, data=body, content_type="application/json", **header
        )

    return call


def _cases(world: Any) -> dict[str, tuple[str, str, Any]]:
    """name → (method, path, body(text, version))."""
    from samverkan.situation.models import Question

    round_ = world.situation["A"]["round"]
    text_q = Question.objects.get(section__template=round_.template, section__area_code="vald", kind="text")
    report = world.situation["A"]["report"]
    return {
        "summary": (
            "put",
            f"/joint-pictures/{round_.pk}/summaries/vald",
            lambda text, v: {"text": text, "level": "intern", "version": v},
        ),
        "answer": (
            "put",
            f"/reports/{report.pk}/answers",
            lambda text, v: {str(text_q.pk): {"text": text, "version": v}},
        ),
        "agreement": (
            "patch",
            f"/agreements/{world.agreements['A']['agreement'].pk}",
            lambda text, v: {"purpose": text, "version": v},
        ),
        "notice": (
            "patch",
            f"/notices/{world.notices['intern'].pk}",
            lambda text, v: {"body": text, "version": v},
        ),
    }


def _saved_text(world: Any, case: str) -> tuple[str, int]:
    from samverkan.agreements.models import Agreement
    from samverkan.core.models import Notice
    from samverkan.situation.models import Answer, AreaSummary

    if case == "summary":
        row: Any = AreaSummary.objects.get(picture=world.situation["A"]["picture"], section__area_code="vald")
        return row.text, row.version
    if case == "answer":
        row = Answer.objects.get(report=world.situation["A"]["report"], question__kind="text")
        return row.text, row.version
    if case == "agreement":
        row = Agreement.objects.get(pk=world.agreements["A"]["agreement"].pk)
        return row.purpose, row.version
    row = Notice.objects.get(pk=world.notices["intern"].pk)
    return row.body, row.version


@pytest.mark.parametrize("case", ["summary", "answer", "agreement", "notice"])
def test_two_saves_of_the_same_version_at_once_one_wins_one_gets_409(world, samordnare2, slow_write, case):
    method, path, body = _cases(world)[case]
    anna, bertil = _caller(world.users["samordnare"]), _caller(samordnare2)
    for n in range(ROUNDS):
        _text, version = _saved_text(world, case)
        texts = {"anna": f"Annas text {n}", "bertil": f"Bertils text {n}"}
        responses = _both_at_once(
            [
                partial(anna, method, path, body(texts["anna"], version)),
                partial(bertil, method, path, body(texts["bertil"], version)),
            ]
        )
        statuses = sorted(getattr(r, "status_code", repr(r)) for r in responses)
        assert statuses == [200, 409], f"round {n}: {statuses}"
        _winner, loser = sorted(responses, key=lambda r: r.status_code)
        saved, now = _saved_text(world, case)
        assert now == version + 1
        assert saved in texts.values()
        # The loser is told what won, beside their own text: nothing is lost unseen.
        (conflict,) = loser.json()["conflicts"]
        assert conflict["saved"] == saved and conflict["sent"] in texts.values() and conflict["sent"] != saved
