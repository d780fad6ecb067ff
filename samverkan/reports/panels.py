"""The reports' panel on the collaboration home: the latest yearly evaluation and where it stands, so
the samordnare and the members find it (one query)."""

from __future__ import annotations

from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration
from samverkan.core.panels import Panel
from samverkan.reports.models import EvaluationVersion
from samverkan.reports.permissions import can_edit_evaluation

# Step 6 of the cycle (core.cycle): follow up and evaluate.
EVALUATION_STEP = 6


def latest_evaluation(request: AuthenticatedRequest, collaboration: Collaboration) -> Panel:
    """The newest evaluation's latest version (the home page is already scoped to members)."""
    latest = (
        EvaluationVersion.objects.filter(collaboration=collaboration)
        .select_related("evaluation")
        .order_by("-evaluation__year", "-number")
        .first()
    )
    return Panel(
        template="reports/panels/latest_evaluation.html",
        context={"version": latest, "can_edit": can_edit_evaluation(request.user, collaboration)},
        step=EVALUATION_STEP,
    )
