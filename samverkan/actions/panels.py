"""The follow-up panel on the collaboration home: the actions to raise at the next meeting."""

from __future__ import annotations

from samverkan.actions.selectors.flags import flags_for_collaboration
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.core.panels import Panel

FOLLOWUP_STEP = 6  # core.cycle.STEPS: "Uppföljning och utvärdering"
PANEL_LENGTH = 5


def next_meeting_flags(request: AuthenticatedRequest, collaboration: Collaboration) -> Panel | None:
    """The most urgent flagged actions (escalated, red, overdue, never followed up); none: no panel."""
    flags = flags_for_collaboration(request.user, collaboration)
    if not flags:
        return None
    return Panel(
        template="actions/followup_panel.html",
        context={
            "flags": flags[:PANEL_LENGTH],
            "more": max(len(flags) - PANEL_LENGTH, 0),
            "collaboration": collaboration,
        },
        step=FOLLOWUP_STEP,
        stylesheets=("actions/followup.css",),
    )
