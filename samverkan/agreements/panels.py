"""The agreements' panel on the collaboration home: the agreement in force and what it lacks."""

from __future__ import annotations

from django.utils import timezone

from samverkan.agreements import selectors
from samverkan.core import permissions
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.core.panels import AGREEMENT_STEP, Panel

# An agreement ending within this many days is flagged, so its renewal can be prepared in time.
ENDS_SOON_DAYS = 60


def current_agreement(request: AuthenticatedRequest, collaboration: Collaboration) -> Panel:
    """The current agreement the user may read, flagged when it ends soon (or has ended) or is unsigned."""
    user = request.user
    agreement = selectors.current_agreement(user=user, collaboration=collaboration)
    context: dict[str, object] = {
        "agreement": agreement,
        "can_edit": permissions.can_edit_agreements(user, collaboration),
    }
    if agreement is not None:
        days_left = (agreement.end_date - timezone.localdate()).days
        context.update(
            days_left=days_left,
            has_ended=days_left < 0,
            ends_soon=0 <= days_left <= ENDS_SOON_DAYS,
            unsigned=selectors.signatory_count(user=user, agreement=agreement) == 0,
        )
    return Panel(template="agreements/panels/current_agreement.html", context=context, step=AGREEMENT_STEP)
