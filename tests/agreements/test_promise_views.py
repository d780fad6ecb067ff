"""Medborgarlöften pages through Django's client: every member reads, the samordnare writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from samverkan.agreements.models import Agreement, CitizenPromise, PromiseActivity
from samverkan.core.models import AuditEntry, Level
from tests.agreements.factories import AgreementFactory, CitizenPromiseFactory, PromiseActivityFactory
from tests.audit import logged_reads
from tests.conftest import CANARIES_A, CANARIES_B
from tests.factories import OrganisationFactory

MEMBERS_OF_A = ("samordnare", "polis", "ledamot", "lasare")


def _url(world: Any, suffix: str = "", collaboration: Any = None) -> str:
    return f"/samverkan/{(collaboration or world.a).pk}/medborgarloften/{suffix}"


def _body(response: Any) -> str:
    return response.content.decode()


def _promise_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Medborgarlöften 2025",
        "text": "Polisen och kommunen lovar fler trygghetsvandringar.",
        "start_date": "2025-01-01",
        "end_date": "2025-12-31",
        "status": "pagar",
        "is_public": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def promise(world):
    """A's intern promise (title carries KANARIE-A-INTERN) with its intern activity."""
    return world.agreements["A"]["promise"]


# --- Reading -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", MEMBERS_OF_A)
def test_members_of_a_see_the_intern_promise_and_nothing_of_b(world, promise, persona):
    client = world.client(persona)
    listing = _body(client.get(_url(world)))
    detail = client.get(_url(world, f"{promise.pk}/"))
    assert detail.status_code == 200
    assert CANARIES_A[Level.INTERN] in listing
    assert "KANARIE-A-INTERN aktivitet" in _body(detail)
    assert "Fler kvällspromenader" in _body(detail)
    for body in (listing, _body(detail)):
        assert not any(canary in body for canary in CANARIES_B)


@pytest.mark.parametrize("persona", ["ledamot", "lasare", "polis"])
def test_only_samordnare_gets_edit_buttons(world, promise, persona):
    for path in (_url(world), _url(world, f"{promise.pk}/")):
        body = _body(world.client(persona).get(path))
        assert "Nytt medborgarlöfte" not in body
        assert "Ändra medborgarlöftet" not in body and "Lägg till aktivitet" not in body
        assert "/aktiviteter/" not in body
    body = _body(world.client("samordnare").get(_url(world, f"{promise.pk}/")))
    assert "Ändra medborgarlöftet" in body and "Lägg till aktivitet" in body


def test_outsider_gets_404(world, promise):
    client = world.client("outsider")
    activity = promise.activities.get()
    for suffix in ("", "nytt/", f"{promise.pk}/", f"{promise.pk}/andra/", f"{promise.pk}/aktiviteter/ny/"):
        assert client.get(_url(world, suffix)).status_code == 404, suffix
    for suffix in (f"{promise.pk}/", f"{promise.pk}/andra/", f"{promise.pk}/aktiviteter/{activity.pk}/"):
        assert client.get(_url(world, suffix, collaboration=world.b)).status_code == 404, suffix
    response = client.post(_url(world, f"{promise.pk}/aktiviteter/{activity.pk}/"), {"delete": "1"})
    assert response.status_code == 404
    assert PromiseActivity.objects.filter(pk=activity.pk).exists()


def test_list_shows_period_status_and_agreement(world, promise):
    body = _body(world.client("lasare").get(_url(world)))
    assert "2024-01-01 – 2024-12-31" in body
    assert "Planerat" in body
    assert "Ingår i" in body and "KANARIE-A-OPPEN överenskommelse" in body


# --- A ledamot sees but cannot change --------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["ledamot", "lasare", "polis"])
def test_too_weak_role_gets_403_and_nothing_is_saved(world, promise, persona):
    client = world.client(persona)
    activity = promise.activities.get()
    counts = (CitizenPromise.objects.count(), PromiseActivity.objects.count())
    posts = [
        ("nytt/", _promise_data(title="Obehörigt")),
        (f"{promise.pk}/andra/", _promise_data(title="Obehörigt")),
        (f"{promise.pk}/aktiviteter/ny/", {"description": "Obehörig", "status": "planerat"}),
        (f"{promise.pk}/aktiviteter/{activity.pk}/", {"description": "Obehörig", "status": "pagar"}),
        (f"{promise.pk}/aktiviteter/{activity.pk}/", {"delete": "1"}),
    ]
    for suffix, data in posts:
        response = client.post(_url(world, suffix), data)
        assert response.status_code == 403, suffix
        assert "Du saknar behörighet" in _body(response)
    assert (CitizenPromise.objects.count(), PromiseActivity.objects.count()) == counts
    promise.refresh_from_db()
    activity.refresh_from_db()
    assert promise.title == "KANARIE-A-INTERN löfte" and activity.description == "KANARIE-A-INTERN aktivitet"


# --- Writing ---------------------------------------------------------------------------------------------


def test_samordnare_creates_public_promise(world):
    agreement = world.agreements["A"]["agreement"]
    response = world.client("samordnare").post(_url(world, "nytt/"), _promise_data(agreement=agreement.pk))
    created = CitizenPromise.objects.get(title="Medborgarlöften 2025")
    assert response.status_code == 302
    assert response["Location"] == _url(world, f"{created.pk}/")
    assert created.level == Level.OPPEN and created.agreement == agreement
    assert created.collaboration == world.a
    assert AuditEntry.objects.filter(
        target_type="agreements.citizenpromise", target_id=str(created.pk)
    ).exists()


def test_promise_that_is_not_public_is_intern(world):
    response = world.client("samordnare").post(_url(world, "nytt/"), _promise_data(is_public=None))
    assert response.status_code == 302
    assert CitizenPromise.objects.get(title="Medborgarlöften 2025").level == Level.INTERN


def test_promise_period_replaced_by_an_agreement_is_linked(world):
    agreement = AgreementFactory(
        collaboration=world.a,
        title="Samverkansavtal 2020–2022",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2022, 12, 31),
        status=Agreement.Status.AVSLUTAD,
        level=Level.OPPEN,
    )
    client = world.client("samordnare")
    data = _promise_data(
        title="Medborgarlöften 2017–2018",
        start_date="2017-01-01",
        end_date="2018-12-31",
        status="uppfyllt",
        replaced_by=agreement.pk,
    )
    assert client.post(_url(world, "nytt/"), data).status_code == 302
    old = CitizenPromise.objects.get(title="Medborgarlöften 2017–2018")
    assert old.replaced_by == agreement
    body = _body(world.client("ledamot").get(_url(world, f"{old.pk}/")))
    assert "Ersatt av" in body and "Samverkansavtal 2020–2022" in body


def test_end_before_start_names_end_date_and_saves_nothing(world):
    count = CitizenPromise.objects.count()
    response = world.client("samordnare").post(
        _url(world, "nytt/"), _promise_data(start_date="2025-06-01", end_date="2025-01-01")
    )
    body = _body(response)
    assert response.status_code == 200
    assert 'href="#id_end_date"' in body and "Slutdatum kan inte vara före startdatum." in body
    assert CitizenPromise.objects.count() == count


def test_agreement_of_another_collaboration_is_not_a_choice(world):
    response = world.client("samordnare").post(
        _url(world, "nytt/"), _promise_data(agreement=world.agreements["B"]["agreement"].pk)
    )
    assert response.status_code == 200
    assert 'href="#id_agreement"' in _body(response)
    assert not CitizenPromise.objects.filter(title="Medborgarlöften 2025").exists()


def test_making_a_promise_public_takes_its_activities_along(world, promise):
    client = world.client("samordnare")
    data = _promise_data(title=promise.title, start_date="2024-01-01", end_date="2024-12-31")
    assert client.post(_url(world, f"{promise.pk}/andra/"), data).status_code == 302
    promise.refresh_from_db()
    assert promise.level == Level.OPPEN
    assert set(promise.activities.values_list("level", flat=True)) == {Level.OPPEN}
    data.pop("is_public")
    assert client.post(_url(world, f"{promise.pk}/andra/"), data).status_code == 302
    assert set(promise.activities.values_list("level", flat=True)) == {Level.INTERN}


def test_begransad_promise_stays_begransad_when_not_made_public(world, promise):
    CitizenPromise.objects.filter(pk=promise.pk).update(level=Level.BEGRANSAD)
    PromiseActivity.objects.filter(promise=promise).update(level=Level.BEGRANSAD)
    data = _promise_data(title="Ändrat", is_public=None, start_date="2024-01-01", end_date="2024-12-31")
    assert world.client("samordnare").post(_url(world, f"{promise.pk}/andra/"), data).status_code == 302
    promise.refresh_from_db()
    assert promise.title == "Ändrat" and promise.level == Level.BEGRANSAD
    assert world.client("ledamot").get(_url(world, f"{promise.pk}/")).status_code == 404


# --- Activities ---------------------------------------------------------------------------------------


def test_samordnare_adds_edits_and_deletes_an_activity(world, promise):
    client = world.client("samordnare")
    response = client.post(
        _url(world, f"{promise.pk}/aktiviteter/ny/"),
        {
            "description": "Trygghetsvandring i centrum",
            "responsible": world.org_a.pk,
            "status": "planerat",
            "due": "2024-05-31",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url(world, f"{promise.pk}/")
    activity = PromiseActivity.objects.get(description="Trygghetsvandring i centrum")
    assert activity.level == promise.level and activity.responsible == world.org_a
    body = _body(world.client("ledamot").get(_url(world, f"{promise.pk}/")))
    assert "Trygghetsvandring i centrum" in body and world.org_a.name in body and "2024-05-31" in body

    path = _url(world, f"{promise.pk}/aktiviteter/{activity.pk}/")
    assert client.get(path).status_code == 200
    assert client.post(path, {"description": "Trygghetsvandring", "status": "uppfyllt"}).status_code == 302
    activity.refresh_from_db()
    assert activity.status == "uppfyllt" and activity.responsible is None
    assert client.post(path, {"delete": "1"}).status_code == 302
    assert not PromiseActivity.objects.filter(pk=activity.pk).exists()


def test_activity_needs_a_party_as_responsible(world, promise):
    outsider_org = OrganisationFactory(name="Malå församling", home_kommun_id="2418")
    count = PromiseActivity.objects.count()
    response = world.client("samordnare").post(
        _url(world, f"{promise.pk}/aktiviteter/ny/"),
        {"description": "Kyrkans kvällsöppet", "responsible": outsider_org.pk, "status": "planerat"},
    )
    assert response.status_code == 200
    assert 'href="#id_responsible"' in _body(response)
    assert PromiseActivity.objects.count() == count


def test_activity_form_error_names_field(world, promise):
    response = world.client("samordnare").post(
        _url(world, f"{promise.pk}/aktiviteter/ny/"), {"description": "", "status": "planerat"}
    )
    assert response.status_code == 200
    assert 'href="#id_description"' in _body(response)


def test_activity_of_another_promise_is_404(world, promise):
    other = CitizenPromiseFactory(collaboration=world.a, title="Annat löfte")
    activity = promise.activities.get()
    path = _url(world, f"{other.pk}/aktiviteter/{activity.pk}/")
    assert world.client("samordnare").post(path, {"delete": "1"}).status_code == 404
    assert PromiseActivity.objects.filter(pk=activity.pk).exists()


# --- Confidentiality (canaries) ----------------------------------------------------------------------


@pytest.fixture
def restricted(world, promise):
    """A begränsad promise with an activity, and a begränsad agreement that replaced A's intern promise."""
    secret = CitizenPromiseFactory(
        collaboration=world.a,
        title=f"{CANARIES_A[Level.BEGRANSAD]} löfte",
        text="Hemligt",
        level=Level.BEGRANSAD,
    )
    PromiseActivityFactory(promise=secret, description="Hemlig aktivitet", level=Level.BEGRANSAD)
    PromiseActivityFactory(
        promise=promise, description=f"{CANARIES_A[Level.BEGRANSAD]} aktivitet", level=Level.BEGRANSAD
    )
    agreement = AgreementFactory(
        collaboration=world.a,
        title=f"{CANARIES_A[Level.BEGRANSAD]} avtal",
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2028, 12, 31),
        level=Level.BEGRANSAD,
    )
    CitizenPromise.objects.filter(pk=promise.pk).update(replaced_by=agreement)
    return secret


@pytest.mark.parametrize("persona", ["ledamot", "lasare"])
def test_ledamot_and_lasare_never_see_begransad(world, promise, restricted, persona):
    client = world.client(persona)
    for path in (_url(world), _url(world, f"{promise.pk}/")):
        response = client.get(path)
        assert response.status_code == 200
        assert CANARIES_A[Level.BEGRANSAD] not in _body(response), path
    assert client.get(_url(world, f"{restricted.pk}/")).status_code == 404


def test_samordnare_sees_begransad_and_the_read_is_logged(world, promise, restricted):
    client = world.client("samordnare")
    body = _body(client.get(_url(world, f"{promise.pk}/")))
    assert (
        f"{CANARIES_A[Level.BEGRANSAD]} aktivitet" in body and f"{CANARIES_A[Level.BEGRANSAD]} avtal" in body
    )
    assert client.get(_url(world, f"{restricted.pk}/")).status_code == 200
    assert ("agreements.citizenpromise", str(restricted.pk)) in logged_reads(world.users["samordnare"])
