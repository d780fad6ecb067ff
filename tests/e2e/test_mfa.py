"""Two-step verification in the browser: logging in with a TOTP code, and being made to set one up."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from samverkan.core.models import Role
from tests.conftest import CANARY_A_POLIS_ONLY, TOTP_SECRET
from tests.e2e.conftest import PASSWORD, totp_code
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_polis_logs_in_with_authenticator_code(ui, world):
    ui.submit_login("polis@example.org")
    assert ui.path == "/konto/2fa/authenticate/"
    expect(ui.page.get_by_role("button", name="Logga ut")).to_have_count(0)

    # A wrong code is refused with a message, and the person is still not logged in.
    wrong = "000000" if totp_code(TOTP_SECRET) != "000000" else "111111"
    ui.page.get_by_label("Kod").fill(wrong)
    ui.press_button("Logga in")
    assert ui.path == "/konto/2fa/authenticate/"
    expect(ui.page.get_by_role("alert")).to_contain_text("Kod")

    ui.enter_totp(TOTP_SECRET)
    assert ui.path == "/"
    expect(ui.page.get_by_role("button", name="Logga ut")).to_be_visible()
    ui.click_link("Malå testsamverkan", within=ui.main)
    ui.click_link("Meddelanden", within=ui.sidebar)
    expect(ui.main.get_by_role("link", name=CANARY_A_POLIS_ONLY)).to_be_visible()


def test_role_requiring_mfa_must_activate_totp(ui, world):
    user = UserFactory(username="nypolis", email="nypolis@example.org")
    MembershipFactory(user=user, collaboration=world.a, role=Role.POLIS, organisation=world.org_a)

    ui.submit_login(user.email)  # no TOTP yet, so no code is asked for …
    assert ui.path == "/konto/tvastegsverifiering-kravs/"  # … but nothing else opens until there is one
    expect(ui.page.locator("h1")).to_have_text("Tvåstegsverifiering krävs")
    ui.goto(f"/samverkan/{world.a.pk}/")
    assert ui.path == "/konto/tvastegsverifiering-kravs/"

    ui.click_link("Aktivera tvåstegsverifiering", within=ui.main)
    # allauth asks for the password again before any change to two-step verification.
    assert ui.path.startswith("/konto/reauthenticate/")
    ui.page.get_by_label("Lösenord").fill(PASSWORD)
    ui.navigate(lambda: ui.main.locator("button[type=submit]").click())
    assert ui.path == "/konto/2fa/totp/activate/"
    secret = ui.page.locator("#authenticator_secret").input_value()
    assert secret
    ui.page.get_by_label("Autentiseringskod").fill(totp_code(secret))
    ui.press_button("Aktivera")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert ui.path == "/konto/2fa/recovery-codes/"

    ui.goto("/")
    expect(ui.page.locator("h1")).to_have_text("Mina samverkansområden")
    ui.click_link("Malå testsamverkan", within=ui.main)
    ui.goto("/konto/tvastegsverifiering-kravs/")  # nothing left to do: back to the start page
    assert ui.path == "/"
    ui.goto("/konto/2fa/")
    ui.click_link("Min profil")
    expect(ui.main).to_contain_text("Tvåstegsverifiering är aktiverad.")
