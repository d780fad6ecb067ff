"""Steps 4–6 of the cycle: the action plan, its actions and indicators, work orders and follow-up."""

from .followup import FollowUp, IndicatorValue, Rating
from .plan import Action, ActionIndicator, ActionPlan, PlanVersion, PlanVersionItem
from .workorders import WorkOrder, WorkOrderDigest

__all__ = [
    "Action",
    "ActionIndicator",
    "ActionPlan",
    "FollowUp",
    "IndicatorValue",
    "PlanVersion",
    "PlanVersionItem",
    "Rating",
    "WorkOrder",
    "WorkOrderDigest",
]
