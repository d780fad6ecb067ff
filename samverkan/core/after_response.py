"""Work a page starts once its response has been sent: preparing what the reader is likely to ask for
next (the agenda's draft, from the agenda page), without the page waiting for it.

The work runs when the server closes the response, after the last byte is written (the WSGI server
calls ``close()``; so does Django's test client, so tests see the work done when the request returns),
in the thread that served the request, with the request's language and time zone active again.
It is registered among the response's closers, the hooks Django itself releases a response's resources
by (a ``FileResponse`` closes its file there), which run before ``request_finished`` closes the
database connection. What it does must be safe to skip: a failure is logged and the response, already
sent, is not affected.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpResponseBase
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


def after_response(response: HttpResponseBase, work: Callable[[], object]) -> HttpResponseBase:
    """Run ``work()`` once ``response`` has been sent (see the module); returns ``response``."""
    language = translation.get_language()
    zone = timezone.get_current_timezone()

    def run() -> None:
        try:
            with translation.override(language), timezone.override(zone):
                work()
        except Exception:  # the response is out: nothing to tell the reader, everything to tell the log
            logger.exception("Work after the response failed: %r", work)

    # Django's own list of what to do when the response is closed (not public API; it has been there since
    # Django 3.0 and a test of this module fails if it goes).
    response._resource_closers.append(run)  # type: ignore[attr-defined]
    return response
