"""The actions API: actions, work orders, follow-ups and the plan as a spreadsheet (one module each)."""

from ninja import Router

from samverkan.actions.api import actions, excel, followup, indicators, workorders

router = Router()
for _module in (actions, indicators, workorders, followup, excel):
    router.add_router("", _module.router)

__all__ = ["router"]
