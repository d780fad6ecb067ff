"""The actions API: follow-ups (one module per part)."""

from ninja import Router

from samverkan.actions.api import followup

router = Router()
for _module in (followup,):
    router.add_router("", _module.router)

__all__ = ["router"]
