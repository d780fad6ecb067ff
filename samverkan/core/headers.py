"""Response headers that keep pages where they belong.

- Permissions-Policy: the product uses no camera, microphone, location, payment or USB.
- Cache-Control: no-store on everything served to a signed-in user or an API token (pages, exports,
  API answers): on a shared municipal computer the browser must not keep police information on disk.
The Content-Security-Policy itself comes from django-csp (settings.CONTENT_SECURITY_POLICY).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
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
