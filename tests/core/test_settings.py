"""Settings from the environment: embedded default and production mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from samverkan.env import env_bool, env_int, env_list, persistent_secret_key

ROOT = Path(__file__).resolve().parents[2]


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # A deployment's environment: none of ours, and not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE.
    skip = ("SAMVERKAN_", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "samverkan", *args],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("X_BOOL", "ja")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_bool("X_BOOL", False) is True
    assert env_int("X_INT", 0) == 12
    assert env_list("X_LIST", []) == ["a", "b", "c"]
    monkeypatch.setenv("X_BOOL", "kanske")
    with pytest.raises(ValueError, match="X_BOOL"):
        env_bool("X_BOOL", False)


def test_secret_key_is_generated_once_and_private(tmp_path):
    first = persistent_secret_key(tmp_path)
    assert persistent_secret_key(tmp_path) == first
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_requires_secret_key(tmp_path):
    result = _run(
        {
            "SAMVERKAN_PRODUCTION": "true",
            "ALLOWED_HOSTS": "samverkan.example.org",
            "SAMVERKAN_VAR_DIR": str(tmp_path),
        },
        "check",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.slow
def test_check_deploy_is_clean_in_production(tmp_path):
    result = _run(
        {
            "SAMVERKAN_PRODUCTION": "true",
            "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-check-" + "y" * 20,
            "ALLOWED_HOSTS": "samverkan.example.org",
            "SAMVERKAN_VAR_DIR": str(tmp_path),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_selects_postgres(monkeypatch):
    import dj_database_url

    config = dj_database_url.parse("postgres://postgres@127.0.0.1:5432/samverkan")
    assert config["ENGINE"] == "django.db.backends.postgresql"
