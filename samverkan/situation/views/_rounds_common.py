"""What the rounds, reports and templates views share: the scoped collaboration fetch and the routes' bases."""

from __future__ import annotations

from typing import Any

from samverkan.core import selectors as core_selectors
from samverkan.core.http import AuthenticatedRequest
from samverkan.core.models import Collaboration

BASE = "samverkan/<int:collaboration_id>/lagesbild/"
ROUND = BASE + "omgangar/<int:round_id>/"
REPORT = ROUND + "rapporter/<int:report_id>/"
TEMPLATE = BASE + "mallar/<int:template_id>/"


def scoped_collaboration(
    request: AuthenticatedRequest, collaboration_id: int, require: Any = None
) -> Collaboration:
    return core_selectors.get_collaboration_for_user(request.user, collaboration_id, require=require)


def collaboration_organisations(collaboration: Collaboration) -> Any:
    return core_selectors.organisation_list(user=None, collaboration=collaboration)
