"""Issue 14 item 1 in the browser: a samordnare plans the REK group's year from its rhythm, invites, moves
and cancels a meeting, and subscribes to the meetings in a calendar; every page goes through axe (`ui`)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from samverkan.meetings.models import Meeting

pytestmark = pytest.mark.e2e


def test_plan_the_year_invite_move_cancel_and_subscribe(ui, world):
    a = world.a
    page = ui.page
    group = world.agreements["A"]["group"]
    ui.login(world.users["samordnare"])

    ui.goto(f"/samverkan/{a.pk}/")
    ui.click_link("Möten", within=ui.sidebar)
    ui.click_link("Planera året")
    page.locator("#id_group").select_option(str(group.pk))
    page.locator("#id_year").fill("2027")
    page.locator("#id_weekday").select_option(label="tisdag")
    page.locator("#id_start").fill("09:00")
    ui.press_button("Planera")
    expect(page.locator(".messages")).to_contain_text("4 möten är planerade")
    planned = list(Meeting.objects.filter(group=group, starts_at__year=2027).order_by("starts_at"))
    assert len(planned) == 4

    first = planned[0]
    ui.goto(f"/samverkan/{a.pk}/moten/{first.pk}/")
    expect(ui.main).to_contain_text("kl. 09:00–11:00")
    ui.press_button("Skicka kallelse")
    expect(page.locator(".messages")).to_contain_text("Kallelsen skickas")

    ui.click_link("Ändra mötet")
    page.locator("#id_place").fill("Kommunhuset")
    ui.press_button("Spara")
    expect(ui.main).to_contain_text("Kommunhuset")
    first.refresh_from_db()
    assert first.ics_sequence == 1

    ui.click_link("Ställ in mötet")
    ui.press_button("Ställ in mötet")  # no reason: refused, nothing changed
    expect(ui.main).to_contain_text("Skriv varför mötet ställs in.")
    page.locator("#id_reason").fill("Krockar med budgetarbetet")
    ui.press_button("Ställ in mötet")
    expect(ui.main).to_contain_text("Mötet är inställt.")

    ui.goto("/profil/")
    ui.click_link("Hantera kalenderflöden")
    ui.press_button("Skapa kalenderflöde")
    address = page.locator("#feed-address").input_value()
    feed = page.request.get(address)
    assert feed.status == 200 and "BEGIN:VEVENT" in feed.text() and "STATUS:CANCELLED" in feed.text()
    ui.click_link("Tillbaka till kalenderflödena")
    ui.press_button("Återkalla", exact=False)
    assert page.request.get(address).status == 404
