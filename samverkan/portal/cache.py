"""Conditional GET and a page cache for the anonymous public pages, keyed by what they show.

A public page is a function of its path, its language and the ``PublicRevision`` of what it shows (one
collaboration's, or the sum of all for the list of collaborations). The revision is read FIRST, before the
page's content: a change that commits in between is then at worst a newer page kept under the older key,
never an older page under the newer one. The revision lives in the database, so the key is right in a
per-process memory cache as much as in a shared one; the key also holds the database's epoch
(``core.publication.database_epoch``), so a shared cache that outlives a flushed or reset database never
serves its pages again when the new database's revisions reach the same numbers.

Each cached page also remembers when it was rendered: that is its ``Last-Modified`` (a publish makes a new
page, rendered after it), so a client that revalidates with ``If-Modified-Since`` gets a 304 too while the
page stands (``If-None-Match`` wins when both are sent, as RFC 9110 says; Django's helper does that).

Only an anonymous visitor with no session, no pending messages and no query string gets a cached page, a
304 or caching headers (``public`` only for a page without a CSRF token, e.g. a PDF; ``private`` for one
with a form, whose token is the visitor's own; a 304 the same as its 200, a 412 none); everyone else gets the page as before (and ``SecurityHeadersMiddleware``
marks a signed-in user's copy ``no-store, private``). The page is cached with a placeholder where the
CSRF token goes, and each response gets the visitor's own token, so no token is ever shared.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from samverkan.core.publication import database_epoch

# How long a browser or proxy may reuse a public page without asking (then a 304 is cheap).
PAGE_MAX_AGE = 60
# How long the server keeps a rendered page; a publish makes it unreachable long before that.
CACHE_SECONDS = 60 * 60
CSRF_PLACEHOLDER = "samverkan-csrf-token-placeholder"
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")

View = Callable[..., HttpResponseBase]


def is_cacheable(request: HttpRequest) -> bool:
    """A request whose answer is the same for every anonymous visitor in its language."""
    user = getattr(request, "user", None)
    return (
        request.method in ("GET", "HEAD")
        and not getattr(user, "is_authenticated", False)
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _fingerprint(request: HttpRequest, revision: int | str) -> str:
    # The database's epoch beside the revision: a revision number comes round again after a flush or a
    # demo reset, the epoch never does.
    return hashlib.blake2b(
        f"{request.path}\x1f{get_language()}\x1f{database_epoch()}\x1f{revision}".encode(), digest_size=12
    ).hexdigest()


def _with_token(request: HttpRequest, content: bytes) -> bytes:
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder not in content:
        return content
    return content.replace(placeholder, get_token(request).encode())


def public_page(revision: Callable[..., int | str]) -> Callable[[View], View]:
    """Serve the view's 200 answers from the cache and answer ``If-None-Match`` with 304 for anonymous
    visitors; ``revision(**view_kwargs)`` is the revision of what the page shows."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not is_cacheable(request):
                return view(request, *args, **kwargs)
            fingerprint = _fingerprint(request, revision(**kwargs))
            etag = f'W/"{fingerprint}"'
            key = f"portal:page:{fingerprint}"
            stored = cache.get(key)
            if stored is not None and len(stored) != 3:
                stored = None  # kept by an earlier release (a shared cache outlives a deployment)
            # Whole seconds: an HTTP date has no finer grain, and If-Modified-Since is compared with it.
            rendered_at = stored[2] if stored is not None else None
            conditional = get_conditional_response(request, etag=etag, last_modified=rendered_at)
            if conditional is not None and conditional.status_code != 304:
                return conditional  # 412 (If-Match): not the page, so none of its caching headers
            if stored is None:
                # Also for a 304: it carries the caching headers of the 200 it stands for, and whether
                # those are public is known from the page (rendered once, then kept for the next visitor).
                # Only while the view renders: an error page rendered after it raised (404) or any answer
                # not cached below must carry the visitor's real token.
                request.portal_csrf_placeholder = True  # type: ignore[attr-defined]
                try:
                    response = view(request, *args, **kwargs)
                finally:
                    request.portal_csrf_placeholder = False  # type: ignore[attr-defined]
                if getattr(response, "streaming", False):
                    return response
                if response.status_code != 200:
                    response.content = _with_token(request, response.content)  # type: ignore[attr-defined]
                    return response
                content = response.content  # type: ignore[attr-defined]
                headers = {name: response[name] for name in KEPT_HEADERS if name in response}
                rendered_at = _newer_than_last(request)
                cache.set(key, (content, headers, rendered_at), CACHE_SECONDS)
            else:
                content, headers, rendered_at = stored
            # A page with a form carries the visitor's own CSRF token (and a Set-Cookie for a first
            # visitor): a shared proxy must not keep it for the next visitor, only the browser may.
            shared = CSRF_PLACEHOLDER.encode() not in content
            if conditional is not None:
                return _cacheable(conditional, etag, rendered_at, shared=shared)
            page = HttpResponse(_with_token(request, content))
            for name, value in headers.items():
                page[name] = value
            return _cacheable(page, etag, rendered_at, shared=shared)

        return wrapper

    return decorate


def _newer_than_last(request: HttpRequest) -> int:
    """Now, in whole seconds, but later than the last page rendered for this path and language: a page
    published in the same second as the one it replaces must not look unchanged to If-Modified-Since."""
    key = f"portal:rendered:{_fingerprint(request, 'last')}"
    rendered_at = max(int(time.time()), (cache.get(key) or 0) + 1)
    cache.set(key, rendered_at, CACHE_SECONDS)
    return rendered_at


def _cacheable(response: HttpResponseBase, etag: str, rendered_at: int, *, shared: bool) -> HttpResponseBase:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(rendered_at)
    if shared:
        patch_cache_control(response, public=True, max_age=PAGE_MAX_AGE)
    else:
        patch_cache_control(response, private=True, max_age=PAGE_MAX_AGE)
    patch_vary_headers(response, ("Cookie",))  # the language is chosen by a cookie
    return response


def csrf_placeholder(request: HttpRequest) -> dict[str, Any]:
    """Template context: the CSRF token's placeholder while a public page is rendered for the cache."""
    if getattr(request, "portal_csrf_placeholder", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}
