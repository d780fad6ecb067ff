"""The joint-picture API: the live picture and agreed versions per role, summaries, agreeing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from samverkan.core.models import AuditEntry
from samverkan.situation.models import AreaSummary, PictureVersion, Report, Round
from tests.api.conftest import BASE, validation_errors
from tests.audit import logged_reads, read_entries
from tests.situation.factories import RoundFactory

A_BEGRANSAD = "KANARIE-A-BEGRANSAD"
A_NON_PUBLIC = ("KANARIE-A-INTERN", "KANARIE-A-BEGRANSAD", "KANARIE-A-BARA-POLIS")
PERSONNUMMER = "19121212-1212"
MEMBERS = ("samordnare", "polis", "ledamot", "lasare")


@pytest.fixture
def submitted(world):
    """A's report submitted, so its answers (intern status, begränsad text) enter the picture."""
    report = world.situation["A"]["report"]
    report.status = Report.Status.INSKICKAD
    report.submitted_at = timezone.now()
    report.save()
    return report


def _round(world, tag="A"):
    return world.situation[tag]["round"]


def _area(data, code):
    return next(a for a in data["areas"] if a["area_code"] == code)


# --- Schema ----------------------------------------------------------------------------------------------


def test_paths_are_in_a_valid_schema(client, db):
    response = client.get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "get" in paths["/api/v1/joint-pictures"]
    assert "get" in paths["/api/v1/joint-pictures/{round_id}"]
    assert "get" in paths["/api/v1/joint-pictures/{round_id}/versions"]
    assert "get" in paths["/api/v1/joint-pictures/{round_id}/versions/{version_id}"]
    assert {"put", "delete"} <= set(paths["/api/v1/joint-pictures/{round_id}/summaries/{area}"])
    assert "post" in paths["/api/v1/joint-pictures/{round_id}/agree"]


# --- The live picture ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", MEMBERS)
def test_members_read_the_live_picture_at_their_level(api, world, submitted, persona):
    response = api(persona, "get", f"/joint-pictures/{_round(world).pk}")
    assert response.status_code == 200, response.content
    body = response.content.decode()
    data = response.json()
    assert data["round"] == _round(world).pk and data["collaboration"] == world.a.pk
    assert data["version"] is None and data["public_only"] is False
    assert data["period_start"] == "2026-10-01" and data["period_end"] == "2026-10-31"
    assert [a["area_code"] for a in data["areas"]][:2] == ["ordning", "vald"]
    vald = _area(data, "vald")
    cell = next(c for c in vald["cells"] if c["organisation"] == world.org_a.name)
    assert cell["status"] == "gul" and cell["submitted"] is True
    assert data["completeness"]["asked"] == 1 and data["completeness"]["submitted"] == 1
    assert len(data["series"]) == 12 and data["series"][-1]["month"] == "2026-10-01"
    assert "KANARIE-A-INTERN platser" in body and "KANARIE-A-OPPEN" in body
    entitled = persona in ("samordnare", "polis")
    assert (A_BEGRANSAD in body) is entitled
    assert vald["event_count"] == (3 if entitled else 2)
    assert sum(month["total"] for month in data["series"]) == vald["event_count"]
    if entitled:
        assert vald["summary"]["level"] == "begransad"
        assert vald["summary"]["restricted_to"] == ["polis", "samordnare"]
        begransad = [t for t in vald["texts"] if t["level"] == "begransad"]
        assert begransad and begransad[0]["text"] == "KANARIE-A-BEGRANSAD svar"
    else:
        assert vald["summary"] is None
        assert all(t["level"] != "begransad" for t in vald["texts"])
    assert "KANARIE-B" not in body


def test_outsiders_and_anonymous_do_not_reach_a_picture(api, world):
    round_ = _round(world)
    assert api("outsider", "get", f"/joint-pictures/{round_.pk}").status_code == 404
    assert api("outsider", "get", f"/joint-pictures/{round_.pk}/versions").status_code == 404
    version = world.situation["A"]["version"]
    assert api("outsider", "get", f"/joint-pictures/{round_.pk}/versions/{version.pk}").status_code == 404
    assert api("anonymous", "get", f"/joint-pictures/{round_.pk}").status_code == 401
    assert api("samordnare", "get", "/joint-pictures/999999").status_code == 404
    # B's version under A's round: not found either.
    other = world.situation["B"]["version"]
    assert api("samordnare", "get", f"/joint-pictures/{round_.pk}/versions/{other.pk}").status_code == 404


def test_begransad_rows_shown_are_audit_logged(api, world, submitted):
    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    api("ledamot", "get", f"/joint-pictures/{_round(world).pk}")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() == before
    api("samordnare", "get", f"/joint-pictures/{_round(world).pk}")
    read = read_entries(world.users["samordnare"])
    assert read.count() == 1, "one entry for the whole answer"
    assert {"situation.areasummary", "situation.answer", "situation.event"} <= {
        label for label, _pk in logged_reads(world.users["samordnare"])
    }


# --- Versions --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", MEMBERS)
def test_versions_per_role_and_oppen_only(api, world, persona):
    round_, version = _round(world), world.situation["A"]["version"]
    listed = api(persona, "get", f"/joint-pictures/{round_.pk}/versions").json()
    assert listed["count"] == 1
    assert listed["items"][0]["number"] == 1 and listed["items"][0]["meeting"] == "REK"
    response = api(persona, "get", f"/joint-pictures/{round_.pk}/versions/{version.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    data = response.json()
    assert data["version"]["number"] == 1 and data["version"]["meeting_date"] == "2026-11-10"
    assert "KANARIE-A-OPPEN" in body and "KANARIE-A-INTERN" in body
    assert (A_BEGRANSAD in body) is (persona in ("samordnare", "polis"))
    public = api(persona, "get", f"/joint-pictures/{round_.pk}/versions/{version.pk}?oppen=true")
    assert public.status_code == 200
    assert public.json()["public_only"] is True
    public_body = public.content.decode()
    assert "KANARIE-A-OPPEN" in public_body
    assert not [c for c in A_NON_PUBLIC if c in public_body]


def test_an_agreed_version_keeps_every_part_at_its_level(api, world, submitted):
    round_ = _round(world)
    response = api(
        "samordnare",
        "post",
        f"/joint-pictures/{round_.pk}/agree",
        {"meeting": "REK", "meeting_date": "2026-11-12"},
    )
    assert response.status_code == 201, response.content
    version_id = response.json()["id"]
    path = f"/joint-pictures/{round_.pk}/versions/{version_id}"
    full = api("samordnare", "get", path).json()
    assert _area(full, "vald")["summary"]["text"] == "KANARIE-A-BEGRANSAD sammanfattning"
    assert full["completeness"]["submitted"] == 1
    ledamot = api("ledamot", "get", path)
    assert A_BEGRANSAD not in ledamot.content.decode()
    assert _area(ledamot.json(), "vald")["summary"] is None
    public = api("samordnare", "get", path + "?oppen=true")
    body = public.content.decode()
    assert not [c for c in A_NON_PUBLIC if c in body]
    assert public.json()["completeness"]["organisations"] == []  # who reported is intern
    assert any(e["description"] == "KANARIE-A-OPPEN händelse" for e in public.json()["events"])


# --- Agreeing --------------------------------------------------------------------------------------------


def test_agree_makes_version_n_plus_one(api, world, submitted):
    round_ = _round(world)
    path = f"/joint-pictures/{round_.pk}/agree"
    first = api("samordnare", "post", path, {"meeting": "REK-gruppen", "meeting_date": "2026-11-20"})
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["number"] == 2 and data["meeting"] == "REK-gruppen" and data["meeting_date"] == "2026-11-20"
    assert data["agreed_by"]
    second = api("samordnare", "post", path, {"meeting": "REK-gruppen", "meeting_date": "2026-12-01"})
    assert second.json()["number"] == 3
    numbers = [
        v["number"] for v in api("lasare", "get", f"/joint-pictures/{round_.pk}/versions").json()["items"]
    ]
    assert numbers == [3, 2, 1]
    listed = api("lasare", "get", f"/joint-pictures?collaboration={world.a.pk}").json()["items"]
    latest = next(r for r in listed if r["id"] == round_.pk)["latest_version"]
    assert latest["number"] == 3 and latest["meeting_date"] == "2026-12-01"


@pytest.mark.parametrize("persona", ["polis", "ledamot", "lasare"])
def test_only_the_samordnare_agrees(api, world, persona):
    round_ = _round(world)
    response = api(
        persona,
        "post",
        f"/joint-pictures/{round_.pk}/agree",
        {"meeting": "REK", "meeting_date": "2026-11-20"},
    )
    assert response.status_code == 403
    assert "detail" in response.json()
    assert PictureVersion.objects.filter(picture__round=round_).count() == 1


def test_outsider_agreeing_gets_404(api, world):
    round_ = _round(world)
    response = api(
        "outsider",
        "post",
        f"/joint-pictures/{round_.pk}/agree",
        {"meeting": "REK", "meeting_date": "2026-11-20"},
    )
    assert response.status_code == 404
    assert PictureVersion.objects.filter(picture__round=round_).count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"meeting_date": "2026-11-20"}, "meeting"),
        ({"meeting": "   ", "meeting_date": "2026-11-20"}, "meeting"),
        ({"meeting": "x" * 201, "meeting_date": "2026-11-20"}, "meeting"),
        ({"meeting": "REK"}, "meeting_date"),
        ({"meeting": "REK", "meeting_date": "20 november"}, "meeting_date"),
        ({"meeting": "REK", "meeting_date": "2026-02-30"}, "meeting_date"),
    ],
)
def test_agree_validation_names_the_field_and_writes_nothing(api, world, payload, field):
    round_ = _round(world)
    errors = validation_errors(api("samordnare", "post", f"/joint-pictures/{round_.pk}/agree", payload))
    assert errors.get(field)
    assert "Ange" in errors[field] or "högst" in errors[field]  # Swedish, from the service
    assert PictureVersion.objects.filter(picture__round=round_).count() == 1


# --- Area summaries --------------------------------------------------------------------------------------


def test_samordnare_saves_and_removes_an_area_summary(api, world):
    round_ = _round(world)
    path = f"/joint-pictures/{round_.pk}/summaries/ordning"
    response = api("samordnare", "put", path, {"text": "Lugnare i centrum.", "level": "oppen"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["area_code"] == "ordning" and data["level"] == "oppen" and data["restricted_to"] == []
    picture = api("lasare", "get", f"/joint-pictures/{round_.pk}").json()
    assert _area(picture, "ordning")["summary"]["text"] == "Lugnare i centrum."
    # By section id too, at begränsad: the läsare no longer sees it.
    section_id = _area(picture, "ordning")["section_id"]
    response = api(
        "samordnare",
        "put",
        f"/joint-pictures/{round_.pk}/summaries/{section_id}",
        {"text": "Känsligt läge.", "level": "begransad", "restricted_to": ["samordnare"]},
    )
    assert response.json()["restricted_to"] == ["samordnare"]
    assert _area(api("lasare", "get", f"/joint-pictures/{round_.pk}").json(), "ordning")["summary"] is None
    assert api("samordnare", "put", path, {"text": ""}).status_code == 204
    assert not AreaSummary.objects.filter(picture__round=round_, section__area_code="ordning").exists()
    api("samordnare", "put", path, {"text": "Igen."})
    assert api("samordnare", "delete", path).status_code == 204
    assert not AreaSummary.objects.filter(picture__round=round_, section__area_code="ordning").exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, target_type="situation.areasummary"
    ).exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("polis", 403), ("ledamot", 403), ("lasare", 403), ("outsider", 404)]
)
def test_only_the_samordnare_writes_summaries(api, world, persona, status):
    round_ = _round(world)
    response = api(persona, "put", f"/joint-pictures/{round_.pk}/summaries/ordning", {"text": "Nej."})
    assert response.status_code == status
    assert api(persona, "delete", f"/joint-pictures/{round_.pk}/summaries/vald").status_code == status
    assert not AreaSummary.objects.filter(picture__round=round_, section__area_code="ordning").exists()
    assert AreaSummary.objects.filter(picture__round=round_, section__area_code="vald").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": f"Gärningsman {PERSONNUMMER}", "level": "oppen"}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"text": "Ok", "level": "hemlig"}, "level"),
        ({"text": "Ok", "level": "begransad", "restricted_to": []}, "restricted_to"),
        ({"text": "Ok", "level": "begransad", "restricted_to": ["polis"]}, "restricted_to"),
    ],
)
def test_summary_validation_names_the_field(api, world, payload, field):
    round_ = _round(world)
    errors = validation_errors(
        api("samordnare", "put", f"/joint-pictures/{round_.pk}/summaries/ordning", payload)
    )
    assert errors.get(field)
    assert not AreaSummary.objects.filter(picture__round=round_, section__area_code="ordning").exists()


def test_contact_details_are_allowed_in_a_non_open_summary_but_no_personnummer(api, world):
    # Changed by issue 11 item 3: a personnummer was allowed in an intern summary; it is now refused at
    # every level (422 naming the field). A phone number there stays the writer's decision.
    round_ = _round(world)
    url = f"/joint-pictures/{round_.pk}/summaries/ordning"
    response = api("samordnare", "put", url, {"text": f"Person {PERSONNUMMER}", "level": "intern"})
    assert response.status_code == 422 and list(validation_errors(response)) == ["text"]
    response = api("samordnare", "put", url, {"text": "Fältgruppen nås på 070-123 45 67", "level": "intern"})
    assert response.status_code == 200


def test_unknown_area_is_404(api, world):
    round_ = _round(world)
    assert (
        api(
            "samordnare", "put", f"/joint-pictures/{round_.pk}/summaries/finnsinte", {"text": "x"}
        ).status_code
        == 404
    )
    assert (
        api("samordnare", "put", f"/joint-pictures/{round_.pk}/summaries/999999", {"text": "x"}).status_code
        == 404
    )


# --- The list --------------------------------------------------------------------------------------------


def _more_rounds(world, n):
    rounds = []
    for i in range(n):
        round_ = RoundFactory(
            collaboration=world.a,
            period=Round.Period.WEEK,
            period_start=dt.date(2025, 1, 6) + dt.timedelta(weeks=i),
            deadline=timezone.now() + dt.timedelta(days=3),
            organisations=[world.org_a],
        )
        rounds.append(round_)
    return rounds


def test_list_one_item_per_visible_round_with_filters(api, world, submitted):
    extra = _more_rounds(world, 2)
    data = api("ledamot", "get", "/joint-pictures").json()
    assert data["count"] == 3
    ids = [r["id"] for r in data["items"]]
    assert ids == [_round(world).pk, extra[1].pk, extra[0].pk]  # newest period first
    first = data["items"][0]
    assert first["collaboration"] == world.a.pk and first["period"] == "manad"
    assert first["asked"] == 1 and first["submitted"] == 1
    assert first["latest_version"]["number"] == 1 and first["latest_version"]["meeting"] == "REK"
    assert data["items"][1]["latest_version"] is None and data["items"][1]["submitted"] == 0
    agreed = api("ledamot", "get", "/joint-pictures?agreed=true").json()
    assert [r["id"] for r in agreed["items"]] == [_round(world).pk]
    assert api("ledamot", "get", "/joint-pictures?agreed=false").json()["count"] == 2
    assert api("ledamot", "get", f"/joint-pictures?collaboration={world.b.pk}").json()["count"] == 0
    outsider = api("outsider", "get", "/joint-pictures").json()
    assert [r["id"] for r in outsider["items"]] == [_round(world, "B").pk]
    assert api("outsider", "get", f"/joint-pictures?collaboration={world.a.pk}").json()["count"] == 0
    page = api("ledamot", "get", "/joint-pictures?limit=1&offset=1").json()
    assert page["count"] == 3 and [r["id"] for r in page["items"]] == [extra[1].pk]
    assert api("anonymous", "get", "/joint-pictures").status_code == 401


def test_list_query_count_does_not_grow_with_rows(api, world, django_assert_max_num_queries):
    api("lasare", "get", "/joint-pictures")  # token made outside the count
    _more_rounds(world, 12)
    with django_assert_max_num_queries(6):
        response = api("lasare", "get", "/joint-pictures")
    assert response.json()["count"] == 13


def test_detail_query_count_is_bounded(api, world, submitted, django_assert_max_num_queries):
    api("samordnare", "get", f"/joint-pictures/{_round(world).pk}")
    with django_assert_max_num_queries(25):
        response = api("samordnare", "get", f"/joint-pictures/{_round(world).pk}")
    assert response.status_code == 200
