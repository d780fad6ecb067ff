"""Request middleware: two-step verification for the roles a collaboration names; Swedish first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation

from samverkan.core.models import decode_roles
from samverkan.core.visibility import membership_rows

# Paths a user without TOTP must still reach: to set it up, log out, switch language, get assets.
_EXEMPT_PREFIXES = ("/konto/", "/i18n/", "/static/", "/api/", "/admin/logout/", "/offentlig/")


def mfa_required_for(user: Any) -> bool:
    """True when one of the user's memberships has a role its collaboration requires TOTP for."""
    return any(role in decode_roles(required) for _cid, role, required in membership_rows(user))


def has_totp(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_EXEMPT_PREFIXES)
            and mfa_required_for(user)
            and not has_totp(user)
        ):
            return redirect("core:mfa_required")
        return self.get_response(request)


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the user has chosen another language (the language cookie).

    Django's own middleware would follow the browser's Accept-Language; a Swedish public-sector
    service shows Swedish to everyone by default and lets each user switch.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
