"""`samverkan demo` serves without Django's debug pages unless asked, and its e-mails link to where it
serves (before: debug pages on, and links to port 8000 whatever --port said)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from samverkan.core.demo import base_url, serve_environment
from samverkan.core.management.commands import demo as demo_command

SERVE_VARIABLES = ("SAMVERKAN_DEBUG", "SAMVERKAN_BASE_URL", "ALLOWED_HOSTS")


def _debug(debug: bool, environ: dict[str, str]) -> str | None:
    return serve_environment(host="127.0.0.1", port=8000, debug=debug, environ=environ).get("SAMVERKAN_DEBUG")


def test_debug_pages_are_off_unless_asked_for():
    assert _debug(False, {}) == "false"
    assert _debug(True, {}) == "true"
    assert _debug(False, {"SAMVERKAN_DEBUG": "true"}) is None  # the operator's own choice is kept
    assert _debug(True, {"SAMVERKAN_DEBUG": "false"}) == "true"


def test_email_links_follow_host_and_port():
    env = serve_environment(host="127.0.0.1", port=8123, debug=False, environ={})
    assert env["SAMVERKAN_BASE_URL"] == "http://127.0.0.1:8123"
    assert "ALLOWED_HOSTS" not in env
    chosen = {"SAMVERKAN_BASE_URL": "https://demo.example.org"}
    assert "SAMVERKAN_BASE_URL" not in serve_environment(host="0.0.0.0", port=80, debug=False, environ=chosen)


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("0.0.0.0", "http://127.0.0.1:8001"),
        ("localhost", "http://localhost:8001"),
        ("::", "http://[::1]:8001"),
        ("fe80::1", "http://[fe80::1]:8001"),
        ("192.168.1.20", "http://192.168.1.20:8001"),
    ],
)
def test_base_url_is_an_address_a_browser_can_open(host, url):
    assert base_url(host, 8001) == url


def test_a_served_address_of_the_network_is_allowed():
    env = serve_environment(host="192.168.1.20", port=8001, debug=False, environ={})
    assert env["ALLOWED_HOSTS"] == "127.0.0.1,localhost,192.168.1.20"
    assert "ALLOWED_HOSTS" not in serve_environment(
        host="192.168.1.20", port=8001, debug=False, environ={"ALLOWED_HOSTS": "demo.example.org"}
    )


def test_the_demo_command_hands_the_environment_to_the_server(monkeypatch):
    for name in SERVE_VARIABLES:
        monkeypatch.delenv(name, raising=False)  # restored (removed) after the test
    served: dict[str, object] = {}

    def fake_call_command(name, *args, **options):
        if name == "serve":
            served.update(options, environ={k: os.environ.get(k) for k in SERVE_VARIABLES})

    monkeypatch.setattr(demo_command, "call_command", fake_call_command)
    monkeypatch.setattr(demo_command, "load_demo", lambda: [("–", "superanvändare", "admin@example.org")])
    monkeypatch.setattr(demo_command, "demo_password", lambda: "demo-losenord-123")
    out = io.StringIO()
    call_command("demo", "--port", "8123", stdout=out)
    assert served["port"] == 8123 and served["host"] == "127.0.0.1"
    assert served["environ"] == {
        "SAMVERKAN_DEBUG": "false",
        "SAMVERKAN_BASE_URL": "http://127.0.0.1:8123",
        "ALLOWED_HOSTS": None,
    }
    assert "http://127.0.0.1:8123/" in out.getvalue()

    call_command("demo", "--port", "8124", "--debug", stdout=io.StringIO())
    assert served["environ"]["SAMVERKAN_DEBUG"] == "true"  # type: ignore[index]


def test_the_served_settings_have_debug_off(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in SERVE_VARIABLES and k != "DATABASE_URL"}
    env.update(serve_environment(host="127.0.0.1", port=8123, debug=False, environ=env))
    env["SAMVERKAN_VAR_DIR"] = str(tmp_path)
    code = "from samverkan import settings as s; print(s.DEBUG, s.SAMVERKAN_BASE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["False", "http://127.0.0.1:8123"]
