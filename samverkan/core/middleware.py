"""Request middleware: two-step verification for the roles a collaboration names; Swedish first."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation

from samverkan.core.mfa import has_totp, mfa_required_for

# Paths a user without TOTP must still reach: to set it up, log out, switch language, get assets.
_EXEMPT_PREFIXES = ("/konto/", "/i18n/", "/static/", "/api/", "/admin/logout/", "/offentlig/")


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
