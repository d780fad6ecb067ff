"""The lägesbild API: templates, rounds and reports, events and places, joint pictures.

``router`` holds one router per part, in the order the API has always listed them.
"""

from ninja import Router

from samverkan.situation.api import events, pictures, rounds, templates

# Operation ids are part of the published contract (generated clients name their methods after them),
# so each part keeps the id prefix of the module it was first published from.
_PUBLISHED_AS = (
    (templates.router, "samverkan.api.routers.situation_templates"),
    (rounds.router, "samverkan.api.routers.situation_rounds"),
    (events.router, "samverkan.api.routers.situation_events"),
    (pictures.router, "samverkan.api.routers.situation_pictures"),
)

router = Router()
for part, module in _PUBLISHED_AS:
    for view in part.path_operations.values():
        for operation in view.operations:
            operation.operation_id = f"{module}_{operation.view_func.__name__}".replace(".", "_")
    router.add_router("", part)

__all__ = ["router"]
