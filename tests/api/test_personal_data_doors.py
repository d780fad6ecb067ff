"""Personal data never reaches the public agreement, through any door.

The probe (issue 10, finding 2): a signatory's name and title and a group member's person name took a
personnummer, a phone number and an e-mail address, which the public page and its PDF then showed. These
walk each door — the API, the forms, a level change, renewal, a promise made public — and read the
public page and PDF afterwards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from samverkan.agreements import services
from samverkan.agreements.models import (
    CitizenPromise,
    FocusArea,
    FocusAreaChange,
    GroupMember,
    PromiseActivity,
    Signatory,
)
from samverkan.core.models import Level, Person
from tests.agreements.test_agreement_views import _pdf_text
from tests.api.conftest import validation_errors

PERSONNUMMER = "19121212-1212"  # Tolvan Tolvansson, Skatteverket's test person
PHONE = "070-123 45 67"
EMAIL = "kalle@exempel.se"
LEAKS = ("19121212", "1212-1212", "123 45 67", "exempel.se", "exempel dot se", "(at)")


def _public(world: Any) -> tuple[str, str]:
    """The public page and the text of the public PDF of agreement A (öppen, gällande)."""
    agreement = world.agreements["A"]["agreement"]
    anonymous = world.client("anonymous")
    url = f"/offentlig/samverkan/{world.a.pk}/overenskommelser/{agreement.pk}/"
    page = anonymous.get(url)
    pdf = anonymous.get(url + "pdf/")
    assert page.status_code == pdf.status_code == 200
    return page.content.decode(), _pdf_text(pdf.content)


def _assert_public_clean(world: Any) -> None:
    for text in _public(world):
        assert not [leak for leak in LEAKS if leak in text]


@pytest.fixture
def agreement(world):
    return world.agreements["A"]["agreement"]


@pytest.fixture
def group(world):
    return world.agreements["A"]["group"]


# --- The probe's cases, through the API -------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", f"Anna {PERSONNUMMER}"),
        ("name", f"Anna Andersson {PHONE}"),
        ("title", f"Kommunalråd, {EMAIL}"),
        ("title", "Kommunalråd, kalle(at)exempel.se"),
        ("organisation_name", "Kalle @ exempel.se"),
    ],
)
def test_api_refuses_personal_data_in_a_signatory(api, world, agreement, field, value):
    before = Signatory.objects.count()
    data = {"name": "Anna Andersson", "title": "Kommunalråd", "organisation": world.org_a.pk, field: value}
    response = api("samordnare", "post", f"/agreements/{agreement.pk}/signatories", data)
    assert field in validation_errors(response)
    assert "ser ut som" in validation_errors(response)[field]
    assert Signatory.objects.count() == before
    _assert_public_clean(world)


def test_api_refuses_personal_data_when_a_signatory_is_changed(api, world, agreement):
    signatory = Signatory.objects.get(agreement=agreement)
    response = api(
        "samordnare",
        "patch",
        f"/agreements/{agreement.pk}/signatories/{signatory.pk}",
        {"name": f"Ada Test {PERSONNUMMER}"},
    )
    assert "name" in validation_errors(response)
    signatory.refresh_from_db()
    assert signatory.name == "Ada Test"


@pytest.mark.parametrize(
    "person_name",
    [
        f"Kalle Svensson {PHONE}",
        f"Kalle Svensson {EMAIL}",
        "Kalle Svensson kalle(at)exempel.se",
        "Kalle Svensson, kalle at exempel dot se",
        f"Kalle {PERSONNUMMER}",
    ],
)
def test_api_refuses_personal_data_in_a_group_members_name(api, world, group, person_name):
    people, members = Person.objects.count(), GroupMember.objects.count()
    response = api(
        "samordnare",
        "post",
        f"/groups/{group.pk}/members",
        {"organisation": world.org_a.pk, "person_name": person_name},
    )
    assert "person_name" in validation_errors(response)
    assert (Person.objects.count(), GroupMember.objects.count()) == (people, members)
    _assert_public_clean(world)


def test_a_plain_name_is_published(api, world, agreement, group):
    # The guard refuses personal data, not names: officials' names are rightly public.
    assert (
        api(
            "samordnare",
            "post",
            f"/agreements/{agreement.pk}/signatories",
            {"name": "Anna Andersson", "title": "Kommunalråd", "organisation": world.org_a.pk},
        ).status_code
        == 201
    )
    response = api(
        "samordnare",
        "post",
        f"/groups/{group.pk}/members",
        {"organisation": world.org_a.pk, "person_name": "Kalle Svensson"},
    )
    assert response.status_code == 201, response.content
    for text in _public(world):
        assert "Anna Andersson" in text and "Kalle Svensson" in text


def test_making_a_member_public_guards_the_name_already_there(api, world, group):
    person = Person.objects.create(name=f"Kalle {PHONE}")
    member = GroupMember.objects.create(
        collaboration=world.a, group=group, organisation=world.org_a, person=person, level=Level.INTERN
    )
    response = api("samordnare", "patch", f"/groups/{group.pk}/members/{member.pk}", {"level": "oppen"})
    assert "person_name" in validation_errors(response)
    member.refresh_from_db()
    assert member.level == Level.INTERN
    _assert_public_clean(world)


def test_api_refuses_personal_data_in_a_focus_area_change_reason(api, world, agreement):
    changes = FocusAreaChange.objects.count()
    response = api(
        "samordnare",
        "post",
        "/focus-areas",
        {"agreement": agreement.pk, "title": "Trygg skolväg", "reason": f"Önskemål från {EMAIL}"},
    )
    assert list(validation_errors(response)) == ["reason"]
    assert FocusAreaChange.objects.count() == changes
    assert not FocusArea.objects.filter(title="Trygg skolväg").exists()
    # An intern area's history is the writer's decision.
    response = api(
        "samordnare",
        "post",
        "/focus-areas",
        {
            "agreement": agreement.pk,
            "title": "Internt",
            "reason": f"Önskemål från {EMAIL}",
            "level": "intern",
        },
    )
    assert response.status_code == 201, response.content


# --- The forms ---------------------------------------------------------------------------------------


def test_signatory_form_shows_the_error_on_the_field(world, agreement):
    client = world.client("samordnare")
    url = f"/samverkan/{world.a.pk}/overenskommelser/{agreement.pk}/undertecknare/ny/"
    response = client.post(
        url, {"name": f"Anna {PERSONNUMMER}", "title": "Kommunalråd", "organisation": world.org_a.pk}
    )
    assert response.status_code == 200
    assert "ett personnummer (19121212-****)" in response.content.decode()
    assert response.context["form"].has_error("name")
    assert not Signatory.objects.filter(name__contains="1212").exists()
    _assert_public_clean(world)


def test_group_member_form_shows_the_error_on_the_field(world, group):
    client = world.client("samordnare")
    response = client.post(
        f"/samverkan/{world.a.pk}/grupper/{group.pk}/medlemmar/ny/",
        {
            "organisation": world.org_a.pk,
            "person_name": "Kalle kalle @ exempel.se",
            "standing": "standig",
            "role": "ledamot",
            "level": "oppen",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("person_name")
    assert not Person.objects.filter(name__contains="exempel").exists()


# --- Other ways text becomes public -------------------------------------------------------------------


def test_renewal_guards_the_new_title(world, agreement):
    with pytest.raises(ValidationError) as exc:
        services.agreement_renew(
            agreement=agreement, title=f"Ny period, kontakt {PHONE}", acting_user=world.users["samordnare"]
        )
    assert "title" in exc.value.error_dict
    agreement.refresh_from_db()
    assert agreement.status == agreement.Status.GALLANDE  # nothing half-written


def test_making_a_promise_public_guards_its_activities(world):
    user = world.users["samordnare"]
    promise = CitizenPromise.objects.get(collaboration=world.a)
    PromiseActivity.objects.create(
        collaboration=world.a, promise=promise, description=f"Ring Kalle {PHONE}", level=Level.INTERN
    )
    with pytest.raises(ValidationError) as exc:
        services.promise_save(
            promise=promise,
            collaboration=world.a,
            title=promise.title,
            text=promise.text,
            start_date=promise.start_date,
            end_date=promise.end_date,
            is_public=True,
            acting_user=user,
        )
    assert "070-*** ** 67" in exc.value.messages[0] and "123 45" not in exc.value.messages[0]
    promise.refresh_from_db()
    assert promise.level == Level.INTERN
    assert not promise.activities.filter(level=Level.OPPEN).exists()


# --- Beyond agreements: öppen answer places, always-public names ---------------------------------------


def test_api_refuses_personal_data_in_an_open_answers_places(api, world):
    from samverkan.situation.models import Answer, Question
    from tests.situation.factories import RoundFactory

    round_ = RoundFactory(
        collaboration=world.a, period_start=dt.date(2026, 11, 1), organisations=[world.org_a]
    )
    report = api("ledamot", "post", "/reports", {"round": round_.pk, "organisation": world.org_a.pk}).json()
    places_q = (
        world.situation["template"].sections.get(area_code="vald").questions.get(kind=Question.Kind.PLACES)
    )
    answer = {"places": [{"name": "Torget"}, {"name": "Hos kalle(at)exempel.se"}], "level": "oppen"}
    response = api("ledamot", "put", f"/reports/{report['id']}/answers", {str(places_q.pk): answer})
    assert list(validation_errors(response)) == [f"q{places_q.pk}"]
    assert not Answer.objects.filter(report_id=report["id"]).exists()
    answer["level"] = "intern"  # the writer's decision (the form asks to confirm)
    assert (
        api("ledamot", "put", f"/reports/{report['id']}/answers", {str(places_q.pk): answer}).status_code
        == 200
    )


def test_api_refuses_a_personnummer_in_an_intern_answer_and_notice(api, world):
    # Issue 11 item 3: a personnummer is refused at every level (before: intern text took one).
    from samverkan.core.models import Notice
    from samverkan.situation.models import Answer, Question
    from tests.situation.factories import RoundFactory

    round_ = RoundFactory(
        collaboration=world.a, period_start=dt.date(2026, 11, 1), organisations=[world.org_a]
    )
    report = api("ledamot", "post", "/reports", {"round": round_.pk, "organisation": world.org_a.pk}).json()
    text_q = world.situation["template"].sections.get(area_code="vald").questions.get(kind=Question.Kind.TEXT)
    for level in ("intern", "begransad"):
        answer = {"text": f"Gäller {PERSONNUMMER}", "level": level, "restricted_to": ["polis", "ledamot"]}
        response = api("ledamot", "put", f"/reports/{report['id']}/answers", {str(text_q.pk): answer})
        assert response.status_code == 422
        assert "aldrig finnas i fritext" in validation_errors(response)[f"q{text_q.pk}"]
    assert not Answer.objects.filter(report_id=report["id"]).exists()
    body = {
        "collaboration": world.a.pk,
        "title": "Internt",
        "body": f"Anmälare {PERSONNUMMER}",
        "level": "intern",
    }
    response = api("ledamot", "post", "/notices", body)
    assert response.status_code == 422 and list(validation_errors(response)) == ["body"]
    assert not Notice.objects.filter(title="Internt").exists()


def test_api_refuses_personal_data_in_organisation_names(api, world):
    from samverkan.core.models import Organisation

    response = api(
        "samordnare",
        "post",
        "/organisations",
        {"collaboration": world.a.pk, "name": f"Kalles firma {PHONE}", "kind": "naringsliv"},
    )
    assert list(validation_errors(response)) == ["name"]
    assert not Organisation.objects.filter(name__startswith="Kalles firma").exists()
    response = api(
        "samordnare",
        "patch",
        f"/organisations/{world.org_a.pk}",
        {"collaboration": world.a.pk, "name": f"Malå kommun {EMAIL}"},
    )
    assert list(validation_errors(response)) == ["name"]
    world.org_a.refresh_from_db()
    assert world.org_a.name == "Malå kommun – test"


def test_api_refuses_personal_data_in_the_collaboration_description(api, world):
    response = api(
        "samordnare",
        "patch",
        f"/collaborations/{world.a.pk}",
        {"description": f"Frågor till samordnaren, {PHONE}."},
    )
    assert list(validation_errors(response)) == ["description"]
    world.a.refresh_from_db()
    assert "123 45" not in world.a.description
