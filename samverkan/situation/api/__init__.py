"""The lägesbild API: templates, rounds and reports, events and places, joint pictures.

``router`` holds one router per part, in the order the API has always listed them.
"""

from ninja import Router

from samverkan.situation.api import events, pictures, rounds, templates

router = Router()
for _part in (templates, rounds, events, pictures):
    router.add_router("", _part.router)

__all__ = ["router"]
