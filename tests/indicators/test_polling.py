"""Polling polisen.se/api/events, against a local fake server: the User-Agent arrives, events are imported,
an identical answer imports nothing, the API's rate rules are kept (fake clock), bad answers change
nothing, and with polling off nothing is fetched at all."""

from __future__ import annotations

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from samverkan.indicators import polling
from samverkan.indicators.models import DataPoint, ImportRun, PoliceEvent
from samverkan.indicators.polling import PoliceApiLimiter, PollRefused, PollStatus, poll_police_events

SNAPSHOT = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "police_events" / "api_snapshot_2025-06-15.json"
)
AGENT = "Samverkan/test (+https://example.org/kontakt)"
INLINE = [
    {
        "id": 7001,
        "datetime": "2025-06-14 9:41:30 +02:00",
        "name": "14 juni 09.00, Misshandel, Malå",
        "summary": "Bråk vid torget.",
        "url": "/aktuellt/handelser/2025/juni/14/misshandel-mala/",
        "type": "Misshandel",
        "location": {"name": "Malå", "gps": "65.18,18.74"},
    }
]


class FakeApi:
    """A local stand-in for polisen.se/api/events: serves ``body`` with ``status``, records each call."""

    def __init__(self) -> None:
        self.status = 200
        self.body = json.dumps(INLINE).encode()
        self.requests: list[dict[str, str]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                api.requests.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
                self.send_response(api.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(api.body)))
                self.end_headers()
                self.wfile.write(api.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeClock:
    """Time that moves only when slept on (or told to)."""

    def __init__(self) -> None:
        self.now = 1_750_000_000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture(autouse=True)
def _fresh_rate_state():
    cache.delete(polling.CACHE_KEY)
    cache.delete(polling.LOCK_KEY)
    yield
    cache.delete(polling.CACHE_KEY)


@pytest.fixture
def fake_api(settings):
    server = FakeApi()
    settings.SAMVERKAN_POLICE_POLL = True
    settings.SAMVERKAN_POLICE_API_URL = server.url
    settings.SAMVERKAN_POLICE_API_USER_AGENT = AGENT
    yield server
    server.close()


@pytest.fixture
def clock():
    return FakeClock()


def _limiter(clock: FakeClock) -> PoliceApiLimiter:
    return PoliceApiLimiter(clock=clock, sleep=clock.sleep)


def _state() -> tuple[int, int, int]:
    return ImportRun.objects.count(), PoliceEvent.objects.count(), DataPoint.objects.count()


@pytest.mark.django_db
def test_poll_sends_the_user_agent_and_imports(fake_api, clock):
    result = poll_police_events(limiter=_limiter(clock))
    assert result.status == PollStatus.IMPORTED, result.message
    (request,) = fake_api.requests
    assert request["user-agent"] == AGENT and request["path"] == "/api/events"
    event = PoliceEvent.objects.get(pk=7001)
    assert event.kommun_id == "2418" and event.url.startswith("https://polisen.se/")
    assert result.run is not None and result.run.counts["imported"] == 1
    # The monthly indicators were recomputed for the month that changed.
    assert DataPoint.objects.filter(kommun_id="2418", indicator__code="polisen.handelser").exists()
    assert "1 new" in result.message


@pytest.mark.django_db
@pytest.mark.skipif(not SNAPSHOT.exists(), reason="the shared API snapshot is absent")
def test_real_snapshot_is_imported_and_a_second_identical_poll_imports_nothing(fake_api, clock):
    fake_api.body = SNAPSHOT.read_bytes()
    first = poll_police_events(limiter=_limiter(clock))
    assert first.status == PollStatus.IMPORTED and first.run is not None
    assert first.run.counts["imported"] == len(json.loads(fake_api.body)) == PoliceEvent.objects.count()
    before = _state()
    second = poll_police_events(limiter=_limiter(clock))
    assert second.status == PollStatus.UNCHANGED
    assert _state() == before
    assert len(fake_api.requests) == 2 and clock.slept == [10.0]  # the second call waited its 10 s


@pytest.mark.django_db
def test_identical_answer_again_is_no_change_not_an_error(fake_api, clock):
    assert poll_police_events(limiter=_limiter(clock)).status == PollStatus.IMPORTED
    before = _state()
    again = poll_police_events(limiter=_limiter(clock))
    assert again.status == PollStatus.UNCHANGED and _state() == before


def test_calls_are_at_least_ten_seconds_apart(clock):
    limiter = _limiter(clock)
    moments = []
    for _ in range(11):  # eleven calls asked for within the same instant
        limiter.acquire()
        moments.append(clock())
    gaps = [b - a for a, b in itertools.pairwise(moments)]
    assert min(gaps) >= 10.0
    assert len(clock.slept) == 10 and moments[10] - moments[0] >= 100.0  # the 11th waited its turn


def test_a_call_after_a_long_pause_does_not_wait(clock):
    limiter = _limiter(clock)
    limiter.acquire()
    clock.now += 11
    assert limiter.acquire() == 0.0 and clock.slept == []


def test_the_61st_call_in_an_hour_is_refused_until_the_hour_has_passed(clock):
    limiter = _limiter(clock)
    first = clock()
    for _ in range(60):
        limiter.acquire()
    assert clock() - first < polling.HOUR
    with pytest.raises(PollRefused):
        limiter.acquire()
    clock.now = first + polling.HOUR + 1  # the first call is more than an hour old
    limiter.acquire()
    assert len(limiter.calls_in_last_hour()) == 60


def test_the_budget_is_shared_through_the_cache(clock):
    for _ in range(60):
        _limiter(clock).acquire()  # a new limiter each time, as separate processes would have
    with pytest.raises(PollRefused):
        _limiter(clock).acquire()


@pytest.mark.django_db
def test_a_refused_poll_makes_no_call(fake_api, clock):
    limiter = _limiter(clock)
    for _ in range(60):
        limiter.acquire()
    result = poll_police_events(limiter=limiter)
    assert result.status == PollStatus.REFUSED and fake_api.requests == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, b'{"error": "internt fel"}'),
        (503, b""),
        (200, b"<html>Underh\xc3\xa5ll</html>"),
        (200, b'{"not": "a list"}'),
        (200, b'[{"id": 1, "datetime": '),
    ],
)
def test_bad_answers_change_nothing(fake_api, clock, status, body, caplog):
    fake_api.status, fake_api.body = status, body
    before = _state()
    result = poll_police_events(limiter=_limiter(clock))
    assert result.status == PollStatus.FAILED, result.message
    assert _state() == before
    assert "police events poll failed" in caplog.text


@pytest.mark.django_db
def test_an_unreachable_server_is_logged_not_raised(fake_api, clock, settings):
    fake_api.close()
    result = poll_police_events(limiter=_limiter(clock))
    assert result.status == PollStatus.FAILED and "could not be reached" in result.message


@pytest.mark.django_db
def test_no_user_agent_no_call(fake_api, clock, settings):
    settings.SAMVERKAN_POLICE_API_USER_AGENT = ""
    result = poll_police_events(limiter=_limiter(clock))
    assert result.status == PollStatus.REFUSED and "USER_AGENT" in result.message
    assert fake_api.requests == []


@pytest.mark.django_db
def test_off_by_default_nothing_is_fetched(settings, monkeypatch):
    del settings.SAMVERKAN_POLICE_POLL  # the default, as getattr reads it

    def no_network(*args, **kwargs):
        raise AssertionError("a socket was opened")

    monkeypatch.setattr("socket.socket.connect", no_network)
    monkeypatch.setattr("urllib.request.urlopen", no_network)
    assert poll_police_events().status == PollStatus.OFF
    from samverkan.indicators.tasks import poll_police_events as job

    job.call_local()
    assert ImportRun.objects.count() == 0


@pytest.mark.django_db
def test_the_periodic_job_polls_when_on(fake_api):
    from samverkan.indicators.tasks import poll_police_events as job

    job.call_local()
    assert len(fake_api.requests) == 1 and PoliceEvent.objects.filter(pk=7001).exists()


@pytest.mark.django_db
def test_command_once(fake_api):
    out = StringIO()
    call_command("poll_police_events", "--once", stdout=out)
    assert "1 new" in out.getvalue() and PoliceEvent.objects.count() == 1


@pytest.mark.django_db
def test_command_refuses_when_off_or_without_user_agent(settings):
    settings.SAMVERKAN_POLICE_POLL = False
    with pytest.raises(CommandError, match="SAMVERKAN_POLICE_POLL"):
        call_command("poll_police_events", "--once")
    settings.SAMVERKAN_POLICE_POLL = True
    settings.SAMVERKAN_POLICE_API_USER_AGENT = ""
    with pytest.raises(CommandError, match="SAMVERKAN_POLICE_API_USER_AGENT"):
        call_command("poll_police_events", "--once")


@pytest.mark.django_db
def test_only_http_addresses_are_polled(fake_api, clock, settings):
    settings.SAMVERKAN_POLICE_API_URL = "file:///etc/passwd"
    result = poll_police_events(limiter=_limiter(clock))
    assert result.status == PollStatus.REFUSED and ImportRun.objects.count() == 0
