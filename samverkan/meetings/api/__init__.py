"""The meetings API: meetings and calendars, the agenda and meeting mode, minutes and decisions (one module
each, added to ``router`` below as they arrive)."""

from types import ModuleType

from ninja import Router

from samverkan.meetings.api import agenda, meetings, minutes

MODULES: tuple[ModuleType, ...] = (meetings, agenda, minutes)

router = Router()
for _module in MODULES:
    router.add_router("", _module.router)

__all__ = ["router"]
