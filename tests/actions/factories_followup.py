"""Rows for the follow-up tests, written straight to the database (a level the test names, no service)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from samverkan.actions.models import Action, ActionIndicator, ActionPlan, FollowUp, IndicatorValue
from samverkan.core.models import Collaboration, Level


def make_plan(collaboration: Collaboration, **fields: Any) -> ActionPlan:
    values: dict[str, Any] = {
        "title": "Åtgärdsplan 2025–2027",
        "start_date": dt.date(2025, 1, 1),
        "end_date": dt.date(2027, 12, 31),
        "status": ActionPlan.Status.FASTSTALLD,
        "level": Level.OPPEN,
    }
    values.update(fields)
    return ActionPlan.objects.create(collaboration=collaboration, **values)


def make_action(plan: ActionPlan, responsible: Any, **fields: Any) -> Action:
    number = (plan.actions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    values: dict[str, Any] = {
        "number": number,
        "title": f"Åtgärd {number}",
        "start_date": dt.date(2025, 2, 1),
        "end_date": dt.date(2027, 6, 30),
        "status": Action.Status.PAGAR,
        "level": Level.OPPEN,
    }
    values.update(fields)
    return Action.objects.create(
        collaboration=plan.collaboration, plan=plan, responsible=responsible, **values
    )


def make_indicator(action: Action, **fields: Any) -> ActionIndicator:
    values: dict[str, Any] = {
        "name": "Anmälda skadegörelsebrott",
        "baseline": Decimal(40),
        "target": Decimal(30),
        "direction": ActionIndicator.Direction.MINSKA,
        "level": action.level,
    }
    values.update(fields)
    return ActionIndicator.objects.create(collaboration=action.collaboration, action=action, **values)


def make_followup(action: Action, day: dt.date, rating: str, **fields: Any) -> FollowUp:
    values: dict[str, Any] = {"level": action.level, "restricted_to": action.restricted_to}
    values.update(fields)
    return FollowUp.objects.create(
        collaboration=action.collaboration, action=action, followed_up_on=day, rating=rating, **values
    )


def make_value(followup: FollowUp, indicator: ActionIndicator, value: Any, **fields: Any) -> IndicatorValue:
    return IndicatorValue.objects.create(
        collaboration=followup.collaboration,
        followup=followup,
        indicator=indicator,
        value=Decimal(value),
        measured_on=followup.followed_up_on,
        level=followup.level,
        **fields,
    )
