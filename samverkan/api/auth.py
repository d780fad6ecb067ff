from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from samverkan.core.services import TokenRefused, api_token_authenticate


class BearerToken(HttpBearer):
    """`Authorization: Bearer svk_…`; the user behind the token becomes request.user.

    Unknown tokens get the plain 401; a known token that may not be used now (expired, or its user
    must first activate two-step verification) gets a 401 that says why.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        try:
            user = api_token_authenticate(token.strip())
        except TokenRefused as refused:
            raise HttpError(401, str(refused)) from None
        if user is not None:
            request.user = user
        return user
