"""Issue 15 items 1–2 in the browser: the samordnare creates, writes and approves the year's evaluation, a
second samordnare releases its public version, a citizen reads it on the public pages, and the report-back
page of a meeting; every page goes through axe (`ui`)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from samverkan.reports.models import EvaluationVersion

pytestmark = pytest.mark.e2e


def test_evaluate_the_year_approve_release_and_read_it_in_public(ui, world, samordnare2):
    a = world.a
    page = ui.page
    ui.login(world.users["samordnare"])
    ui.goto(f"/samverkan/{a.pk}/utvardering/")
    page.locator("#id_year").fill("2026")
    ui.press_button("Skapa utvärdering med årets fakta")
    expect(page.locator(".messages")).to_contain_text("Utvärderingen är skapad")
    page.locator("#id_summary").fill("Ett år med fler kvällsvandringar.")
    page.locator("#id_summary_level").select_option("oppen")
    ui.press_button("Spara texterna")
    expect(page.locator(".messages")).to_contain_text("Texterna är sparade")
    page.locator("#id_decision").fill("§ 4/2026")
    ui.press_button("Registrera godkännandet")
    expect(page.locator(".messages")).to_contain_text("versionen är låst")
    assert EvaluationVersion.objects.get(evaluation__collaboration=a).locked
    ui.goto(f"/samverkan/{a.pk}/utvardering/aterrapport/{world.cycle['A']['meeting']['meeting'].pk}/")
    expect(ui.main).to_contain_text("Återrapport från")

    ui.page.context.clear_cookies()
    ui.login(samordnare2)
    ui.goto(f"/samverkan/{a.pk}/utvardering/2026/")
    ui.press_button("Frisläpp den offentliga versionen")
    expect(page.locator(".messages")).to_contain_text("offentliga sidorna")

    ui.page.context.clear_cookies()
    ui.goto(f"/offentlig/samverkan/{a.pk}/utvardering/")
    ui.click_link("Årlig utvärdering 2026")
    expect(ui.main).to_contain_text("Ett år med fler kvällsvandringar.")
    expect(ui.main).not_to_contain_text("KANARIE-A-INTERN")
