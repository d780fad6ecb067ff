"""The agreements API: agreements and focus areas, groups, citizen promises (one module each)."""

from ninja import Router

from samverkan.agreements.api import agreements, groups, promises

router = Router()
for _module in (agreements, groups, promises):
    # Clients generated from the OpenAPI document call operations by id, which ninja derives from the
    # module path: keep the ids the operations had under samverkan/api/routers/.
    for _view in _module.router.path_operations.values():
        for _operation in _view.operations:
            _operation.operation_id = _operation.operation_id or (
                f"samverkan_api_routers_{_module.__name__.rsplit('.', 1)[1]}_{_operation.view_func.__name__}"
            )
    router.add_router("", _module.router)

__all__ = ["router"]
