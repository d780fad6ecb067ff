"""The public version rendered from the structured minutes, its approval by a second person, publishing,
and the portal: list, page, PDF/A and Atom feed, anonymous, cached, with no intern/begränsad canary."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from samverkan.core.models import AuditEntry, Level
from samverkan.meetings.models import AgendaItem, Minutes
from samverkan.meetings.selectors.minutes import public_document
from samverkan.meetings.services import publishing as publishing_services
from tests.conftest import CANARIES_A
from tests.meetings.test_minutes import (
    NOT_PUBLIC,
    add_member,
    body,
    draft_meeting,
    make_justerat,
    minutes_url,
    pdf_text,
)

NEUTRAL = "Punkten innehåller uppgifter som inte publiceras"


def _ready(world, *, approved: bool = False):
    """Justerade minutes with a chair (who may approve the public version) and a secretary."""
    chair = add_member(world, "ordforande", "ledamot")
    secretary = add_member(world, "sekreterare", "ledamot")
    meeting = draft_meeting(world, chair=chair, secretary=secretary)
    make_justerat(meeting, ())
    if approved:
        publishing_services.approve_public_version(meeting=meeting, acting_user=chair)
    return meeting


def _post(world, persona, meeting, action):
    return world.client(persona).post(minutes_url(meeting, "publicering/"), {"action": action})


def _portal(meeting, tail=""):
    return f"/offentlig/samverkan/{meeting.collaboration_id}/protokoll/{tail}"


def test_public_version_is_rendered_from_the_items(world):
    meeting = _ready(world)
    document = public_document(meeting)
    assert [entry.withheld for entry in document.entries] == [False, True, True]
    assert document.withheld_count == 2
    assert [d.level for entry in document.entries for d in entry.decisions] == [Level.OPPEN]


def test_side_by_side_page_shows_full_and_public_version(world):
    meeting = _ready(world)
    response = world.client("samordnare").get(minutes_url(meeting, "publicering/"))
    assert response.status_code == 200
    text = body(response)
    assert "Hela protokollet" in text and "Offentlig version" in text
    assert f"{CANARIES_A[Level.BEGRANSAD]}-M punkt" in text  # in the full one
    assert text.count(NEUTRAL) == 2
    assert "2 punkter innehåller uppgifter som inte publiceras" in text


def test_publishing_minutes_that_are_not_justerade_is_refused(world):
    meeting = draft_meeting(world)
    response = _post(world, "samordnare", meeting, "publish")
    assert response.status_code == 422
    assert "inte justerat" in body(response)
    assert Minutes.objects.get(meeting=meeting).published_at is None


def test_publishing_without_a_second_persons_approval_is_refused(world):
    meeting = _ready(world)
    response = _post(world, "samordnare", meeting, "publish")
    assert response.status_code == 422
    assert "godkännas av en andra person" in body(response)
    assert Minutes.objects.get(meeting=meeting).published_at is None


def test_the_secretary_may_not_approve_the_public_version(world):
    meeting = _ready(world)
    response = _post(world, "sekreterare", meeting, "approve")
    assert response.status_code == 403
    assert "inte sekreteraren" in body(response)
    assert Minutes.objects.get(meeting=meeting).public_approved_at is None


@pytest.mark.parametrize("persona", ["ledamot", "lasare"])
def test_members_who_are_neither_chair_nor_samordnare_may_not_approve_or_publish(world, persona):
    meeting = _ready(world, approved=True)
    assert _post(world, persona, meeting, "publish").status_code == 403
    assert Minutes.objects.get(meeting=meeting).published_at is None


def test_second_person_approves_audited_then_samordnare_publishes(world):
    meeting = _ready(world)
    assert _post(world, "ordforande", meeting, "approve").status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.public_approved_by == world.users["ordforande"] and minutes.public_approved_at
    entry = AuditEntry.objects.filter(target_type="meetings.minutes", target_id=str(minutes.pk)).latest("pk")
    assert entry.actor == world.users["ordforande"] and "public_approved_by" in entry.changes
    assert world.client("anonymous").get(_portal(meeting, f"{meeting.pk}/")).status_code == 404
    assert _post(world, "samordnare", meeting, "publish").status_code == 302
    minutes.refresh_from_db()
    assert minutes.published_at and minutes.published_by == world.users["samordnare"]
    assert world.client("anonymous").get(_portal(meeting, f"{meeting.pk}/")).status_code == 200


def test_personal_data_in_an_open_item_blocks_approval_naming_the_item(world):
    meeting = _ready(world)
    AgendaItem.objects.filter(meeting=meeting, level=Level.OPPEN).update(notes="Ring 070-123 45 67")
    response = _post(world, "ordforande", meeting, "approve")
    assert response.status_code == 422
    assert "Punkt 1" in body(response) and "personuppgifter" in body(response)
    assert Minutes.objects.get(meeting=meeting).public_approved_at is None


def test_personal_data_only_in_a_withheld_item_does_not_block(world):
    meeting = _ready(world)
    AgendaItem.objects.filter(meeting=meeting, level=Level.INTERN).update(notes="Ring 070-123 45 67")
    assert _post(world, "ordforande", meeting, "approve").status_code == 302


# --- The portal ---------------------------------------------------------------------------------------


def _published(world):
    meeting = _ready(world, approved=True)
    publishing_services.publish(meeting=meeting, acting_user=world.users["samordnare"])
    return meeting


def test_portal_list_page_feed_and_pdf_carry_no_intern_or_begransad_canary(world):
    meeting = _published(world)
    client = world.client("anonymous")
    outputs = {
        "list": client.get(_portal(meeting)),
        "page": client.get(_portal(meeting, f"{meeting.pk}/")),
        "feed": client.get(_portal(meeting, "atom/")),
        "pdf": client.get(_portal(meeting, f"{meeting.pk}/pdf/")),
    }
    for name, response in outputs.items():
        assert response.status_code == 200, name
    texts = {name: body(r) for name, r in outputs.items() if name != "pdf"}
    texts["pdf"] = pdf_text(outputs["pdf"].content)
    for name, text in texts.items():
        for canary in NOT_PUBLIC:
            assert canary not in text, f"{canary} in the public {name}"
    assert f"{CANARIES_A[Level.OPPEN]}-M anteckning" in texts["page"]
    assert texts["page"].count(NEUTRAL) == 2 and NEUTRAL in texts["pdf"]
    assert f"{CANARIES_A[Level.OPPEN]}-M punkt" in texts["feed"]
    assert outputs["pdf"]["Content-Type"] == "application/pdf"


def test_atom_feed_parses_and_lists_the_published_minutes(world):
    meeting = _published(world)
    response = world.client("anonymous").get(_portal(meeting, "atom/"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 1
    link = entries[0].find("a:link", ns).get("href")
    assert link.endswith(f"/offentlig/samverkan/{meeting.collaboration_id}/protokoll/{meeting.pk}/")


def test_unpublished_minutes_are_not_in_the_portal(world):
    meeting = _ready(world, approved=True)
    client = world.client("anonymous")
    assert client.get(_portal(meeting, f"{meeting.pk}/")).status_code == 404
    assert client.get(_portal(meeting, f"{meeting.pk}/pdf/")).status_code == 404
    assert "Vårmöte" not in body(client.get(_portal(meeting)))
    ET.fromstring(client.get(_portal(meeting, "atom/")).content)


def test_portal_pages_are_cached_with_etags_and_invalidated_by_publishing(world):
    meeting = _ready(world, approved=True)
    client = world.client("anonymous")
    first = client.get(_portal(meeting))
    assert "max-age=60" in first["Cache-Control"] and first["ETag"]
    # The feed carries no form (no CSRF token): a shared cache may keep it.
    assert "public" in client.get(_portal(meeting, "atom/"))["Cache-Control"]
    assert client.get(_portal(meeting), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    publishing_services.publish(meeting=meeting, acting_user=world.users["samordnare"])
    after = client.get(_portal(meeting), HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]
    assert f"/protokoll/{meeting.pk}/" in body(after)


def test_an_amendment_withdraws_the_approval_until_a_second_person_approves_again(world):
    """Published, then amended: the approval is withdrawn (audited), the portal keeps the version as
    published, the author of the amendment may not approve it, the chair does, and it is published again."""
    from samverkan.meetings.services import minutes as minutes_services

    meeting = _published(world)
    minutes = Minutes.objects.get(meeting=meeting)
    first_published = minutes.published_at
    client = world.client("anonymous")
    url = _portal(meeting, f"{meeting.pk}/")
    item = AgendaItem.objects.get(meeting=meeting, level=Level.OPPEN)
    minutes_services.amend(
        meeting=meeting, acting_user=world.users["samordnare"], text="Rättat datum", item=item
    )
    minutes.refresh_from_db()
    assert minutes.public_approved_at is None and minutes.public_approved_by is None
    entry = AuditEntry.objects.filter(target_type="meetings.minutes", target_id=str(minutes.pk)).latest("pk")
    assert entry.actor == world.users["samordnare"]
    assert entry.changes["public_approved_by"][1] is None
    # The public page, feed and PDF stay as published; the side-by-side page shows the amendment to approve.
    assert "Rättat datum" not in body(client.get(url))
    assert "Rättat datum" not in pdf_text(client.get(_portal(meeting, f"{meeting.pk}/pdf/")).content)
    page = world.client("samordnare").get(minutes_url(meeting, "publicering/"))
    assert "Rättat datum" in body(page) and "godkänna den nya offentliga versionen" in body(page)
    # Publishing again is refused until approved; the amendment's author may not approve.
    assert _post(world, "samordnare", meeting, "publish").status_code == 422
    refused = _post(world, "samordnare", meeting, "approve")
    assert refused.status_code == 403 and "rättelse" in body(refused)
    assert _post(world, "ordforande", meeting, "approve").status_code == 302
    assert _post(world, "ordforande", meeting, "approve").status_code == 422  # already approved
    assert _post(world, "samordnare", meeting, "publish").status_code == 302
    minutes.refresh_from_db()
    assert minutes.published_at > first_published
    assert "Rättat datum" in body(client.get(url))
    assert _post(world, "samordnare", meeting, "publish").status_code == 422  # nothing new to publish


def test_an_amendment_before_publishing_withdraws_the_approval_too(world):
    from samverkan.meetings.services import minutes as minutes_services

    meeting = _ready(world, approved=True)
    minutes_services.amend(meeting=meeting, acting_user=world.users["sekreterare"], text="Rättelse av listan")
    assert Minutes.objects.get(meeting=meeting).public_approved_at is None
    assert _post(world, "samordnare", meeting, "publish").status_code == 422
    assert Minutes.objects.get(meeting=meeting).published_at is None
