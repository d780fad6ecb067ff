"""Deploy exactly as the README's Deployment section says, then fetch pages from the real server.

Run by `make test-deploy` (part of `make test`): a fresh PostgreSQL database, a wheel installed with
`pip install .` into its own virtualenv, production mode, `migrate`, `load_reference`,
`collectstatic --noinput`, `serve` (gunicorn) on a loopback port. It then fetches the login page, the
public portal, a collected static file and an authenticated page, as a browser would (CSRF, cookies).
Exits non-zero with the reason on the first failure; stops the server whatever happens.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("PG_TEST_URL", "postgres://postgres@127.0.0.1:5432/test")
DATABASE = "samverkan_deploy_smoke"


def run(argv: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    print("$", " ".join(argv[:3]), "…" if len(argv) > 3 else "", flush=True)
    return subprocess.run(argv, env=env, check=True, **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies by hand (Secure cookies over the proxy's HTTPS header)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        # The TLS-terminating proxy the README requires sends this header.
        request.add_header("X-Forwarded-Proto", "https")
        request.add_header("Referer", "https://127.0.0.1" + path)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.headers), response.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"deploy smoke FAILED: {message}")


def main() -> None:
    admin = urllib.parse.urlsplit(PG_URL)
    database_url = admin._replace(path=f"/{DATABASE}").geturl()
    work = Path(tempfile.mkdtemp(prefix="samverkan-deploy-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "SAMVERKAN_", "DJANGO_"))}
    env.update(
        SAMVERKAN_PRODUCTION="true",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS="https://127.0.0.1",
        DATABASE_URL=database_url,
        SAMVERKAN_VAR_DIR=str(work / "var"),
        SAMVERKAN_BASE_URL="https://127.0.0.1",
        REDIS_URL=os.environ.get("DEPLOY_REDIS_URL", "redis://127.0.0.1:6379/15"),
        SAMVERKAN_HUEY_IMMEDIATE="false",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    server = None
    try:
        import psycopg

        with psycopg.connect(PG_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
        venv = work / "venv"
        run([sys.executable, "-m", "venv", str(venv)], env)
        run([str(venv / "bin" / "pip"), "install", "--quiet", str(ROOT)], env)
        samverkan = str(venv / "bin" / "samverkan")
        run([samverkan, "migrate", "--no-input"], env, stdout=subprocess.DEVNULL)
        run([samverkan, "load_reference"], env)
        run([samverkan, "collectstatic", "--noinput"], env, stdout=subprocess.DEVNULL)
        password = secrets.token_urlsafe(16)
        run(
            [
                samverkan,
                "createsuperuser",
                "--noinput",
                "--username",
                "drift",
                "--email",
                "drift@example.org",
            ],
            {**env, "DJANGO_SUPERUSER_PASSWORD": password},
        )
        port = free_port()
        server = subprocess.Popen(
            [samverkan, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            env=env,
            cwd=work,
        )
        browser = Browser(f"http://127.0.0.1:{port}")
        for _ in range(100):
            try:
                if browser.request("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("deploy smoke FAILED: the server did not answer /healthz")

        status, _, body = browser.request("/konto/login/")
        check(status == 200, f"login page answered {status}")
        page = body.decode()
        css = re.search(r'href="(/static/core/samverkan\.[0-9a-f]{12}\.css)"', page)
        check(css is not None, "the login page does not link the hashed (collected) stylesheet")
        status, headers, stylesheet = browser.request(css.group(1))
        check(status == 200 and b"htmx-indicator" in stylesheet, f"static file answered {status}")
        check("max-age" in headers.get("Cache-Control", ""), "the collected static file is not cacheable")
        status, _, _ = browser.request("/offentlig/")
        check(status == 200, f"the public portal answered {status}")

        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        check(token is not None, "no CSRF token on the login page")
        status, headers, _ = browser.request(
            "/konto/login/",
            {"csrfmiddlewaretoken": token.group(1), "login": "drift@example.org", "password": password},
        )
        check(status == 302, f"login answered {status}")
        status, headers, body = browser.request("/profil/")
        check(status == 200 and "drift@example.org" in body.decode(), f"the profile page answered {status}")
        check("no-store" in headers.get("Cache-Control", ""), "an authenticated page may be stored")
        print("deploy smoke: production server answered login, portal, static and an authenticated page")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
