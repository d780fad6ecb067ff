"""``core.after_response``: work registered by a page runs once its response is closed (sent), in the
request's language and time zone, and a failure in it is logged, never raised into the server."""

from __future__ import annotations

import logging
import zoneinfo

import pytest
from django.http import HttpResponse
from django.utils import timezone, translation

from samverkan.core.after_response import after_response

# Closing a response sends request_finished, on which Django closes the database connection.
pytestmark = pytest.mark.django_db


def test_the_work_runs_when_the_response_is_closed_in_the_requests_language_and_zone():
    seen: list[tuple[str, str]] = []
    response = HttpResponse("sida")
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Europe/Stockholm")):
        after_response(
            response, lambda: seen.append((translation.get_language(), str(timezone.get_current_timezone())))
        )
    assert seen == []  # not while the page is still being served
    with translation.override("sv"), timezone.override(zoneinfo.ZoneInfo("UTC")):
        response.close()
        assert translation.get_language() == "sv"  # the thread's own language back afterwards
    assert seen == [("en", "Europe/Stockholm")]


def test_a_failure_is_logged_and_the_other_work_still_runs(caplog):
    ran: list[str] = []
    response = HttpResponse("sida")

    def broken() -> None:
        raise RuntimeError("trasig")

    after_response(response, broken)
    after_response(response, lambda: ran.append("nästa"))
    with caplog.at_level(logging.ERROR, logger="samverkan.core.after_response"):
        response.close()
    assert ran == ["nästa"]
    assert "trasig" in caplog.text
