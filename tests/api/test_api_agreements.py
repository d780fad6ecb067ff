"""The REST API for agreements, focus areas, groups and citizen promises: visibility, writes by role."""

from __future__ import annotations

import datetime as dt

import pytest

from samverkan.agreements.models import (
    Agreement,
    CitizenPromise,
    FactSource,
    FocusArea,
    Group,
    GroupMember,
)
from samverkan.core.models import AuditEntry, Level
from tests.agreements.factories import (
    AgreementFactory,
    CitizenPromiseFactory,
    FactSourceFactory,
    FocusAreaFactory,
    GroupFactory,
    PromiseActivityFactory,
)
from tests.api.conftest import BASE
from tests.audit import logged_ids
from tests.factories import OrganisationFactory

A_SECRET = "KANARIE-A-BEGRANSAD"
A_NON_PUBLIC = ("KANARIE-A-INTERN", "KANARIE-A-BEGRANSAD", "KANARIE-A-BARA-POLIS")


def _a(world, name):
    return world.agreements["A"][name]


def _a_paths(world):
    """Every GET path for collaboration A's rows, the begränsad focus area included."""
    agreement = _a(world, "agreement")
    areas = FocusArea.objects.filter(agreement=agreement)
    return [
        f"/agreements/{agreement.pk}",
        f"/agreements/{agreement.pk}/year-wheel?year=2025",
        f"/groups/{_a(world, 'group').pk}",
        f"/promises/{_a(world, 'promise').pk}",
        *(f"/focus-areas/{area.pk}" for area in areas),
    ]


LISTS = ("/agreements", "/focus-areas", "/groups", "/promises")


def _loc(response, field):
    assert response.status_code == 422, response.content
    return any(field in err["loc"] for err in response.json()["detail"])


@pytest.fixture
def secret_group(world):
    """A begränsad group the open group meets around: its name and id must not reach a ledamot."""
    a = world.a
    hidden = GroupFactory(
        collaboration=a,
        name=f"{A_SECRET} grupp",
        kind=Group.Kind.EST,
        meetings_per_year=12,
        level="begransad",
    )
    group = _a(world, "group")
    group.meets_around = hidden
    group.meets_around_relation = Group.Relation.FORE
    group.reports_to = hidden
    group.save()
    hidden.agreements.add(_a(world, "agreement"))
    FactSourceFactory(
        agreement=_a(world, "agreement"),
        kind=FactSource.Kind.POLISSTATISTIK,
        rhythm=FactSource.Rhythm.ARLIGEN,
        month=5,
        description=f"{A_SECRET} årlig källa",
        level=Level.BEGRANSAD,
    )
    return hidden


# --- Reading -----------------------------------------------------------------------------------------


def test_paths_are_in_the_schema(client, db):
    paths = client.get(f"{BASE}/openapi.json").json()["paths"]
    for path in (
        "/api/v1/agreements",
        "/api/v1/agreements/{agreement_id}",
        "/api/v1/agreements/{agreement_id}/year-wheel",
        "/api/v1/focus-areas/{focus_area_id}",
        "/api/v1/groups/{group_id}/members/{member_id}",
        "/api/v1/promises/{promise_id}",
    ):
        assert path in paths


@pytest.mark.parametrize("persona", ["ledamot", "lasare"])
def test_member_without_begransad_sees_no_begransad_anywhere(api, world, persona, secret_group):
    for path in [*LISTS, *(f"{p}?collaboration={world.a.pk}" for p in LISTS), *_a_paths(world)]:
        response = api(persona, "get", path)
        body = response.content.decode()
        if "/focus-areas/" in path and response.status_code == 404:
            continue  # the begränsad focus area itself
        assert response.status_code == 200, f"{path}: {response.status_code}"
        assert A_SECRET not in body, path
        assert "KANARIE-B" not in body, path
    detail = api(persona, "get", f"/agreements/{_a(world, 'agreement').pk}").json()
    assert detail["fact_sources"] == []
    assert len(detail["focus_areas"]) == 2
    assert detail["groups"] == [_a(world, "group").pk]
    group = api(persona, "get", f"/groups/{_a(world, 'group').pk}").json()
    assert group["reports_to"] is None and group["meets_around"] is None
    assert secret_group.pk not in group["reporting_groups"] + group["surrounding_groups"]
    assert [m["representing"] for m in group["members"]] == ["KANARIE-A-INTERN medlem"]
    begransad = FocusArea.objects.get(agreement=_a(world, "agreement"), level=Level.BEGRANSAD)
    assert api(persona, "get", f"/focus-areas/{begransad.pk}").status_code == 404
    assert api(persona, "get", f"/groups/{secret_group.pk}").status_code == 404


@pytest.mark.parametrize("persona", ["samordnare", "polis"])
def test_begransad_readers_see_nested_rows_and_reads_are_logged(api, world, persona, secret_group):
    agreement = _a(world, "agreement")
    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    detail = api(persona, "get", f"/agreements/{agreement.pk}").json()
    assert {s["description"] for s in detail["fact_sources"]} == {
        "KANARIE-A-BEGRANSAD källa",
        "KANARIE-A-BEGRANSAD årlig källa",
    }
    assert all(s["restricted_to"] == ["polis", "samordnare"] for s in detail["fact_sources"])
    assert len(detail["focus_areas"]) == 3
    assert set(detail["groups"]) == {_a(world, "group").pk, secret_group.pk}
    assert len(logged_ids(label="agreements.factsource")) == 2
    # One entry for the answer, naming both fact sources.
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() == before + 1
    wheel = api(persona, "get", f"/agreements/{agreement.pk}/year-wheel?year=2025").json()
    assert [m["month"] for m in wheel] == list(range(1, 13))
    may = {e["title"] for e in wheel[4]["events"]}
    assert "KANARIE-A-BEGRANSAD årlig källa" in may
    group = api(persona, "get", f"/groups/{_a(world, 'group').pk}").json()
    assert group["meets_around"] == secret_group.pk and group["reports_to"] == secret_group.pk
    assert api(persona, "get", f"/groups/{secret_group.pk}").json()["reporting_groups"] == [
        _a(world, "group").pk
    ]


def test_year_wheel_for_ledamot_hides_begransad_sources_and_groups(api, world, secret_group):
    agreement = _a(world, "agreement")
    wheel = api("ledamot", "get", f"/agreements/{agreement.pk}/year-wheel?year=2025").json()
    body = str(wheel)
    assert A_SECRET not in body
    meetings = [e for month in wheel for e in month["events"] if e["kind"] == "meeting"]
    assert len(meetings) == 4 and all("KANARIE-A-OPPEN grupp" in e["title"] for e in meetings)
    assert all(e["detail"] == "" for e in meetings)  # meets around a group the ledamot may not see
    evaluation = [e for e in wheel[0]["events"] if e["kind"] == "evaluation"]
    assert evaluation
    default_year = api("ledamot", "get", f"/agreements/{agreement.pk}/year-wheel")
    assert default_year.status_code == 200 and len(default_year.json()) == 12
    assert _loc(api("ledamot", "get", f"/agreements/{agreement.pk}/year-wheel?year=99999"), "year")


def test_outsider_gets_404_on_a_and_no_a_canaries_in_lists(api, world):
    for path in _a_paths(world):
        response = api("outsider", "get", path)
        assert response.status_code == 404, path
        assert "detail" in response.json()
    for path in [*LISTS, *(f"{p}?collaboration={world.a.pk}" for p in LISTS)]:
        body = api("outsider", "get", path).content.decode()
        assert not any(c in body for c in A_NON_PUBLIC), path
        assert "KANARIE-A" not in body, path
    own = api("outsider", "get", "/agreements").json()
    assert [a["title"] for a in own["items"]] == ["KANARIE-B-OPPEN överenskommelse"]


def test_lists_filter_by_collaboration_and_paginate(api, world):
    listed = api("samordnare", "get", f"/focus-areas?collaboration={world.a.pk}").json()
    assert listed["count"] == 3
    page = api("samordnare", "get", f"/focus-areas?collaboration={world.a.pk}&limit=2&offset=0").json()
    assert page["count"] == 3 and len(page["items"]) == 2
    rest = api("samordnare", "get", f"/focus-areas?collaboration={world.a.pk}&limit=2&offset=2").json()
    assert len(rest["items"]) == 1
    assert {i["id"] for i in page["items"] + rest["items"]} == {
        a.pk for a in FocusArea.objects.filter(collaboration=world.a)
    }
    assert api("samordnare", "get", f"/agreements?collaboration={world.b.pk}").json() == {
        "items": [],
        "count": 0,
    }
    by_agreement = api("ledamot", "get", f"/focus-areas?agreement={_a(world, 'agreement').pk}").json()
    assert by_agreement["count"] == 2
    assert api("ledamot", "get", "/agreements?status=utkast").json()["count"] == 0
    assert api("ledamot", "get", "/promises").json()["count"] == 1


def test_list_pages_log_begransad_reads(api, world):
    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ, target_type="agreements.focusarea")
    assert before.count() == 0
    api("polis", "get", "/focus-areas")
    assert before.count() == 1


def test_rows_of_an_invisible_agreement_stay_hidden(api, world):
    secret = AgreementFactory(
        collaboration=world.a,
        title=f"{A_SECRET} överenskommelse",
        start_date=dt.date(2030, 1, 1),
        end_date=dt.date(2030, 12, 31),
        level=Level.BEGRANSAD,
    )
    open_area = FocusAreaFactory(agreement=secret, title="Öppet område i begränsad", level=Level.OPPEN)
    assert api("ledamot", "get", f"/agreements/{secret.pk}").status_code == 404
    assert api("ledamot", "get", f"/focus-areas/{open_area.pk}").status_code == 404
    assert "Öppet område" not in api("ledamot", "get", "/focus-areas").content.decode()
    assert api("samordnare", "get", f"/focus-areas/{open_area.pk}").status_code == 200


def test_predecessor_and_successor_only_when_visible(api, world):
    old = _a(world, "agreement")
    successor = api("samordnare", "post", f"/agreements/{old.pk}/renew", {}).json()
    Agreement.objects.filter(pk=successor["id"]).update(level=Level.BEGRANSAD)
    assert api("samordnare", "get", f"/agreements/{old.pk}").json()["successor"] == successor["id"]
    ledamot = api("ledamot", "get", f"/agreements/{old.pk}").json()
    assert ledamot["successor"] is None
    listed = api("ledamot", "get", "/agreements").json()["items"]
    assert [(a["id"], a["successor"]) for a in listed] == [(old.pk, None)]


@pytest.mark.parametrize(
    "path",
    [
        "/agreements/999999",
        "/agreements/999999/year-wheel",
        "/focus-areas/999999",
        "/groups/999999",
        "/promises/999999",
    ],
)
def test_unknown_ids_are_404_json(api, world, path):
    response = api("samordnare", "get", path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


# --- Writing agreements ------------------------------------------------------------------------------


def _new_agreement(world, **overrides):
    data = {
        "collaboration": world.a.pk,
        "title": "Ny överenskommelse",
        "start_date": "2027-01-01",
        "end_date": "2028-12-31",
        "kommuner": ["2418"],
        "other_parties": [world.org_a.pk],
        "purpose": "Trygghet",
        "evaluation_month": 2,
    }
    return {**data, **overrides}


def test_samordnare_creates_and_patches_an_agreement(api, world):
    created = api("samordnare", "post", "/agreements", _new_agreement(world))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "utkast" and body["kommuner"] == ["2418"]
    assert body["other_parties"] == [world.org_a.pk] and body["level"] == "oppen"
    assert body["fact_sources"] == [] and body["predecessor"] is None
    patched = api("samordnare", "patch", f"/agreements/{body['id']}", {"title": "Ändrad", "purpose": "Mer"})
    assert patched.status_code == 200, patched.content
    assert patched.json()["title"] == "Ändrad" and patched.json()["kommuner"] == ["2418"]
    null = api("samordnare", "patch", f"/agreements/{body['id']}", {"title": None})
    assert _loc(null, "title")
    unknown_kommun = api("samordnare", "patch", f"/agreements/{body['id']}", {"kommuner": ["9999"]})
    assert _loc(unknown_kommun, "kommuner")
    foreign_party = api(
        "samordnare", "patch", f"/agreements/{body['id']}", {"other_parties": [world.org_b.pk]}
    )
    assert _loc(foreign_party, "other_parties")
    status = api("samordnare", "post", f"/agreements/{body['id']}/status", {"status": "avslutad"})
    assert _loc(status, "status")  # utkast → avslutad is not a transition
    ok = api("samordnare", "post", f"/agreements/{body['id']}/status", {"status": "gallande"})
    assert ok.status_code == 200 and ok.json()["status"] == "gallande"


def test_end_before_start_is_422_on_end_date(api, world):
    response = api("samordnare", "post", "/agreements", _new_agreement(world, end_date="2026-12-31"))
    assert _loc(response, "end_date")
    assert not Agreement.objects.filter(title="Ny överenskommelse").exists()


def test_overlapping_active_agreement_is_422_on_start_date(api, world):
    response = api("samordnare", "post", "/agreements", _new_agreement(world, start_date="2026-06-01"))
    assert _loc(response, "start_date")


def test_missing_field_is_422_naming_it(api, world):
    data = _new_agreement(world)
    del data["start_date"]
    assert _loc(api("samordnare", "post", "/agreements", data), "start_date")


def test_writes_by_role(api, world):
    agreement = _a(world, "agreement")
    assert api("ledamot", "post", "/agreements", _new_agreement(world)).status_code == 403
    assert api("polis", "patch", f"/agreements/{agreement.pk}", {"title": "x"}).status_code == 403
    assert api("lasare", "post", f"/agreements/{agreement.pk}/renew", {}).status_code == 403
    outsider = api("outsider", "post", "/agreements", _new_agreement(world))
    assert outsider.status_code == 404
    assert api("outsider", "patch", f"/agreements/{agreement.pk}", {"title": "x"}).status_code == 404
    assert api("outsider", "post", f"/agreements/{agreement.pk}/renew", {}).status_code == 404
    assert Agreement.objects.filter(collaboration=world.a).count() == 1
    agreement.refresh_from_db()
    assert agreement.title == "KANARIE-A-OPPEN överenskommelse"


def test_begransad_rows_are_404_even_for_writes(api, world):
    area = FocusArea.objects.get(agreement=_a(world, "agreement"), level=Level.BEGRANSAD)
    response = api("ledamot", "patch", f"/focus-areas/{area.pk}", {"title": "x", "reason": "y"})
    assert response.status_code == 404


def test_renew_twice_gives_one_successor(api, world):
    agreement = _a(world, "agreement")
    first = api("samordnare", "post", f"/agreements/{agreement.pk}/renew", {"title": "Nästa period"})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "utkast" and body["predecessor"] == agreement.pk
    assert body["start_date"] == "2027-01-01" and body["title"] == "Nästa period"
    assert len(body["fact_sources"]) == 1 and len(body["focus_areas"]) == 3
    second = api("samordnare", "post", f"/agreements/{agreement.pk}/renew", {})
    assert second.status_code == 422
    assert Agreement.objects.filter(predecessor=agreement).count() == 1
    old = api("samordnare", "get", f"/agreements/{agreement.pk}").json()
    assert old["status"] == "ersatt" and old["successor"] == body["id"]


def test_fact_sources_and_signatories(api, world):
    agreement = _a(world, "agreement")
    created = api(
        "samordnare",
        "post",
        f"/agreements/{agreement.pk}/fact-sources",
        {"kind": "lupp", "rhythm": "arligen", "month": 9, "provider": world.org_a.pk, "level": "intern"},
    )
    assert created.status_code == 201, created.content
    source = created.json()
    patched = api(
        "samordnare",
        "patch",
        f"/agreements/{agreement.pk}/fact-sources/{source['id']}",
        {"description": "Lupp 2025"},
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["level"] == "intern" and patched.json()["month"] == 9
    foreign = api(
        "samordnare",
        "patch",
        f"/agreements/{agreement.pk}/fact-sources/{source['id']}",
        {"provider": world.org_b.pk},
    )
    assert _loc(foreign, "provider")
    hidden = FactSource.objects.get(agreement=agreement, level=Level.BEGRANSAD)
    assert api("ledamot", "delete", f"/agreements/{agreement.pk}/fact-sources/{hidden.pk}").status_code == 404
    assert (
        api("ledamot", "delete", f"/agreements/{agreement.pk}/fact-sources/{source['id']}").status_code == 403
    )
    assert (
        api("samordnare", "delete", f"/agreements/{agreement.pk}/fact-sources/{source['id']}").status_code
        == 204
    )
    signed = api(
        "samordnare",
        "post",
        f"/agreements/{agreement.pk}/signatories",
        {
            "name": "Bo Test",
            "title": "Lokalpolisområdeschef",
            "organisation_name": "Polisen",
            "signed_on": "2024-01-10",
        },
    )
    assert signed.status_code == 201, signed.content
    assert signed.json()["party_name"] == "Polisen"
    future = api(
        "samordnare",
        "patch",
        f"/agreements/{agreement.pk}/signatories/{signed.json()['id']}",
        {"signed_on": "2099-01-01"},
    )
    assert _loc(future, "signed_on")


# --- Focus areas ---------------------------------------------------------------------------------------


def test_focus_area_changes_need_a_reason_once_in_force(api, world):
    area = FocusArea.objects.get(agreement=_a(world, "agreement"), level=Level.OPPEN)
    response = api("samordnare", "patch", f"/focus-areas/{area.pk}", {"title": "Nytt namn"})
    assert _loc(response, "reason")
    area.refresh_from_db()
    assert area.title == "KANARIE-A-OPPEN fokus"
    ok = api(
        "samordnare",
        "patch",
        f"/focus-areas/{area.pk}",
        {"title": "Nytt namn", "reason": "Lägesbilden har ändrats", "changed_on": "2025-03-01"},
    )
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert body["title"] == "Nytt namn" and body["level"] == "oppen"
    assert [(c["kind"], c["changed_on"], c["reason"]) for c in body["changes"]] == [
        ("andrat", "2025-03-01", "Lägesbilden har ändrats")
    ]
    assert api("ledamot", "patch", f"/focus-areas/{area.pk}", {"reason": "x"}).status_code == 403


def test_focus_area_create_retire_and_children(api, world):
    agreement = _a(world, "agreement")
    missing_reason = api(
        "samordnare", "post", "/focus-areas", {"agreement": agreement.pk, "title": "Unga vuxna"}
    )
    assert _loc(missing_reason, "reason")
    created = api(
        "samordnare",
        "post",
        "/focus-areas",
        {"agreement": agreement.pk, "title": "Unga vuxna", "reason": "Ny bild", "level": "intern"},
    )
    assert created.status_code == 201, created.content
    parent = created.json()
    assert parent["changes"][0]["kind"] == "tillagt" and parent["level"] == "intern"
    child = api(
        "samordnare",
        "post",
        "/focus-areas",
        {"agreement": agreement.pk, "title": "Kvällar", "parent": parent["id"], "reason": "Del"},
    ).json()
    assert child["parent"] == parent["id"]
    assert api("ledamot", "get", f"/focus-areas/{parent['id']}").json()["children"] == [child["id"]]
    retire_no_reason = api("samordnare", "post", f"/focus-areas/{parent['id']}/retire", {"reason": " "})
    assert _loc(retire_no_reason, "reason")
    retired = api("samordnare", "post", f"/focus-areas/{parent['id']}/retire", {"reason": "Klart"})
    assert retired.status_code == 200 and retired.json()["status"] == "avslutat"
    assert api("samordnare", "get", f"/focus-areas/{child['id']}").json()["status"] == "avslutat"
    active = api("samordnare", "get", f"/focus-areas?agreement={agreement.pk}&status=aktivt").json()
    assert parent["id"] not in {a["id"] for a in active["items"]}
    hidden_parent = FocusArea.objects.get(agreement=agreement, level=Level.BEGRANSAD)
    response = api(
        "samordnare",
        "post",
        "/focus-areas",
        {"agreement": agreement.pk, "title": "x", "parent": 999999, "reason": "y"},
    )
    assert _loc(response, "parent")
    assert (
        api("ledamot", "post", "/focus-areas", {"agreement": agreement.pk, "title": "x"}).status_code == 403
    )
    assert hidden_parent.children.count() == 0


# --- Groups --------------------------------------------------------------------------------------------


def test_group_create_patch_keeps_level(api, world):
    agreement = _a(world, "agreement")
    created = api(
        "samordnare",
        "post",
        "/groups",
        {
            "collaboration": world.a.pk,
            "name": "Styrgrupp",
            "kind": "styrgrupp",
            "tier": "strategisk",
            "meetings_per_year": 2,
            "agreements": [agreement.pk],
            "level": "intern",
        },
    )
    assert created.status_code == 201, created.content
    group = created.json()
    assert group["agreements"] == [agreement.pk] and group["members"] == []
    patched = api(
        "samordnare",
        "patch",
        f"/groups/{_a(world, 'group').pk}",
        {"reports_to": group["id"], "place": "Kommunhuset"},
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["reports_to"] == group["id"] and patched.json()["level"] == "oppen"
    assert api("samordnare", "patch", f"/groups/{group['id']}", {"name": "Ny"}).json()["level"] == "intern"
    circular = api("samordnare", "patch", f"/groups/{group['id']}", {"reports_to": _a(world, "group").pk})
    assert _loc(circular, "reports_to")
    relation = api("samordnare", "patch", f"/groups/{group['id']}", {"meets_around": _a(world, "group").pk})
    assert _loc(relation, "meets_around_relation")
    foreign = api(
        "samordnare",
        "patch",
        f"/groups/{group['id']}",
        {"agreements": [world.agreements["B"]["agreement"].pk]},
    )
    assert _loc(foreign, "agreements")
    assert api("ledamot", "patch", f"/groups/{group['id']}", {"name": "x"}).status_code == 403
    assert api("outsider", "patch", f"/groups/{group['id']}", {"name": "x"}).status_code == 404
    listed = api("ledamot", "get", f"/groups?collaboration={world.a.pk}").json()
    assert listed["count"] == 2
    assert api("ledamot", "get", f"/groups?agreement={agreement.pk}&tier=strategisk").json()["count"] == 1
    cleared = api("samordnare", "patch", f"/groups/{group['id']}", {"agreements": []})
    assert cleared.status_code == 200 and cleared.json()["agreements"] == []


def test_group_members_non_party_only_invited(api, world):
    group = _a(world, "group")
    outsider_org = OrganisationFactory(name="Malå Företagarförening", home_kommun_id="2418")
    standing = api(
        "samordnare",
        "post",
        f"/groups/{group.pk}/members",
        {"organisation": outsider_org.pk, "standing": "standig"},
    )
    assert _loc(standing, "standing")
    invited = api(
        "samordnare",
        "post",
        f"/groups/{group.pk}/members",
        {
            "organisation": outsider_org.pk,
            "standing": "inbjuden",
            "person_name": "Eva Ek",
            "role": "adjungerad",
        },
    )
    assert invited.status_code == 201, invited.content
    member = invited.json()
    assert member["organisation_name"] == "Malå Företagarförening" and member["person_name"] == "Eva Ek"
    party = api(
        "samordnare",
        "post",
        f"/groups/{group.pk}/members",
        {
            "organisation": world.org_a.pk,
            "role": "ordforande",
            "level": "begransad",
            "restricted_to": ["samordnare"],
        },
    )
    assert party.status_code == 201, party.content
    foreign = api("samordnare", "post", f"/groups/{group.pk}/members", {"organisation": world.org_b.pk})
    assert _loc(foreign, "organisation")
    nobody = api("samordnare", "post", f"/groups/{group.pk}/members", {})
    assert _loc(nobody, "organisation")
    assert api("ledamot", "post", f"/groups/{group.pk}/members", {"representing": "x"}).status_code == 403
    ledamot_view = api("ledamot", "get", f"/groups/{group.pk}").json()
    assert party.json()["id"] not in {m["id"] for m in ledamot_view["members"]}
    patched = api(
        "samordnare", "patch", f"/groups/{group.pk}/members/{member['id']}", {"role": "sekreterare"}
    )
    assert patched.status_code == 200 and patched.json()["role"] == "sekreterare"
    assert patched.json()["standing"] == "inbjuden" and patched.json()["person_name"] == "Eva Ek"
    hidden = party.json()["id"]
    assert api("polis", "delete", f"/groups/{group.pk}/members/{hidden}").status_code == 404
    assert api("ledamot", "delete", f"/groups/{group.pk}/members/{member['id']}").status_code == 403
    assert api("samordnare", "delete", f"/groups/{group.pk}/members/{member['id']}").status_code == 204
    assert not GroupMember.objects.filter(pk=member["id"]).exists()
    assert api("samordnare", "delete", f"/groups/{group.pk}/members/999999").status_code == 404


# --- Citizen promises ----------------------------------------------------------------------------------


def test_promises_read_and_write(api, world):
    promise = _a(world, "promise")
    ledamot = api("ledamot", "get", f"/promises/{promise.pk}").json()
    assert ledamot["is_public"] is False and ledamot["agreement"] == _a(world, "agreement").pk
    assert [a["description"] for a in ledamot["activities"]] == ["KANARIE-A-INTERN aktivitet"]
    PromiseActivityFactory(promise=promise, description=f"{A_SECRET} aktivitet", level=Level.BEGRANSAD)
    assert A_SECRET not in api("ledamot", "get", f"/promises/{promise.pk}").content.decode()
    assert len(api("polis", "get", f"/promises/{promise.pk}").json()["activities"]) == 2
    created = api(
        "samordnare",
        "post",
        "/promises",
        {
            "collaboration": world.a.pk,
            "title": "Trygg skolväg",
            "text": "Vi finns vid skolorna",
            "start_date": "2025-01-01",
            "end_date": "2025-12-31",
            "agreement": _a(world, "agreement").pk,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["level"] == "oppen" and body["is_public"] is True and body["activities"] == []
    patched = api("samordnare", "patch", f"/promises/{body['id']}", {"status": "pagar", "agreement": None})
    assert patched.status_code == 200, patched.content
    assert patched.json()["status"] == "pagar" and patched.json()["agreement"] is None
    assert patched.json()["title"] == "Trygg skolväg"
    bad = api("samordnare", "patch", f"/promises/{body['id']}", {"end_date": "2024-01-01"})
    assert _loc(bad, "end_date")
    foreign = api(
        "samordnare", "patch", f"/promises/{body['id']}", {"agreement": world.agreements["B"]["agreement"].pk}
    )
    assert _loc(foreign, "agreement")
    assert api("ledamot", "patch", f"/promises/{body['id']}", {"status": "pagar"}).status_code == 403
    assert api("outsider", "patch", f"/promises/{body['id']}", {"status": "pagar"}).status_code == 404
    activity = api(
        "samordnare",
        "post",
        f"/promises/{body['id']}/activities",
        {"description": "Kvällsvandring", "responsible": world.org_a.pk, "due": "2025-06-01"},
    )
    assert activity.status_code == 201, activity.content
    act = activity.json()
    assert act["level"] == "oppen" and act["responsible"] == world.org_a.pk
    done = api(
        "samordnare", "patch", f"/promises/{body['id']}/activities/{act['id']}", {"status": "uppfyllt"}
    )
    assert done.status_code == 200 and done.json()["due"] == "2025-06-01"
    assert [a["id"] for a in api("ledamot", "get", f"/promises/{body['id']}").json()["activities"]] == [
        act["id"]
    ]
    assert api("samordnare", "delete", f"/promises/{body['id']}/activities/{act['id']}").status_code == 204
    assert CitizenPromise.objects.filter(collaboration=world.a).count() == 2


def test_begransad_promise_is_not_widened_by_a_patch(api, world):
    promise = CitizenPromiseFactory(collaboration=world.a, title=f"{A_SECRET} löfte", level=Level.BEGRANSAD)
    response = api("samordnare", "patch", f"/promises/{promise.pk}", {"status": "pagar"})
    assert response.status_code == 200, response.content
    assert response.json()["level"] == "begransad" and response.json()["is_public"] is False
    promise.refresh_from_db()
    assert promise.level == Level.BEGRANSAD
    assert api("ledamot", "get", f"/promises/{promise.pk}").status_code == 404
