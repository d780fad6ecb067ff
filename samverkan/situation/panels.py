"""The lägesbild's panels on the collaboration home: the open rounds, and pictures waiting to be agreed."""

from __future__ import annotations

from samverkan.core import permissions
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.core.panels import Panel
from samverkan.situation.selectors import home as selectors

FACTS_STEP = 1  # core.cycle: "Samla fakta"
PICTURE_STEP = 2  # core.cycle: "Gemensam lägesbild"
# The latest pictures waiting are listed; the rest are counted and linked to the list of pictures.
PICTURES_SHOWN = 3


def open_rounds(request: AuthenticatedRequest, collaboration: Collaboration) -> Panel:
    """The open rounds: period, deadline and completeness; the user's own report; for the samordnare,
    who has not submitted yet."""
    user = request.user
    can_manage = permissions.can_manage_rounds(user, collaboration)
    return Panel(
        template="situation/panels/open_rounds.html",
        context={
            "rounds": selectors.open_rounds(user=user, collaboration=collaboration, with_missing=can_manage),
            "can_manage": can_manage,
            "can_report": permissions.can_report_situation(user, collaboration),
        },
        step=FACTS_STEP,
        stylesheets=("situation/situation.css",),
    )


def pictures_to_agree(request: AuthenticatedRequest, collaboration: Collaboration) -> Panel | None:
    """For the samordnare: joint pictures of closed or complete rounds that nobody has agreed yet."""
    if not permissions.can_edit_joint_picture(request.user, collaboration):
        return None
    # One query: the rounds waiting are few (one a month at most), and a second query to count them cost
    # more to build than the rows cost to read.
    waiting = list(selectors.pictures_to_agree(collaboration=collaboration))
    shown = waiting[:PICTURES_SHOWN]
    if not shown:
        return None
    more = len(waiting) - len(shown)
    return Panel(
        template="situation/panels/pictures_to_agree.html",
        context={"rounds": shown, "more": more},
        step=PICTURE_STEP,
    )
