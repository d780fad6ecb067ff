"""Agreement pages through Django's client: members read, the samordnare writes; bad input names the field
and saves nothing; the public version and the PDFs carry no intern/begränsad text (canaries)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from typing import Any

import pytest
from django.utils import timezone

from samverkan.agreements import services
from samverkan.agreements.models import Agreement, FactSource, FocusArea, FocusAreaChange, Signatory
from samverkan.core.models import AuditEntry, Level
from tests.agreements.factories import draft_agreement
from tests.conftest import CANARIES_A, CANARIES_B, CANARY_A_POLIS_ONLY

MEMBERS_OF_A = ("samordnare", "polis", "ledamot", "lasare")
NOT_PUBLIC = (
    CANARIES_A[Level.INTERN],
    CANARIES_A[Level.BEGRANSAD],
    CANARY_A_POLIS_ONLY,
    *CANARIES_B,
)


def _url(world: Any, suffix: str = "", agreement: Any = None) -> str:
    agreement = agreement or world.agreements["A"]["agreement"]
    return f"/samverkan/{agreement.collaboration_id}/overenskommelser/{agreement.pk}/{suffix}"


def _list_url(world: Any, suffix: str = "") -> str:
    return f"/samverkan/{world.a.pk}/overenskommelser/{suffix}"


def _body(response: Any) -> str:
    return response.content.decode()


def _agreement_data(world: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Samverkansavtal Malå 2020–2022",
        "start_date": "2020-01-01",
        "end_date": "2022-12-31",
        "kommuner": ["2418"],
        "purpose": "En välkomnande och trygg kommun.",
        "effects_sought": "Minskad narkotikabrottslighet\nFärre bedrägerier mot äldre",
        "communication_plan": "Avtalet publiceras på kommunens och polisens webbplatser.",
        "followup_rhythm": "Vid varje möte",
        "followup_reporting": "Årlig utvärdering till kommunstyrelsen",
        "evaluation_month": "2",
        "signed_place": "Malå",
        "level": Level.OPPEN,
    }
    data.update(overrides)
    return data


def _draft_2020(world: Any, title: str = "Malå 2020–2022") -> Agreement:
    return draft_agreement(
        collaboration=world.a,
        acting_user=world.users["samordnare"],
        title=title,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2022, 12, 31),
    )


def _pdf_text(pdf: bytes) -> str:
    assert shutil.which("pdftotext"), "pdftotext (Debian poppler-utils) is needed: make system-deps"
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


# --- Reading -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", MEMBERS_OF_A)
def test_every_member_reads_list_detail_print_and_year_wheel(world, persona):
    client = world.client(persona)
    for url in (_list_url(world), _url(world), _url(world, "utskrift/"), _url(world, "arshjul/")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert CANARIES_A[Level.OPPEN] in _body(response)


def test_ledamot_sees_the_document_without_edit_buttons_or_begransad_rows(world):
    body = _body(world.client("ledamot").get(_url(world)))
    assert CANARIES_A[Level.INTERN] in body  # intern focus area and group member
    assert CANARIES_A[Level.BEGRANSAD] not in body
    for button in ("Ändra uppgifter", "Lägg till fokusområde", "Förnya", "Avsluta överenskommelsen"):
        assert button not in body


def test_samordnare_sees_edit_buttons_status_actions_and_begransad_rows(world):
    body = _body(world.client("samordnare").get(_url(world)))
    assert CANARIES_A[Level.BEGRANSAD] in body
    for button in ("Ändra uppgifter", "Lägg till fokusområde", "Lägg till faktakälla", "Förnya"):
        assert button in body
    assert "Avsluta överenskommelsen" in body and "Gör till utkast igen" in body


def test_outsider_and_unknown_ids_get_404(world):
    outsider = world.client("outsider")
    b_agreement = world.agreements["B"]["agreement"]
    for suffix in ("", "utskrift/", "pdf/", "arshjul/", "offentlig/", "andra/", "fornya/"):
        assert outsider.get(_url(world, suffix)).status_code == 404, suffix
    samordnare = world.client("samordnare")
    assert samordnare.get(_url(world, agreement=b_agreement)).status_code == 404
    # B's agreement through A's URL: the agreement must belong to the collaboration in the path.
    assert samordnare.get(f"/samverkan/{world.a.pk}/overenskommelser/{b_agreement.pk}/").status_code == 404
    assert samordnare.get(_list_url(world, "999999/")).status_code == 404


def test_sidebar_links_to_agreements_and_home_shows_current_agreement(world):
    body = _body(world.client("lasare").get(f"/samverkan/{world.a.pk}/"))
    assert f'href="/samverkan/{world.a.pk}/overenskommelser/"' in body
    assert f'href="{_url(world)}"' in body


# --- Writing and permissions ------------------------------------------------------------------------------


def _write_urls(world: Any) -> list[str]:
    a = world.agreements["A"]["agreement"]
    area = a.focus_areas.get(level=Level.OPPEN)
    source = a.fact_sources.first()
    signer = a.signatories.first()
    return [
        _list_url(world, "ny/"),
        _url(world, "andra/"),
        _url(world, "status/"),
        _url(world, "fornya/"),
        _url(world, "fokusomraden/nytt/"),
        _url(world, f"fokusomraden/{area.pk}/andra/"),
        _url(world, f"fokusomraden/{area.pk}/avsluta/"),
        _url(world, f"fokusomraden/{area.pk}/flytta/"),
        _url(world, "faktakallor/ny/"),
        _url(world, f"faktakallor/{source.pk}/andra/"),
        _url(world, f"faktakallor/{source.pk}/ta-bort/"),
        _url(world, "undertecknare/ny/"),
        _url(world, f"undertecknare/{signer.pk}/andra/"),
        _url(world, f"undertecknare/{signer.pk}/ta-bort/"),
    ]


def _state() -> tuple[Any, ...]:
    return (
        list(Agreement.objects.values_list("pk", "title", "status", "start_date", "end_date")),
        list(FocusArea.objects.values_list("pk", "title", "status", "order")),
        FocusAreaChange.objects.count(),
        list(FactSource.objects.values_list("pk", "description")),
        list(Signatory.objects.values_list("pk", "name", "signed_on")),
    )


@pytest.mark.parametrize("persona", ["polis", "ledamot", "lasare"])
def test_members_who_are_not_samordnare_get_403_on_every_write_and_nothing_changes(world, persona):
    client = world.client(persona)
    before = _state()
    data = {
        **_agreement_data(world, start_date="2030-01-01", end_date="2031-12-31"),
        "status": "avslutad",
        "reason": "x",
        "changed_on": "2025-01-01",
        "riktning": "upp",
        "kind": "lupp",
        "rhythm": "arligen",
        "name": "X",
    }
    for url in _write_urls(world):
        assert client.post(url, data).status_code == 403, url
        assert client.get(url).status_code in (403, 405), url
    assert _state() == before


def test_outsider_gets_404_on_every_write(world):
    client = world.client("outsider")
    before = _state()
    for url in _write_urls(world):
        assert client.post(url, {"title": "x", "status": "avslutad"}).status_code == 404, url
    assert _state() == before


def test_samordnare_creates_a_draft_and_is_redirected_to_it(world):
    response = world.client("samordnare").post(_list_url(world, "ny/"), _agreement_data(world))
    agreement = Agreement.objects.get(title="Samverkansavtal Malå 2020–2022")
    assert response.status_code == 302
    assert response["Location"] == _url(world, agreement=agreement)
    assert agreement.status == Agreement.Status.UTKAST
    assert agreement.evaluation_month == 2
    assert [k.pk for k in agreement.kommuner.all()] == ["2418"]


def test_end_before_start_is_an_error_on_end_date_and_nothing_is_saved(world):
    count = Agreement.objects.count()
    response = world.client("samordnare").post(
        _list_url(world, "ny/"), _agreement_data(world, start_date="2022-01-01", end_date="2021-12-31")
    )
    body = _body(response)
    assert response.status_code == 200
    assert "Det finns fel i formuläret" in body
    assert 'href="#id_end_date"' in body
    assert "Slutdatum kan inte vara före startdatum." in body
    assert Agreement.objects.count() == count


def test_overlapping_active_agreement_is_an_error_on_start_date(world):
    count = Agreement.objects.count()
    response = world.client("samordnare").post(
        _list_url(world, "ny/"), _agreement_data(world, start_date="2025-01-01", end_date="2027-12-31")
    )
    body = _body(response)
    assert response.status_code == 200
    assert 'href="#id_start_date"' in body
    assert "överlappar" in body
    assert Agreement.objects.count() == count


def test_kommun_outside_the_collaboration_cannot_be_chosen(world):
    response = world.client("samordnare").post(
        _list_url(world, "ny/"), _agreement_data(world, kommuner=["2039"])
    )
    assert response.status_code == 200
    assert 'href="#id_kommuner_0"' in _body(response)
    assert not Agreement.objects.filter(title="Samverkansavtal Malå 2020–2022").exists()


def test_edit_changes_the_agreement(world):
    agreement = world.agreements["A"]["agreement"]
    data = _agreement_data(world, title="Nytt namn", start_date="2024-01-01", end_date="2026-12-31")
    response = world.client("samordnare").post(_url(world, "andra/"), data)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Nytt namn"
    assert agreement.status == Agreement.Status.GALLANDE


def test_status_moves_only_along_allowed_transitions(world):
    agreement = world.agreements["A"]["agreement"]
    client = world.client("samordnare")
    response = client.post(_url(world, "status/"), {"status": "ersatt"}, follow=True)
    assert "Den statusen kan inte väljas nu." in _body(response)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.GALLANDE
    client.post(_url(world, "status/"), {"status": "avslutad"})
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AVSLUTAD
    assert client.get(_url(world, "status/")).status_code == 405


def test_making_a_draft_gallande_over_an_active_agreement_shows_the_overlap(world):
    draft = _draft_2020(world, "Utkast som överlappar")
    Agreement.objects.filter(pk=draft.pk).update(end_date=dt.date(2024, 6, 30))  # as if edited before a rule
    response = world.client("samordnare").post(
        _url(world, "status/", draft), {"status": "gallande"}, follow=True
    )
    assert "överlappar" in _body(response)
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.UTKAST


# --- Renewal --------------------------------------------------------------------------------------------


def test_renewing_twice_creates_one_successor_and_explains(world):
    agreement = world.agreements["A"]["agreement"]
    client = world.client("samordnare")
    first = client.post(_url(world, "fornya/"), {"title": "Malå 2027–2029"})
    successor = Agreement.objects.get(predecessor=agreement)
    assert first.status_code == 302
    assert first["Location"] == _url(world, agreement=successor)
    assert successor.status == Agreement.Status.UTKAST
    assert (successor.start_date, successor.end_date) == (dt.date(2027, 1, 1), dt.date(2029, 12, 31))

    second = client.post(_url(world, "fornya/"), {"title": "En till"})
    assert second.status_code == 200
    assert "Överenskommelsen är redan förnyad." in _body(second)
    assert Agreement.objects.filter(predecessor=agreement).count() == 1
    assert not Agreement.objects.filter(title="En till").exists()
    assert "redan förnyad" in _body(client.get(_url(world, "fornya/")))

    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ERSATT
    old = _body(client.get(_url(world)))
    assert "Ersatt av" in old and "Malå 2027–2029" in old
    assert "Ändra uppgifter" not in old  # history is read, not rewritten
    new = _body(client.get(_url(world, agreement=successor)))
    assert "Ersätter" in new and CANARIES_A[Level.OPPEN] in new


def test_renewal_page_does_not_name_a_successor_the_user_may_not_read(world):
    agreement = world.agreements["A"]["agreement"]
    successor = services.agreement_renew(agreement=agreement, acting_user=world.users["samordnare"])
    Agreement.objects.filter(pk=successor.pk).update(
        title="HEMLIG-EFTERFÖLJARE", level=Level.BEGRANSAD, restricted_to="polis"
    )
    client = world.client("samordnare")
    body = _body(client.get(_url(world, "fornya/")))
    assert "HEMLIG-EFTERFÖLJARE" not in body
    assert _url(world, agreement=successor) not in body
    # Renewing again is still refused: the successor exists, whoever may read it.
    assert "Överenskommelsen är redan förnyad." in _body(client.post(_url(world, "fornya/"), {"title": "X"}))
    assert Agreement.objects.filter(predecessor=agreement).count() == 1


def test_renewal_page_links_a_readable_successor_and_logs_a_begransad_read(world):
    agreement = world.agreements["A"]["agreement"]
    successor = services.agreement_renew(agreement=agreement, acting_user=world.users["samordnare"])
    Agreement.objects.filter(pk=successor.pk).update(level=Level.BEGRANSAD, restricted_to="samordnare")
    body = _body(world.client("samordnare").get(_url(world, "fornya/")))
    assert successor.title in body and _url(world, agreement=successor) in body
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, target_type="agreements.agreement", target_id=str(successor.pk)
    ).exists()


def test_list_does_not_name_a_predecessor_the_user_may_not_read(world):
    agreement = world.agreements["A"]["agreement"]
    services.agreement_renew(agreement=agreement, acting_user=world.users["samordnare"])
    Agreement.objects.filter(pk=agreement.pk).update(
        title="HEMLIG-FÖREGÅNGARE", level=Level.BEGRANSAD, restricted_to="polis"
    )
    for persona in ("samordnare", "ledamot"):
        body = _body(world.client(persona).get(_list_url(world)))
        assert "HEMLIG-FÖREGÅNGARE" not in body, persona
    assert "Ersätter HEMLIG-FÖREGÅNGARE" in _body(world.client("polis").get(_list_url(world)))


def test_renewal_with_end_before_start_names_the_field(world):
    response = world.client("samordnare").post(
        _url(world, "fornya/"), {"start_date": "2028-01-01", "end_date": "2027-01-01"}
    )
    assert response.status_code == 200
    assert 'href="#id_end_date"' in _body(response)
    assert not Agreement.objects.filter(predecessor=world.agreements["A"]["agreement"]).exists()
    world.agreements["A"]["agreement"].refresh_from_db()
    assert world.agreements["A"]["agreement"].status == Agreement.Status.GALLANDE


# --- Focus areas ----------------------------------------------------------------------------------------


def test_focus_area_added_to_gallande_agreement_needs_a_reason(world):
    count = FocusArea.objects.count()
    response = world.client("samordnare").post(
        _url(world, "fokusomraden/nytt/"),
        {"title": "Bedrägerier", "level": "oppen", "changed_on": "2025-03-01", "reason": ""},
    )
    assert response.status_code == 200
    assert 'href="#id_reason"' in _body(response)
    assert FocusArea.objects.count() == count


def test_focus_area_changed_without_reason_on_gallande_agreement_is_refused(world):
    area = world.agreements["A"]["agreement"].focus_areas.get(level=Level.OPPEN)
    response = world.client("samordnare").post(
        _url(world, f"fokusomraden/{area.pk}/andra/"),
        {"title": "Omskriven", "level": "oppen", "changed_on": "2025-03-01", "reason": " "},
    )
    assert response.status_code == 200
    assert 'href="#id_reason"' in _body(response)
    area.refresh_from_db()
    assert area.title != "Omskriven"


def test_focus_area_add_change_sub_priority_retire_and_move_leave_a_dated_history(world):
    agreement = world.agreements["A"]["agreement"]
    client = world.client("samordnare")
    client.post(
        _url(world, "fokusomraden/nytt/"),
        {
            "title": "Bedrägerier",
            "level": "oppen",
            "changed_on": "2025-03-01",
            "reason": "Fler fall mot äldre.",
        },
    )
    fraud = FocusArea.objects.get(title="Bedrägerier")
    client.post(
        _url(world, "fokusomraden/nytt/"),
        {
            "title": "Telefonbedrägerier",
            "parent": fraud.pk,
            "level": "oppen",
            "changed_on": "2025-03-01",
            "reason": "Delprioritering.",
        },
    )
    assert FocusArea.objects.get(title="Telefonbedrägerier").parent == fraud
    client.post(
        _url(world, f"fokusomraden/{fraud.pk}/andra/"),
        {"title": "Bedrägerier mot äldre", "level": "oppen", "changed_on": "2025-04-01", "reason": "Skärpt."},
    )
    assert (
        client.post(_url(world, f"fokusomraden/{fraud.pk}/flytta/"), {"riktning": "upp"}).status_code == 302
    )
    response = client.post(
        _url(world, f"fokusomraden/{fraud.pk}/avsluta/"), {"changed_on": "2025-09-01", "reason": ""}
    )
    assert 'href="#id_reason"' in _body(response)
    client.post(
        _url(world, f"fokusomraden/{fraud.pk}/avsluta/"), {"changed_on": "2025-09-01", "reason": "Minskat."}
    )
    fraud.refresh_from_db()
    assert fraud.status == FocusArea.Status.AVSLUTAT
    kinds = list(fraud.changes.values_list("kind", "changed_on"))
    assert kinds == [
        ("tillagt", dt.date(2025, 3, 1)),
        ("andrat", dt.date(2025, 4, 1)),
        ("avslutat", dt.date(2025, 9, 1)),
    ]
    body = _body(client.get(_url(world)))
    assert "Avslutade fokusområden" in body
    assert "Fler fall mot äldre." in body and "Minskat." in body
    assert agreement.focus_areas.get(title="Telefonbedrägerier").status == FocusArea.Status.AVSLUTAT


def test_focus_area_with_a_future_date_is_refused(world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = world.client("samordnare").post(
        _url(world, "fokusomraden/nytt/"),
        {"title": "Framtid", "level": "oppen", "changed_on": tomorrow.isoformat(), "reason": "x"},
    )
    assert 'href="#id_changed_on"' in _body(response)
    assert not FocusArea.objects.filter(title="Framtid").exists()


# --- Fact sources and signatories -------------------------------------------------------------------------


def test_fact_source_create_edit_and_delete(world):
    client = world.client("samordnare")
    response = client.post(
        _url(world, "faktakallor/ny/"),
        {
            "kind": "medborgarenkat",
            "rhythm": "arligen",
            "month": "10",
            "level": "oppen",
            "description": "Enkät",
        },
    )
    assert response.status_code == 302
    source = FactSource.objects.get(description="Enkät")
    assert source.month == 10
    client.post(
        _url(world, f"faktakallor/{source.pk}/andra/"),
        {
            "kind": "medborgarenkat",
            "rhythm": "arligen",
            "month": "11",
            "level": "intern",
            "description": "Enkät",
        },
    )
    source.refresh_from_db()
    assert (source.month, source.level) == (11, Level.INTERN)
    wheel = _body(client.get(_url(world, "arshjul/?ar=2025")))
    assert "Enkät" in wheel[wheel.index('id="manad-11"') : wheel.index('id="manad-12"')]
    client.post(_url(world, f"faktakallor/{source.pk}/ta-bort/"))
    assert not FactSource.objects.filter(pk=source.pk).exists()


@pytest.mark.parametrize(
    ("signed_on", "message"),
    [
        ("future", "framtiden"),
        ("1989-12-31", "orimligt tidigt"),
        ("2023-05-01", "upphört"),  # after the 2020–2022 agreement's end
    ],
)
def test_signatory_date_outside_sensible_bounds_is_a_field_error(world, signed_on, message):
    agreement = _draft_2020(world)
    if signed_on == "future":
        signed_on = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = world.client("samordnare").post(
        _url(world, "undertecknare/ny/", agreement),
        {"name": "Kim Test", "title": "Kommunalråd", "organisation": world.org_a.pk, "signed_on": signed_on},
    )
    body = _body(response)
    assert response.status_code == 200
    assert 'href="#id_signed_on"' in body
    assert message in body
    assert not agreement.signatories.exists()


def test_signatory_saved_and_shown_in_the_signatures_block(world):
    agreement = _draft_2020(world)
    client = world.client("samordnare")
    response = client.post(
        _url(world, "undertecknare/ny/", agreement),
        {
            "name": "Kim Test",
            "title": "Kommunalråd",
            "organisation": world.org_a.pk,
            "signed_on": "2019-12-15",
        },
    )
    assert response.status_code == 302
    signer = agreement.signatories.get()
    assert signer.signed_on == dt.date(2019, 12, 15)
    body = _body(client.get(_url(world, "utskrift/", agreement)))
    assert "Kim Test" in body and "Undertecknad 2019-12-15" in body and "signature__line" in body
    client.post(_url(world, f"undertecknare/{signer.pk}/ta-bort/", agreement))
    assert not agreement.signatories.exists()


def test_signatory_needs_a_party(world):
    agreement = _draft_2020(world)
    response = world.client("samordnare").post(
        _url(world, "undertecknare/ny/", agreement), {"name": "Kim Test", "title": "Kommunalråd"}
    )
    assert 'href="#id_organisation"' in _body(response)
    assert not agreement.signatories.exists()


# --- Årshjul ---------------------------------------------------------------------------------------------


def test_year_wheel_has_twelve_months_and_clamps_the_year(world):
    client = world.client("ledamot")
    body = _body(client.get(_url(world, "arshjul/?ar=2025")))
    assert body.count('class="year-wheel__month"') == 12
    assert "Årshjul 2025" in body
    assert "Möte: " in body  # the REK group meets four times a year
    assert "Årshjul 2024" in _body(client.get(_url(world, "arshjul/?ar=1999")))
    assert "Årshjul 2026" in _body(client.get(_url(world, "arshjul/?ar=2100")))
    assert "Årshjul 2026" in _body(client.get(_url(world, "arshjul/?ar=nej")))  # today, in the period


# --- Public version ---------------------------------------------------------------------------------------


def test_public_preview_and_portal_show_only_oppen_content(world):
    agreement = world.agreements["A"]["agreement"]
    preview = _body(world.client("samordnare").get(_url(world, "offentlig/")))
    portal_page = world.client("anonymous").get(
        f"/offentlig/samverkan/{world.a.pk}/overenskommelser/{agreement.pk}/"
    )
    portal_list = world.client("anonymous").get(f"/offentlig/samverkan/{world.a.pk}/")
    assert portal_page.status_code == 200 and portal_list.status_code == 200
    for body in (preview, _body(portal_page), _body(portal_list)):
        assert CANARIES_A[Level.OPPEN] in body
        for canary in NOT_PUBLIC:
            assert canary not in body
    assert "sekretessnivå" not in _body(portal_page).lower()
    assert f'href="/offentlig/samverkan/{world.a.pk}/"' in _body(world.client("anonymous").get("/offentlig/"))


def test_portal_hides_drafts_and_non_oppen_agreements(world):
    draft = _draft_2020(world)
    anonymous = world.client("anonymous")
    assert anonymous.get(f"/offentlig/samverkan/{world.a.pk}/overenskommelser/{draft.pk}/").status_code == 404
    assert "Malå 2020–2022" not in _body(anonymous.get(f"/offentlig/samverkan/{world.a.pk}/"))
    assert "är ett utkast" in _body(world.client("ledamot").get(_url(world, "offentlig/", draft)))
    agreement = world.agreements["A"]["agreement"]
    Agreement.objects.filter(pk=agreement.pk).update(level=Level.INTERN)
    assert (
        anonymous.get(f"/offentlig/samverkan/{world.a.pk}/overenskommelser/{agreement.pk}/").status_code
        == 404
    )
    assert (
        anonymous.get(f"/offentlig/samverkan/{world.a.pk}/overenskommelser/{agreement.pk}/pdf/").status_code
        == 404
    )
    assert anonymous.get("/offentlig/samverkan/999999/").status_code == 404


def test_public_version_does_not_link_to_a_draft_successor(world):
    agreement = world.agreements["A"]["agreement"]
    successor = services.agreement_renew(agreement=agreement, acting_user=world.users["samordnare"])
    body = _body(
        world.client("anonymous").get(f"/offentlig/samverkan/{world.a.pk}/overenskommelser/{agreement.pk}/")
    )
    assert successor.title not in body
    assert "Ersatt av" in _body(world.client("samordnare").get(_url(world)))


# --- PDF -------------------------------------------------------------------------------------------------


def test_pdf_for_ledamot_has_no_begransad_text(world):
    response = world.client("ledamot").get(_url(world, "pdf/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    assert CANARIES_A[Level.OPPEN] in text
    assert CANARIES_A[Level.INTERN] in text
    assert CANARIES_A[Level.BEGRANSAD] not in text
    assert "Underskrifter" in text and "Ada Test" in text


def test_pdf_is_pdf_a_3b_tagged_with_embedded_fonts(world, tmp_path):
    pdf = tmp_path / "overenskommelse.pdf"
    pdf.write_bytes(world.client("samordnare").get(_url(world, "pdf/")).content)
    assert shutil.which("pdfinfo"), "pdfinfo (Debian poppler-utils) is needed: make system-deps"
    meta = subprocess.run(["pdfinfo", "-meta", pdf], capture_output=True, check=True, text=True).stdout
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, check=True, text=True).stdout
    assert "Tagged:          yes" in info
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, check=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts  # every font embedded
    assert any("DejaVu" in row for row in rows)


def test_public_pdf_has_no_intern_or_begransad_text(world):
    agreement = world.agreements["A"]["agreement"]
    response = world.client("anonymous").get(
        f"/offentlig/samverkan/{world.a.pk}/overenskommelser/{agreement.pk}/pdf/"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert CANARIES_A[Level.OPPEN] in text
    for canary in NOT_PUBLIC:
        assert canary not in text


def test_pdf_without_weasyprint_is_a_clear_503(world, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as on a server without Pango
    response = world.client("ledamot").get(_url(world, "pdf/"))
    assert response.status_code == 503
    assert "PDF kan inte skapas just nu" in _body(response)


def test_pdf_renderer_fetches_only_our_static_files():
    from samverkan.core.exports.pdf import BASE_URL, _static_path

    assert _static_path(BASE_URL + "static/agreements/agreements.css")
    assert _static_path(BASE_URL + "static/../settings.py") is None
    assert _static_path("https://example.org/static/agreements/agreements.css") is None
    assert _static_path("file:///etc/passwd") is None


def test_dates_outside_the_products_years_are_refused_by_the_forms_not_a_500(world):
    """A form took any date Python can hold; an agreement ending 9999-12-31 then made the renewal's default
    next period overflow (a 500). The forms now keep the API's years (1990–2100)."""
    client = world.client("samordnare")
    response = client.post(_url(world, "fornya/"), {"start_date": "2101-01-01", "end_date": "9999-12-31"})
    assert response.status_code == 200
    body = _body(response)
    assert 'href="#id_start_date"' in body and 'href="#id_end_date"' in body
    assert "mellan år 1990 och 2100" in body
    assert not Agreement.objects.filter(predecessor=world.agreements["A"]["agreement"]).exists()


def test_renewing_an_agreement_at_the_end_of_the_calendar_is_refused_with_a_message(world):
    """Written before the bound (or by a script): renewing must explain, not overflow."""
    agreement = world.agreements["A"]["agreement"]
    Agreement.objects.filter(pk=agreement.pk).update(end_date=dt.date(9999, 12, 31))
    response = world.client("samordnare").post(_url(world, "fornya/"), {"title": "Nästa"})
    assert response.status_code == 200
    assert "mellan år 1990 och 2100" in _body(response)
    assert not Agreement.objects.filter(predecessor=agreement).exists()
