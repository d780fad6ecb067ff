"""The agreements API: agreements and focus areas, groups, citizen promises (one module each)."""

from ninja import Router

from samverkan.agreements.api import agreements, groups, promises

router = Router()
for _module in (agreements, groups, promises):
    router.add_router("", _module.router)

__all__ = ["router"]
