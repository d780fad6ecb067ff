"""Browser tests: Debian's headless Chromium driven by Playwright (sync API) against pytest-django's live server.

Every page the browser lands on is checked with axe-core (WCAG 2.0/2.1 A and AA). Tests move through the
site with the `ui` fixture, whose navigation methods run axe after each page load; a page that loaded
without being checked fails the test at teardown.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Locator, Page, Response, sync_playwright

from samverkan.core.reference import load_reference

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "losenord-for-test-1"  # tests/factories.py


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in the main thread; Django would otherwise refuse ORM
    calls made from the test body (factories) as "async unsafe". Only for the browser tests."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# --- axe-core ----------------------------------------------------------------------------------------


def axe_violations(page: Page) -> list[dict[str, Any]]:
    # The `ui` contexts load axe into every page up front (add_init_script: one transfer per context
    # instead of one per page, and not subject to a page's Content-Security-Policy); other pages get it here.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
            }));
        }""",
        AXE_TAGS,
    )


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe found {len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"]:
            # A target is a list of selectors, one per frame or shadow root on the way to the element.
            target = ", ".join(" >> ".join(t) if isinstance(t, list) else str(t) for t in node["target"])
            lines.append(f"    at {target}")
            for detail in (node["summary"] or "").splitlines():
                if detail.strip():
                    lines.append(f"       {detail.strip()}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page) -> None:
    violations = axe_violations(page)
    if violations:
        pytest.fail(format_violations(page.url, violations), pytrace=False)


# --- Browser -----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class UI:
    """A page plus navigation helpers; each helper waits for the next page and checks it with axe."""

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.unchecked: list[str] = []
        self._pending: str | None = None
        page.on("load", self._on_load)

    def _on_load(self, page: Page) -> None:
        if self._pending is not None:
            self.unchecked.append(self._pending)
        self._pending = page.url

    @property
    def unchecked_pages(self) -> list[str]:
        return self.unchecked + ([self._pending] if self._pending else [])

    def check(self) -> None:
        """Run axe on the page now shown (also usable after a change without navigation)."""
        self.page.wait_for_load_state("load")
        assert_no_axe_violations(self.page)
        self._pending = None

    def violations(self) -> list[dict[str, Any]]:
        """axe's findings on the page now shown, without failing: for a test that walks many pages and
        reports them all at once."""
        self.page.wait_for_load_state("load")
        found = axe_violations(self.page)
        self._pending = None
        return found

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, *, status: int = 200) -> Response | None:
        response = self.page.goto(self.url(path))
        assert response is not None
        assert response.status == status, f"GET {path}: {response.status}"
        self.check()
        return response

    def navigate(self, action: Callable[[], object]) -> None:
        """Do something that loads a new page (click a link, submit a form), then check that page."""
        with self.page.expect_navigation(wait_until="load"):
            action()
        self.check()

    def click(self, locator: Locator) -> None:
        self.navigate(locator.click)

    def click_link(self, name: str, *, within: Locator | None = None, exact: bool = True) -> None:
        scope = within if within is not None else self.page
        self.click(scope.get_by_role("link", name=name, exact=exact))

    def press_button(self, name: str, *, exact: bool = True) -> None:
        self.click(self.page.get_by_role("button", name=name, exact=exact))

    @property
    def path(self) -> str:
        """The path of the page shown (without a #fragment, which browsers carry over redirects)."""
        return self.page.url.removeprefix(self.base_url).split("#")[0]

    @property
    def main(self) -> Locator:
        return self.page.locator("main")

    @property
    def sidebar(self) -> Locator:
        return self.page.locator("nav.sidebar")

    # --- Logging in --------------------------------------------------------------------------------

    def submit_login(self, email: str, password: str = PASSWORD) -> None:
        self.goto("/konto/login/")
        self.page.get_by_label("E-post").fill(email)
        self.page.get_by_label("Lösenord").fill(password)
        self.navigate(lambda: self.main.get_by_role("button", name="Logga in").click())

    def login(self, user: Any) -> None:
        self.login_expecting(user, "/")

    def login_expecting(self, user: Any, path: str) -> None:
        self.submit_login(user.email)
        assert self.path == path, f"login as {user.email} ended on {self.path}, not {path}"

    def enter_totp(self, secret: str) -> None:
        self.page.get_by_label("Kod").fill(totp_code(secret))
        self.press_button("Logga in")


def totp_code(secret: str) -> str:
    """The current code an authenticator app would show for this secret (allauth's own algorithm)."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 3:  # the code would expire before the server sees it
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


@pytest.fixture
def ui(browser: Browser, live_server: Any) -> Iterator[UI]:
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A blocked inline script or style shows only as a console error: the strict CSP must hold on every page.
    # axe itself is exempt: to read a stylesheet's @import (Django admin's forms.css) it copies the CSS
    # into a <style> element, which the CSP blocks; that is the test tool, not the page.
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error"
            and "Content Security Policy" in message.text
            and not str(message.location.get("url", "")).endswith(AXE_JS.name)
            else None
        ),
    )
    helper = UI(page, live_server.url)
    try:
        yield helper
    finally:
        context.close()
    missed = helper.unchecked_pages
    assert not missed, f"pages loaded without an axe check: {missed}"
    assert not errors, f"JavaScript errors: {errors}"


# --- Data ----------------------------------------------------------------------------------------------


@pytest.fixture
def reference(transactional_db: None) -> None:
    """Reference data (kommuner, police areas) for one test.

    The session's django_db_setup loads it once, but live-server tests run as transactional tests whose
    tables are flushed afterwards, so each browser test loads it again.
    """
    load_reference()


@pytest.fixture(scope="package", autouse=True)
def _restore_reference_after_e2e(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Put the reference data back once the browser tests are done, for tests that run after them."""
    yield
    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # Login throttling and used TOTP codes live in the cache; every browser test starts fresh.
    cache.clear()


@pytest.fixture
def world(reference: None, live_server: Any, world: Any) -> Any:
    """The personas of tests/conftest.py, created in a flushed (transactional) database."""
    return world
