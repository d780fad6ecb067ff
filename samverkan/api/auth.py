from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from samverkan.core.services import api_token_authenticate


class BearerToken(HttpBearer):
    """`Authorization: Bearer svk_…`; the user behind the token becomes request.user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = api_token_authenticate(token.strip())
        if user is not None:
            request.user = user
        return user
