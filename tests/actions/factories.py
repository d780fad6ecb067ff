"""Rows for the action plan's tests: a plan, a problem with a cause, an action tied to it, a work order.

(The plan helper's part comes first; the follow-up's tests may add theirs below.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from samverkan.actions.models import Action, ActionPlan, WorkOrder
from samverkan.analysis.models import Cause, Problem
from samverkan.core.models import Level
from tests.api.conftest import BASE


def make_plan(collaboration: Any, **fields: Any) -> ActionPlan:
    values = {
        "title": "Åtgärdsplan 2024–2026",
        "start_date": dt.date(2024, 1, 1),
        "end_date": dt.date(2026, 12, 31),
        "level": Level.OPPEN,
        **fields,
    }
    return ActionPlan.objects.create(collaboration=collaboration, **values)


def make_cause(
    collaboration: Any, *, level: str = Level.INTERN, text: str = "Mörk gångtunnel", **fields: Any
) -> Cause:
    problem = Problem.objects.create(
        collaboration=collaboration,
        level=level,
        title=fields.pop("problem_title", "Skadegörelse vid stationen"),
    )
    return Cause.objects.create(
        collaboration=collaboration, problem=problem, level=level, text=text, bone=Cause.Bone.PLATS, **fields
    )


def make_action(plan: ActionPlan, responsible: Any, *, number: int | None = None, **fields: Any) -> Action:
    if number is None:
        number = (plan.actions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    values = {"title": "Belysning i gångtunneln", "level": Level.INTERN, **fields}
    return Action.objects.create(
        collaboration=plan.collaboration, plan=plan, number=number, responsible=responsible, **values
    )


def make_work_order(collaboration: Any, organisation: Any, **fields: Any) -> WorkOrder:
    values = {
        "title": "Inventera belysningen",
        "level": Level.INTERN,
        "due_on": dt.date(2026, 12, 15),
        **fields,
    }
    return WorkOrder.objects.create(collaboration=collaboration, organisation=organisation, **values)


@pytest.fixture(name="api")
def api_fixture(world, client):
    """``api(persona, method, path, data=None)`` as in tests/api (one token per persona)."""
    from samverkan.core.services import api_token_create

    tokens: dict[str, str] = {}

    def call(persona, method, path, data=None):
        if persona not in tokens:
            tokens[persona] = api_token_create(user=world.users[persona], name="test")[1]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[persona]}"}
        if data is not None:
            return getattr(client, method)(BASE + path, data=data, content_type="application/json", **headers)
        return getattr(client, method)(BASE + path, **headers)

    return call
