"""Joint picture pages per persona: read for every member, write and agree for the samordnare only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from samverkan.core.models import AuditEntry, Level, Organisation
from samverkan.situation.models import AreaSummary, PictureItem, PictureVersion, Section
from samverkan.situation.services.picture import area_summary_save, picture_agree
from tests.factories import OrganisationFactory
from tests.situation.factories import RoundFactory
from tests.situation.test_picture import submit_world_report

READERS = ("samordnare", "polis", "ledamot", "lasare")


def _kwargs(world, **extra):
    return {"collaboration_id": world.a.pk, "round_id": world.situation["A"]["round"].pk, **extra}


def _version_kwargs(world, version=None):
    return _kwargs(world, version_id=(version or world.situation["A"]["version"]).pk)


@pytest.mark.parametrize("persona", READERS)
def test_members_read_the_list_and_the_live_picture(world, persona):
    submit_world_report(world)
    client = world.client(persona)
    listing = client.get(reverse("situation:picture_list", kwargs={"collaboration_id": world.a.pk}))
    assert listing.status_code == 200
    assert "Fastställd version 1" in listing.content.decode()
    assert "1 av 1" in listing.content.decode()

    response = client.get(reverse("situation:picture_detail", kwargs=_kwargs(world)))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Läge och utveckling per område och aktör" in body
    assert 'hx-trigger="every 30s"' in body
    assert "status-chip--gul" in body and "Gul" in body
    assert "KANARIE-A-INTERN torget" in body
    assert "<svg" in body and "Händelser per månad och område" in body
    entitled = persona in ("samordnare", "polis")
    assert ("KANARIE-A-BEGRANSAD" in body) is entitled
    assert ("Fastställ lägesbilden" in body) is (persona == "samordnare")
    assert ('name="omrade-' in body) is (persona == "samordnare")


@pytest.mark.parametrize(
    "name", ["picture_detail", "picture_pdf", "picture_xlsx", "picture_version", "picture_version_xlsx"]
)
def test_outsider_gets_404_and_anonymous_is_sent_to_login(world, name):
    kwargs = _version_kwargs(world) if "version" in name else _kwargs(world)
    url = reverse(f"situation:{name}", kwargs=kwargs)
    assert world.client("outsider").get(url).status_code == 404
    response = world.client("anonymous").get(url)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_list_outsider_404(world):
    url = reverse("situation:picture_list", kwargs={"collaboration_id": world.a.pk})
    assert world.client("outsider").get(url).status_code == 404


def test_unknown_round_or_version_of_another_round_is_404(world):
    client = world.client("samordnare")
    assert (
        client.get(reverse("situation:picture_detail", kwargs=_kwargs(world, round_id=999_999))).status_code
        == 404
    )
    b_version = world.situation["B"]["version"]
    assert (
        client.get(reverse("situation:picture_version", kwargs=_version_kwargs(world, b_version))).status_code
        == 404
    )
    b_round = world.situation["B"]["round"]
    assert (
        client.get(
            reverse("situation:picture_detail", kwargs=_kwargs(world, round_id=b_round.pk))
        ).status_code
        == 404
    )


def test_the_matrix_refreshes_itself_as_a_partial(world):
    client = world.client("samordnare")
    url = reverse("situation:picture_detail", kwargs=_kwargs(world)) + "?del=matris"
    before = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert before.lstrip().startswith("<div") and "<html" not in before
    assert "0 av 1" in before and "Ej rapporterat" in before
    submit_world_report(world)
    after = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "1 av 1" in after and "status-chip--gul" in after
    # Without htmx the same address is the whole page.
    assert "<html" in client.get(url).content.decode()


def test_samordnare_saves_an_area_summary(world):
    round_ = world.situation["A"]["round"]
    section = Section.objects.get(template=round_.template, area_code="unga")
    url = reverse("situation:picture_summary_save", kwargs=_kwargs(world))
    prefix = f"omrade-{section.pk}"
    data = {"section": section.pk, f"{prefix}-text": "Lugnt vid skolorna", f"{prefix}-level": Level.OPPEN}
    response = world.client("samordnare").post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("#omrade-unga")
    summary = AreaSummary.objects.get(section=section)
    assert (summary.text, summary.level) == ("Lugnt vid skolorna", Level.OPPEN)
    page = (
        world.client("lasare")
        .get(reverse("situation:picture_detail", kwargs=_kwargs(world)))
        .content.decode()
    )
    assert "Lugnt vid skolorna" in page


def test_personal_data_in_an_open_summary_is_refused_with_a_message(world):
    section = Section.objects.get(template=world.situation["A"]["round"].template, area_code="unga")
    prefix = f"omrade-{section.pk}"
    response = world.client("samordnare").post(
        reverse("situation:picture_summary_save", kwargs=_kwargs(world)),
        {"section": section.pk, f"{prefix}-text": "Ring 070-123 45 67", f"{prefix}-level": Level.OPPEN},
    )
    assert response.status_code == 400
    assert "telefonnummer" in response.content.decode()
    assert not AreaSummary.objects.filter(section=section).exists()


@pytest.mark.parametrize("persona", ["polis", "ledamot", "lasare"])
def test_only_samordnare_writes_summaries_and_agrees(world, persona):
    section = Section.objects.get(template=world.situation["A"]["round"].template, area_code="unga")
    client = world.client(persona)
    prefix = f"omrade-{section.pk}"
    summary = client.post(
        reverse("situation:picture_summary_save", kwargs=_kwargs(world)),
        {"section": section.pk, f"{prefix}-text": "x", f"{prefix}-level": Level.INTERN},
    )
    agree = client.post(
        reverse("situation:picture_agree", kwargs=_kwargs(world)),
        {"meeting": "REK", "meeting_date": "2026-11-12"},
    )
    assert (summary.status_code, agree.status_code) == (403, 403)
    assert not AreaSummary.objects.filter(section=section).exists()
    assert PictureVersion.objects.count() == 2  # the fixture's, in A and B


def test_outsider_cannot_post(world):
    agree = world.client("outsider").post(
        reverse("situation:picture_agree", kwargs=_kwargs(world)),
        {"meeting": "REK", "meeting_date": "2026-11-12"},
    )
    assert agree.status_code == 404


def test_samordnare_agrees_and_lands_on_the_version(world):
    submit_world_report(world)
    response = world.client("samordnare").post(
        reverse("situation:picture_agree", kwargs=_kwargs(world)),
        {"meeting": "REK-gruppen", "meeting_date": "2026-11-12", "bekraftad": "1"},
    )
    version = PictureVersion.objects.get(picture__round=world.situation["A"]["round"], number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "situation:picture_version", kwargs=_version_kwargs(world, version)
    )
    assert (version.meeting, version.meeting_date) == ("REK-gruppen", dt.date(2026, 11, 12))
    page = world.client("ledamot").get(response["Location"]).content.decode()
    assert "REK-gruppen" in page and "KANARIE-A-INTERN torget" in page
    assert "KANARIE-A-BEGRANSAD" not in page


def _agree(client, world, **extra):
    data = {"meeting": "REK-gruppen", "meeting_date": "2026-11-12", **extra}
    return client.post(reverse("situation:picture_agree", kwargs=_kwargs(world)), data)


def _versions(world) -> int:
    return PictureVersion.objects.filter(picture__round=world.situation["A"]["round"]).count()


def test_agreeing_shows_what_will_be_frozen_before_anything_is_written(world):
    submit_world_report(world)
    response = _agree(world.client("samordnare"), world)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Det här sparas" in body and "REK-gruppen" in body and "12 november 2026" in body
    assert "Alla 1 tillfrågade aktörer har skickat in sin rapport." in body
    assert 'name="bekraftad"' in body and 'type="hidden" name="meeting" value="REK-gruppen"' in body
    assert 'name="acknowledge_missing"' not in body  # nobody missing: nothing to acknowledge
    assert _versions(world) == 1  # the fixture's only


def test_the_confirmation_warns_that_the_police_have_not_reported_and_needs_an_acknowledgement(world):
    police = OrganisationFactory(name="Polisen LPO Skellefteå – test", kind=Organisation.Kind.POLIS)
    world.situation["A"]["round"].organisations.add(police)
    submit_world_report(world)
    client = world.client("samordnare")

    body = _agree(client, world).content.decode()
    assert "Alla har inte rapporterat" in body
    assert "Polisen har inte rapporterat (Polisen LPO Skellefteå – test)." in body
    assert "1 av 2 tillfrågade aktörer har skickat in sin rapport." in body
    assert (
        'name="acknowledge_missing"' in body
        and "required" in body.split('name="acknowledge_missing"')[1][:80]
    )

    refused = _agree(client, world, bekraftad="1")
    assert refused.status_code == 400
    assert "Bekräfta att gruppen vet vilka aktörer som inte har rapporterat." in refused.content.decode()
    assert _versions(world) == 1

    agreed = _agree(client, world, bekraftad="1", acknowledge_missing="on")
    assert agreed.status_code == 302 and _versions(world) == 2


def test_the_confirmed_agree_neither_builds_nor_logs_the_picture_it_does_not_show(world, monkeypatch):
    """Only the confirmation page shows the live picture; the confirmed POST reads who is missing and
    agrees, without building the picture or logging a read of its begränsad rows nobody saw."""
    from samverkan.situation.selectors import picture as picture_selectors

    submit_world_report(world)
    client = world.client("samordnare")
    assert _agree(client, world).status_code == 200  # the confirmation page: the picture is shown

    def not_shown(**kwargs):
        raise AssertionError("the confirmed POST shows no picture")

    monkeypatch.setattr(picture_selectors, "shown_picture", not_shown)
    agreed = _agree(client, world, bekraftad="1")
    assert agreed.status_code == 302 and _versions(world) == 2


def test_agree_with_bad_input_shows_errors_and_writes_nothing(world):
    response = world.client("samordnare").post(
        reverse("situation:picture_agree", kwargs=_kwargs(world)), {"meeting": "", "meeting_date": "igår"}
    )
    assert response.status_code == 400
    assert "Det finns fel i formuläret" in response.content.decode()
    assert PictureVersion.objects.filter(picture__round=world.situation["A"]["round"]).count() == 1


@pytest.mark.parametrize("persona", READERS)
def test_version_shows_each_reader_what_they_may_read(world, persona):
    response = world.client(persona).get(reverse("situation:picture_version", kwargs=_version_kwargs(world)))
    body = response.content.decode()
    assert response.status_code == 200
    assert "KANARIE-A-OPPEN fastställd" in body and "KANARIE-A-INTERN fastställd" in body
    assert ("KANARIE-A-BEGRANSAD fastställd" in body) is (persona in ("samordnare", "polis"))
    assert "begränsade delar visas bara för de roller som får läsa dem" in body
    assert "hx-trigger" not in body


def test_open_version_holds_only_open_parts(world):
    url = reverse("situation:picture_version", kwargs=_version_kwargs(world)) + "?oppen=1"
    body = world.client("samordnare").get(url).content.decode()
    assert "KANARIE-A-OPPEN fastställd" in body
    assert "KANARIE-A-INTERN" not in body and "KANARIE-A-BEGRANSAD" not in body
    assert 'aria-current="page">Öppen version' in body


def test_begransad_parts_shown_are_audit_logged(world):
    world.client("polis").get(reverse("situation:picture_version", kwargs=_version_kwargs(world)))
    item = PictureItem.objects.get(version=world.situation["A"]["version"], level=Level.BEGRANSAD)
    read = AuditEntry.objects.filter(action=AuditEntry.Action.READ, target_type="situation.pictureitem")
    assert read.filter(target_id=str(item.pk), actor=world.users["polis"]).exists()
    world.client("ledamot").get(reverse("situation:picture_version", kwargs=_version_kwargs(world)))
    assert not read.filter(actor=world.users["ledamot"]).exists()


def test_list_shows_rounds_without_an_agreed_picture(world):
    RoundFactory(collaboration=world.a, period_start=dt.date(2026, 9, 1))
    body = world.client("lasare").get(
        reverse("situation:picture_list", kwargs={"collaboration_id": world.a.pk})
    )
    assert "Inte fastställd" in body.content.decode()


def test_agreed_version_survives_later_agreements(world):
    submit_world_report(world)
    round_ = world.situation["A"]["round"]
    first = picture_agree(
        round_=round_, acting_user=world.users["samordnare"], meeting="REK", meeting_date=dt.date(2026, 11, 1)
    )
    picture_agree(
        round_=round_, acting_user=world.users["samordnare"], meeting="REK", meeting_date=dt.date(2026, 11, 2)
    )
    body = world.client("ledamot").get(
        reverse("situation:picture_version", kwargs=_version_kwargs(world, first))
    )
    assert body.status_code == 200 and "Version 3" in body.content.decode()


def test_the_open_version_says_a_summary_is_not_open_rather_than_missing(world):
    round_ = world.situation["A"]["round"]
    samordnare = world.users["samordnare"]
    section = Section.objects.get(template=round_.template, area_code="unga")
    area_summary_save(
        picture_or_round=round_,
        section=section,
        text="Intern bedömning av skolorna",
        level=Level.INTERN,
        acting_user=samordnare,
    )
    version = picture_agree(
        round_=round_, acting_user=samordnare, meeting="REK", meeting_date=dt.date(2026, 11, 12)
    )
    url = reverse("situation:picture_version", kwargs=_version_kwargs(world, version))
    open_version = world.client("lasare").get(url + "?oppen=1").content.decode()
    assert "Intern bedömning av skolorna" not in open_version
    # Two summaries exist (the fixture's begränsad one and this intern one), neither öppen.
    assert (
        open_version.count("Sammanfattningen är inte öppen och ingår därför inte i den öppna versionen.") == 2
    )
    sections = round_.template.sections.count()
    assert open_version.count("Ingen sammanfattning.") == sections - 2
    assert "Ingen sammanfattning ännu." not in open_version  # an agreed version waits for nothing

    full = world.client("lasare").get(url).content.decode()
    assert "Intern bedömning av skolorna" in full and "KANARIE-A-BEGRANSAD" not in full
    assert full.count("Det finns en sammanfattning med en sekretessnivå som din roll inte får läsa.") == 1
    assert "Sammanfattningen är inte öppen" not in full


def test_the_live_picture_says_a_summary_exists_that_the_role_may_not_read(world):
    url = reverse("situation:picture_detail", kwargs=_kwargs(world))
    ledamot = world.client("ledamot").get(url).content.decode()
    assert "KANARIE-A-BEGRANSAD sammanfattning" not in ledamot
    assert "Det finns en sammanfattning med en sekretessnivå som din roll inte får läsa." in ledamot
    samordnare = world.client("samordnare").get(url).content.decode()
    assert "KANARIE-A-BEGRANSAD sammanfattning" in samordnare
    assert "som din roll inte får läsa" not in samordnare


# --- What the live picture keeps between views -----------------------------------------------------------


def test_the_kept_summary_forms_carry_each_requests_own_token_which_a_save_accepts(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["samordnare"])
    url = reverse("situation:picture_detail", kwargs=_kwargs(world))
    first, second = client.get(url), client.get(url)
    assert "situation/picture_summary_form.html" not in [t.name for t in second.templates]  # kept
    tokens = []
    for response in (first, second):
        page = response.content.decode()
        assert "csrf-token-slot" not in page
        tokens.append(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert tokens[0] and tokens[1] and tokens[0] != tokens[1]  # masked anew per request
    section = Section.objects.get(template=world.situation["A"]["round"].template, area_code="unga")
    prefix = f"omrade-{section.pk}"
    saved = client.post(
        reverse("situation:picture_summary_save", kwargs=_kwargs(world)),
        {
            "csrfmiddlewaretoken": tokens[1][0],
            "section": section.pk,
            f"{prefix}-text": "Lugnt vid skolorna",
            f"{prefix}-level": Level.INTERN,
        },
    )
    assert saved.status_code == 302
    after = client.get(url)
    assert "Lugnt vid skolorna" in after.content.decode()  # a new revision: the forms made anew


def test_the_statistics_section_is_rendered_once_per_statistics_key(world):
    client = world.client("ledamot")
    url = reverse("situation:picture_detail", kwargs=_kwargs(world))
    first = client.get(url)
    second = client.get(url)
    names = [[t.name for t in response.templates] for response in (first, second)]
    assert "situation/picture/_statistics.html" not in names[1]
    assert 'id="statistics' in first.content.decode() or "Polisens statistik" in first.content.decode()
    assert first.content.decode().count("Polisens statistik") == second.content.decode().count(
        "Polisens statistik"
    )
