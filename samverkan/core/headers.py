"""Response headers that keep pages where they belong.

- Permissions-Policy: the product uses no camera, microphone, location, payment or USB.
- Cache-Control: no-store on everything served to a signed-in user or an API token (pages, exports,
  API answers): on a shared municipal computer the browser must not keep police information on disk.
The Content-Security-Policy itself comes from django-csp (settings.CONTENT_SECURITY_POLICY).

Every page refuses to be framed (X-Frame-Options DENY, CSP frame-ancestors 'none') except the pages
marked ``frame_embeddable``: the portal's embed page that a kommun puts on its own website.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_vary_headers

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) or "HTTP_AUTHORIZATION" in request.META:
            # Replaces any public caching a view set: what a member sees is theirs alone.
            if "Cache-Control" in response:
                del response["Cache-Control"]
            add_never_cache_headers(response)
            response["Cache-Control"] += ", private"
            patch_vary_headers(response, ("Cookie", "Authorization"))
        return response


def frame_embeddable(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Let other sites frame this one view: no X-Frame-Options, CSP frame-ancestors from
    ``settings.SAMVERKAN_EMBED_FRAME_ANCESTORS`` (the kommuner's own sites; any site by default, the page
    being public and without a form). Outermost decorator: a cached answer is a new response object."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response.xframe_options_exempt = True  # type: ignore[attr-defined]
        ancestors = list(getattr(settings, "SAMVERKAN_EMBED_FRAME_ANCESTORS", ["*"])) or ["'none'"]
        response._csp_replace = {"frame-ancestors": ancestors}  # type: ignore[attr-defined]
        return response

    return wrapper
