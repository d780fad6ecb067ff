"""Who may do what with yearly evaluations (named predicates, as core.permissions)."""

from __future__ import annotations

from typing import Any

from samverkan.core.models import Collaboration, Role
from samverkan.core.visibility import membership_roles


def can_edit_evaluation(user: Any, collaboration: Collaboration) -> bool:
    """Generate, write, record the group's approval and start the next plan: the samordnare."""
    return membership_roles(user).get(collaboration.pk) == Role.SAMORDNARE


def can_release_public_evaluation(user: Any, version: Any) -> bool:
    """Release the public version: a samordnare who is not the one who recorded the approval (a second
    pair of eyes on what goes out, as for the minutes)."""
    if membership_roles(user).get(version.collaboration_id) != Role.SAMORDNARE:
        return False
    return version.approved_by_id is None or version.approved_by_id != user.pk
