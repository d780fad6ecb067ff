"""Two-step verification (TOTP): who must use it, and who has it. Sessions and API tokens ask the same."""

from __future__ import annotations

from typing import Any

from samverkan.core.models import decode_roles
from samverkan.core.visibility import membership_rows


def mfa_required_for(user: Any) -> bool:
    """True when one of the user's memberships has a role its collaboration requires TOTP for."""
    return any(role in decode_roles(required) for _cid, role, required, _org in membership_rows(user))


def has_totp(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
