"""Panels of the collaboration home: what needs the user now, contributed by each app.

An app names its panel functions on its AppConfig (``home_panels``, see ``samverkan.core.registry``).
A panel function takes the request and the collaboration (already fetched for the user) and returns a
``Panel`` or None (nothing to show this user). It reads only through its app's selectors, which scope
and filter by visibility, and must not run a query per row: the home page has a query budget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from samverkan.core import selectors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.core.registry import home_panel_functions

# Where a panel stands on the page: its step of the cycle (core.cycle.STEPS); the agreement frames them
# all, so it comes first, and panels without a step (notices) come after the cycle.
AGREEMENT_STEP = 0


@dataclass(frozen=True)
class Panel:
    """One section of the collaboration home: a template (it renders its own ``<section>`` and ``<h2>``)
    and its context, available to the template as ``panel``."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    step: int | None = None
    # The app's stylesheets the template needs (static paths), linked once in the page's head.
    stylesheets: tuple[str, ...] = ()


PanelFunction = Callable[[AuthenticatedRequest, Collaboration], Panel | None]


def home_panels(request: AuthenticatedRequest, collaboration: Collaboration) -> list[Panel]:
    """Every app's panels for this user, in cycle order (then app order)."""
    panels = [panel for build in home_panel_functions() if (panel := build(request, collaboration))]
    return sorted(panels, key=lambda p: (p.step is None, p.step or 0))


def panel_stylesheets(panels: list[Panel]) -> list[str]:
    """The panels' stylesheets, each once, in panel order."""
    return list(dict.fromkeys(path for panel in panels for path in panel.stylesheets))


# --- Core's own panels ---------------------------------------------------------------------------


def latest_notices(request: AuthenticatedRequest, collaboration: Collaboration) -> Panel:
    """The five latest notices the user may read (begränsad reads are audit-logged by the selector)."""
    notices = selectors.notices_for_display(user=request.user, collaboration=collaboration, limit=5)
    return Panel(template="core/panels/notices.html", context={"notices": notices})
