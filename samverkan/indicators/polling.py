"""Polling the police's open events API (polisen.se/api/events): off by default, polite when on.

The API's published rules: a User-Agent that names the caller on every call, at least 10 seconds between
calls and at most 60 calls in any hour. ``PoliceApiLimiter`` keeps the last hour's call times in the
Django cache, so every process sharing that cache (Redis in production) shares one budget; the clock and
the sleep are injected so the tests need not wait.

A poll imports the answer through ``import_police_events`` as one file, so it is idempotent by police
id, all or nothing, and recomputes the monthly indicators of the months that changed. An answer identical
to one imported before is "no change". Network errors, other statuses than 200 and answers that are not a
JSON array are logged and leave the database as it was; nothing here raises to the caller.
"""

from __future__ import annotations

import io
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from samverkan.indicators.models import ImportRun
from samverkan.indicators.services import DuplicateImportError, ImportFileError, import_police_events

logger = logging.getLogger(__name__)

MIN_INTERVAL_SECONDS = 10.0
MAX_CALLS_PER_HOUR = 60
HOUR = 3600.0
TIMEOUT_SECONDS = 30.0
MAX_RESPONSE_BYTES = 20 * 1024 * 1024  # the API answers with its latest 500 events, ~0.2 MB
CACHE_KEY = "samverkan:polisen-api:calls"
LOCK_KEY = "samverkan:polisen-api:lock"
DEFAULT_URL = "https://polisen.se/api/events"


class PollRefused(Exception):
    """A call the API's rules do not allow now (no User-Agent, or the hour's calls are used up)."""


class PollFailed(Exception):
    """The API could not be reached or answered with something other than a JSON array of events."""


class PollStatus(StrEnum):
    OFF = "off"
    IMPORTED = "imported"
    UNCHANGED = "unchanged"
    REFUSED = "refused"
    FAILED = "failed"


@dataclass(frozen=True)
class PollResult:
    status: PollStatus
    message: str
    run: ImportRun | None = None


def polling_enabled() -> bool:
    return bool(getattr(settings, "SAMVERKAN_POLICE_POLL", False))


def api_url() -> str:
    return str(getattr(settings, "SAMVERKAN_POLICE_API_URL", "") or DEFAULT_URL)


def user_agent() -> str:
    return str(getattr(settings, "SAMVERKAN_POLICE_API_USER_AGENT", "") or "").strip()


class PoliceApiLimiter:
    """At least ``min_interval`` seconds between calls and at most ``max_per_hour`` calls in any hour.

    ``acquire`` waits (``sleep``) for the interval and raises ``PollRefused`` when the hour's calls are
    used up. The call times live in the Django cache; a short cache lock (``cache.add``) keeps two
    processes from taking the same slot.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        min_interval: float = MIN_INTERVAL_SECONDS,
        max_per_hour: int = MAX_CALLS_PER_HOUR,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self.min_interval = min_interval
        self.max_per_hour = max_per_hour

    def calls_in_last_hour(self) -> list[float]:
        now = self.clock()
        return [t for t in cache.get(CACHE_KEY, []) if t > now - HOUR]

    def acquire(self) -> float:
        """Take a call slot: returns the seconds waited; raises ``PollRefused`` if the hour is used up."""
        self._lock()
        try:
            calls = self.calls_in_last_hour()
            if len(calls) >= self.max_per_hour:
                free_in = calls[0] + HOUR - self.clock()
                raise PollRefused(
                    f"{len(calls)} calls in the last hour (at most {self.max_per_hour}); "
                    f"next call allowed in {free_in:.0f} s"
                )
            waited = 0.0
            if calls:
                gap = self.clock() - calls[-1]
                if gap < self.min_interval:
                    waited = self.min_interval - gap
                    self.sleep(waited)
            calls.append(self.clock())
            cache.set(CACHE_KEY, calls, timeout=int(HOUR) + 60)
            return waited
        finally:
            cache.delete(LOCK_KEY)

    def _lock(self) -> None:
        # Held only while a slot is taken (and the interval slept); expires by itself if a process dies.
        for _attempt in range(200):
            if cache.add(LOCK_KEY, 1, timeout=int(self.min_interval) + 30):
                return
            self.sleep(0.1)
        raise PollRefused("another process holds the polling lock")


def fetch_events(url: str, *, agent: str, limiter: PoliceApiLimiter) -> bytes:
    """One call to the API (rules kept by ``limiter``): the body if it is a JSON array, else ``PollFailed``."""
    if not agent:
        raise PollRefused(
            "SAMVERKAN_POLICE_API_USER_AGENT is not set; the API asks every caller to name itself"
        )
    if not url.startswith(("https://", "http://")):
        raise PollRefused(f"SAMVERKAN_POLICE_API_URL must be an http(s) address, not {url!r}")
    limiter.acquire()
    headers = {"User-Agent": agent, "Accept": "application/json"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked above)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
            body: bytes = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise PollFailed(f"HTTP {error.code} from {url}") from error
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        raise PollFailed(f"{url} could not be reached: {error}") from error
    if status != 200:
        raise PollFailed(f"HTTP {status} from {url}")
    if len(body) > MAX_RESPONSE_BYTES:
        raise PollFailed(f"answer from {url} is larger than {MAX_RESPONSE_BYTES} bytes")
    try:
        decoded: Any = json.loads(body)
    except ValueError as error:
        raise PollFailed(f"answer from {url} is not JSON: {error}") from error
    if not isinstance(decoded, list):
        raise PollFailed(f"answer from {url} is not a JSON array of events")
    return body


def poll_police_events(*, limiter: PoliceApiLimiter | None = None, enabled: bool | None = None) -> PollResult:
    """Fetch the API's latest events and import them; a one-line summary is logged and returned.

    Does nothing unless ``SAMVERKAN_POLICE_POLL`` is on (``enabled`` overrides it for tests).
    """
    if not (polling_enabled() if enabled is None else enabled):
        return PollResult(PollStatus.OFF, "polling of polisen.se is off (SAMVERKAN_POLICE_POLL)")
    url = api_url()
    try:
        body = fetch_events(url, agent=user_agent(), limiter=limiter or PoliceApiLimiter())
    except PollRefused as refused:
        result = PollResult(PollStatus.REFUSED, f"police events poll refused: {refused}")
        logger.warning(result.message)
        return result
    except PollFailed as failed:
        result = PollResult(PollStatus.FAILED, f"police events poll failed: {failed}")
        logger.warning(result.message)
        return result

    file_name = f"{url} {timezone.localtime():%Y-%m-%d %H:%M:%S}"
    try:
        run = import_police_events(io.BytesIO(body), file_name=file_name)
    except DuplicateImportError:
        result = PollResult(PollStatus.UNCHANGED, "police events poll: same answer as before, nothing new")
        logger.info(result.message)
        return result
    except ImportFileError as error:
        result = PollResult(
            PollStatus.FAILED, f"police events poll failed: the answer is unreadable: {error}"
        )
        logger.warning(result.message)
        return result
    c = run.counts
    result = PollResult(
        PollStatus.IMPORTED,
        f"police events poll: {c['lines']} events, {c['imported']} new, {c['updated']} updated, "
        f"{c['unchanged']} unchanged, {c['skipped']} skipped (import {run.pk})",
        run,
    )
    logger.info(result.message)
    return result
