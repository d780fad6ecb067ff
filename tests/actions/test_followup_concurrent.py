"""Two people rating the same action at the same moment (PostgreSQL, a thread and a connection each), ten
times over: each time both start from "no follow-up this day" (version 0); exactly one is saved (201) and
the other is told (409 with the saved rating beside theirs). Nothing is silently lost, never two rows.

The action row is locked first, so the second writer waits for the first and then finds its row; without
the lock both would create and one would fail on the unique constraint (a 500) or overwrite the other.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from samverkan.actions.models import FollowUp
from samverkan.core.models import Level
from samverkan.core.services import api_token_create
from tests.actions.factories_followup import make_action, make_plan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="threads with row locks: PostgreSQL"),
    pytest.mark.usefixtures("reference_reloaded", "reference_restored_after_module"),
]
ROUNDS = 10


def _caller(user: Any) -> Any:
    token = api_token_create(user=user, name="samtidigt")[1]
    header = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def call(path: str, body: dict[str, Any]) -> Any:
        return Client().post("/api/v1" + path, data=body, content_type="application/json", **header)

    return call


def _both_at_once(calls: list[Any]) -> list[Any]:
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


def test_two_ratings_of_the_same_action_at_once(world):
    plan = make_plan(world.a)
    samordnare, polis = _caller(world.users["samordnare"]), _caller(world.users["polis"])
    for n in range(ROUNDS):
        action = make_action(plan, world.org_a, title=f"Åtgärd {n}", level=Level.INTERN)
        path = f"/actions/{action.pk}/follow-ups"
        day = dt.date.today().isoformat()
        responses = _both_at_once(
            [
                lambda path=path, day=day: samordnare(
                    path, {"followed_up_on": day, "rating": "gron", "done": "Samordnaren", "version": 0}
                ),
                lambda path=path, day=day: polis(
                    path, {"followed_up_on": day, "rating": "rod", "done": "Polisen", "version": 0}
                ),
            ]
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201, 409], [getattr(r, "content", r) for r in responses]
        winner = next(r for r in responses if r.status_code == 201).json()
        loser = next(r for r in responses if r.status_code == 409).json()
        saved = FollowUp.objects.get(action=action)
        assert saved.done == winner["done"]
        told = {c["field"]: c for c in loser["conflicts"]}
        assert told["done"]["saved"] == saved.done and told["done"]["sent"] != saved.done
