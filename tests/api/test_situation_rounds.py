"""The lägesbild API: templates, rounds, reports and places — visibility per role, writes, validation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from samverkan.core.models import AuditEntry, Level, Membership, Role
from samverkan.core.services import api_token_create
from samverkan.situation.models import Answer, Place, Question, Report, Round, Template
from tests.api.conftest import BASE, validation_errors
from tests.factories import MembershipFactory, OrganisationFactory, ParticipationFactory, UserFactory
from tests.situation.factories import ReportFactory, RoundFactory, question, revision_of

A_SECRET = "KANARIE-A-BEGRANSAD"
A_NON_PUBLIC = ("KANARIE-A-INTERN", "KANARIE-A-BEGRANSAD", "KANARIE-A-BARA-POLIS")


def _rows(world, tag="A"):
    return world.situation[tag]


@pytest.fixture
def fresh_round(world):
    """An open round of A with no report yet (the fixture's round already has org_a's report)."""
    return RoundFactory(collaboration=world.a, period_start=dt.date(2026, 11, 1), organisations=[world.org_a])


# --- Schema ----------------------------------------------------------------------------------------------


def test_paths_are_in_a_valid_schema(client, db):
    response = client.get(f"{BASE}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/templates/{template_id}",
        "/api/v1/rounds/{round_id}",
        "/api/v1/reports/{report_id}",
        "/api/v1/reports/{report_id}/answers",
        "/api/v1/reports/{report_id}/submit",
        "/api/v1/events/{event_id}",
        "/api/v1/places/{place_id}",
    ):
        assert path in paths
    assert "put" in paths["/api/v1/reports/{report_id}/answers"]
    # Every reference resolves, and the lägesbild enums are documented under their own names.
    text = response.content.decode()
    components = response.json()["components"]["schemas"]
    refs = set(re.findall(r'"\$ref": ?"#/components/schemas/([^"]+)"', text))
    assert len(refs) > 20
    for ref in refs:
        assert ref in components, ref
    for name in ("RoundPeriod", "QuestionKind", "ReportStatus", "EventOut", "AnswerIn", "TemplateDetailOut"):
        assert name in components, name
    event_params = {p["name"] for p in paths["/api/v1/events"]["get"]["parameters"]}
    assert {"collaboration", "kommun", "from", "to", "category", "area", "bbox", "source"} <= event_params


# --- Templates -------------------------------------------------------------------------------------------


def test_template_detail_has_areas_questions_and_the_scale_with_meanings(api, world):
    template = world.situation["template"]
    for persona in ("samordnare", "lasare", "outsider"):
        response = api(persona, "get", f"/templates/{template.pk}")
        assert response.status_code == 200, persona
    data = response.json()
    assert data["collaboration"] is None and data["is_current"] is True
    assert [s["area_code"] for s in data["sections"]][:2] == ["ordning", "vald"]
    kinds = {q["kind"] for s in data["sections"] for q in s["questions"]}
    assert {"status", "trend", "text", "places"} <= kinds
    assert any(q["required"] for q in data["sections"][0]["questions"])
    scale = {step["value"]: step for step in data["status_scale"]}
    assert list(scale) == ["gron", "gul", "orange", "rod"]
    assert scale["rod"]["label"] == "Röd" and scale["rod"]["meaning"]
    assert [t["value"] for t in data["trend_scale"]] == ["okar", "oforandrat", "minskar", "vet_ej"]


def test_a_collaborations_own_template_is_404_to_non_members(api, world):
    template = world.situation["template"]
    own = revision_of(
        template, collaboration=world.a, acting_user=world.users["samordnare"], name="Malås egen mall"
    )
    assert api("ledamot", "get", f"/templates/{own.pk}").status_code == 200
    assert api("outsider", "get", f"/templates/{own.pk}").status_code == 404
    names_a = [t["name"] for t in api("lasare", "get", "/templates").json()["items"]]
    names_out = [t["name"] for t in api("outsider", "get", "/templates").json()["items"]]
    assert "Malås egen mall" in names_a and "Malås egen mall" not in names_out
    assert template.name in names_out
    mine = api("samordnare", "get", f"/templates?collaboration={world.b.pk}").json()["items"]
    assert [t["id"] for t in mine] == [template.pk]  # shipped only: B's own are not the samordnare's
    current = api("samordnare", "get", "/templates?current=true").json()["items"]
    assert {t["id"] for t in current} == {template.pk, own.pk}
    assert api("samordnare", "get", "/templates/999999").status_code == 404


# --- Rounds ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["samordnare", "polis", "ledamot", "lasare"])
def test_members_read_rounds_with_completeness(api, world, persona, fresh_round):
    other = OrganisationFactory(name="Skolan")
    ParticipationFactory(collaboration=world.a, organisation=other)
    fresh_round.organisations.add(other)
    ReportFactory(round=fresh_round, organisation=world.org_a, submitted=True)
    response = api(persona, "get", f"/rounds/{fresh_round.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == "manad" and data["period_start"] == "2026-11-01"
    assert data["period_end"] == "2026-11-30" and data["is_open"] is True
    assert data["template"] == world.situation["template"].pk
    assert [o["name"] for o in data["organisations"]] == sorted([world.org_a.name, "Skolan"])
    states = {c["organisation_name"]: c["state"] for c in data["completeness"]}
    assert states == {world.org_a.name: "inskickad", "Skolan": "ej_paborjad"}


def test_round_list_filters(api, world, fresh_round):
    closed = RoundFactory(
        collaboration=world.a,
        period_start=dt.date(2026, 9, 1),
        deadline=timezone.now() - dt.timedelta(days=3),
    )
    ids = lambda r: [row["id"] for row in r.json()["items"]]  # noqa: E731
    everything = api("ledamot", "get", "/rounds")
    assert everything.json()["count"] == 3
    assert ids(everything) == [fresh_round.pk, _rows(world)["round"].pk, closed.pk]  # newest period first
    assert closed.pk not in ids(api("ledamot", "get", "/rounds?open=true"))
    assert ids(api("ledamot", "get", "/rounds?open=false")) == [closed.pk]
    assert api("ledamot", "get", f"/rounds?collaboration={world.b.pk}").json()["count"] == 0
    assert api("outsider", "get", f"/rounds/{closed.pk}").status_code == 404
    page = api("ledamot", "get", "/rounds?limit=1&offset=1").json()
    assert page["count"] == 3 and [r["id"] for r in page["items"]] == [_rows(world)["round"].pk]


def test_samordnare_opens_a_round(api, world):
    template = world.situation["template"]
    payload = {
        "collaboration": world.a.pk,
        "template": template.pk,
        "period": "kvartal",
        "period_start": "2027-01-01",
    }
    response = api("samordnare", "post", "/rounds", payload)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["period_end"] == "2027-03-31"
    assert [c["state"] for c in data["completeness"]] == ["ej_paborjad"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, target_id=str(data["id"])).exists()
    again = api("samordnare", "post", "/rounds", payload)
    assert "period_start" in validation_errors(again)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"period_start": "2027-01-02"}, "period_start"),
        ({"template": 999999}, "template"),
        ({"organisations": [999999]}, "organisations"),
        ({"period": "arlig"}, "period"),
    ],
)
def test_round_validation_names_the_field(api, world, change, field):
    payload = {
        "collaboration": world.a.pk,
        "template": world.situation["template"].pk,
        "period": "manad",
        "period_start": "2027-02-01",
        **change,
    }
    assert field in validation_errors(api("samordnare", "post", "/rounds", payload))


def test_round_with_another_collaborations_organisation_is_422(api, world):
    payload = {
        "collaboration": world.a.pk,
        "template": world.situation["template"].pk,
        "period_start": "2027-02-01",
        "organisations": [world.org_b.pk],
    }
    assert "organisations" in validation_errors(api("samordnare", "post", "/rounds", payload))


@pytest.mark.parametrize(
    ("persona", "status"), [("polis", 403), ("ledamot", 403), ("lasare", 403), ("outsider", 404)]
)
def test_only_the_samordnare_opens_rounds(api, world, persona, status):
    payload = {
        "collaboration": world.a.pk,
        "template": world.situation["template"].pk,
        "period_start": "2027-02-01",
    }
    before = Round.objects.count()
    assert api(persona, "post", "/rounds", payload).status_code == status
    assert Round.objects.count() == before


# --- Reports: reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["samordnare", "polis", "ledamot", "lasare"])
def test_report_detail_shows_only_answers_the_caller_may_read(api, world, persona):
    report = _rows(world)["report"]
    response = api(persona, "get", f"/reports/{report.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    data = response.json()
    levels = {a["level"] for a in data["answers"]}
    if persona in ("samordnare", "polis"):
        assert A_SECRET in body and Level.BEGRANSAD in levels
        secret = next(a for a in data["answers"] if a["level"] == "begransad")
        assert secret["restricted_to"] == ["polis", "samordnare"]
    else:
        assert A_SECRET not in body and levels == {"intern"}
    assert data["status"] == "utkast" and data["organisation_name"] == world.org_a.name
    status_answer = next(a for a in data["answers"] if a["status"])
    assert status_answer["status"] == "gul" and status_answer["restricted_to"] == []


def test_reading_a_begransad_answer_is_audit_logged(api, world):
    report = _rows(world)["report"]
    secret = Answer.objects.get(report=report, level=Level.BEGRANSAD)
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ, target_id=str(secret.pk))
    assert not reads.exists()
    api("polis", "get", f"/reports/{report.pk}")
    assert reads.filter(actor=world.users["polis"]).count() == 1
    api("ledamot", "get", f"/reports/{report.pk}")
    assert not reads.filter(actor=world.users["ledamot"]).exists()


def test_outsider_gets_404_for_a_report_and_nothing_in_lists(api, world):
    report = _rows(world)["report"]
    assert api("outsider", "get", f"/reports/{report.pk}").status_code == 404
    items = api("outsider", "get", "/reports").json()["items"]
    assert [r["id"] for r in items] == [_rows(world, "B")["report"].pk]
    assert api("outsider", "get", f"/reports?collaboration={world.a.pk}").json()["count"] == 0


def test_report_list_filters_and_has_no_answers(api, world, fresh_round):
    draft = ReportFactory(round=fresh_round, organisation=world.org_a)
    listed = api("lasare", "get", "/reports").json()
    assert listed["count"] == 2 and "answers" not in listed["items"][0]
    assert [r["id"] for r in api("lasare", "get", f"/reports?round={fresh_round.pk}").json()["items"]] == [
        draft.pk
    ]
    assert api("lasare", "get", f"/reports?organisation={world.org_a.pk}").json()["count"] == 2
    assert api("lasare", "get", f"/reports?collaboration={world.a.pk}&status=inskickad").json()["count"] == 0
    assert api("lasare", "get", "/reports?status=okand").status_code == 422


def test_list_queries_do_not_grow_with_rows(api, world, django_assert_max_num_queries):
    for month in range(1, 9):
        round_ = RoundFactory(
            collaboration=world.a,
            period_start=dt.date(2025, month, 1),
            deadline=timezone.now(),
            organisations=[world.org_a],
        )
        ReportFactory(round=round_, organisation=world.org_a)
        Place.objects.create(collaboration=world.a, kommun_id="2418", name=f"Plats {month}")
    api("ledamot", "get", "/rounds")  # the token is made outside the counted block
    for path in ("/rounds", "/reports", "/templates", "/places"):
        with django_assert_max_num_queries(8):
            response = api("ledamot", "get", path)
        assert response.status_code == 200 and response.json()["count"] >= 1, path


# --- Reports: writing -----------------------------------------------------------------------------------


def test_start_a_report_then_get_the_same_draft(api, world, fresh_round):
    payload = {"round": fresh_round.pk, "organisation": world.org_a.pk}
    first = api("ledamot", "post", "/reports", payload)
    assert first.status_code == 201, first.content
    again = api("ledamot", "post", "/reports", payload)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert first.json()["status"] == "utkast" and first.json()["answers"] == []


def test_report_for_an_organisation_the_user_does_not_belong_to_is_403(api, world, fresh_round):
    other = OrganisationFactory(name="Annan aktör")
    ParticipationFactory(collaboration=world.a, organisation=other)
    fresh_round.organisations.add(other)
    response = api("ledamot", "post", "/reports", {"round": fresh_round.pk, "organisation": other.pk})
    assert response.status_code == 403
    assert "detail" in response.json()
    assert not Report.objects.filter(round=fresh_round).exists()
    # The samordnare reports for any aktör.
    assert (
        api("samordnare", "post", "/reports", {"round": fresh_round.pk, "organisation": other.pk}).status_code
        == 201
    )


@pytest.mark.parametrize(
    ("persona", "payload_change", "status"),
    [
        ("lasare", {}, 403),
        ("outsider", {}, 422),  # the round is not visible to them: an unknown reference
        ("ledamot", {"round": 999999}, 422),
        ("ledamot", {"organisation": 999999}, 422),
    ],
)
def test_starting_a_report_refused(api, world, fresh_round, persona, payload_change, status):
    payload = {"round": fresh_round.pk, "organisation": world.org_a.pk, **payload_change}
    assert api(persona, "post", "/reports", payload).status_code == status
    assert not Report.objects.filter(round=fresh_round).exists()


def test_unasked_organisation_is_422(api, world, fresh_round):
    other = OrganisationFactory(name="Ej tillfrågad")
    ParticipationFactory(collaboration=world.a, organisation=other)
    response = api("samordnare", "post", "/reports", {"round": fresh_round.pk, "organisation": other.pk})
    assert "organisation" in validation_errors(response)


def _draft(api, world, round_, persona="ledamot"):
    response = api(persona, "post", "/reports", {"round": round_.pk, "organisation": world.org_a.pk})
    assert response.status_code in (200, 201), response.content
    return response.json()["id"]


def test_save_answers_with_levels_and_submit(api, world, fresh_round):
    template = world.situation["template"]
    report_id = _draft(api, world, fresh_round)
    answers = {}
    for section in template.sections.all():
        for required in section.questions.filter(required=True):
            answers[str(required.pk)] = (
                {"status": "orange"} if required.kind == Question.Kind.STATUS else {"trend": "okar"}
            )
    text_q = question(template, Question.Kind.TEXT, "vald")
    places_q = question(template, Question.Kind.PLACES, "vald")
    answers[str(text_q.pk)] = {"text": "Oro kring stationen på kvällarna.", "level": "oppen"}
    answers[str(places_q.pk)] = {
        "places": [{"name": "Stationen"}],
        "level": "begransad",
        "restricted_to": ["ledamot", "samordnare"],
    }
    response = api("ledamot", "put", f"/reports/{report_id}/answers", answers)
    assert response.status_code == 200, response.content
    data = response.json()
    by_question = {a["question"]: a for a in data["answers"]}
    assert by_question[text_q.pk]["level"] == "oppen"
    assert by_question[places_q.pk]["places"] == [{"name": "Stationen"}]
    assert by_question[places_q.pk]["restricted_to"] == ["ledamot", "samordnare"]
    # Not named on the begränsad answer: läsare does not see it.
    lasare = api("lasare", "get", f"/reports/{report_id}").json()
    assert places_q.pk not in {a["question"] for a in lasare["answers"]}
    submitted = api("ledamot", "post", f"/reports/{report_id}/submit")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "inskickad" and submitted.json()["submitted_at"]
    round_data = api("samordnare", "get", f"/rounds/{fresh_round.pk}").json()
    assert round_data["completeness"][0]["state"] == "inskickad"


def test_police_answers_default_to_begransad(api, world, fresh_round):
    report_id = _draft(api, world, fresh_round, persona="polis")
    text_q = question(world.situation["template"], Question.Kind.TEXT, "vald")
    response = api(
        "polis", "put", f"/reports/{report_id}/answers", {str(text_q.pk): {"text": "Underrättelse"}}
    )
    answer = next(a for a in response.json()["answers"] if a["question"] == text_q.pk)
    assert answer["level"] == "begransad" and answer["restricted_to"] == ["polis", "samordnare"]


def test_submit_with_required_answers_missing_names_them(api, world, fresh_round):
    report_id = _draft(api, world, fresh_round)
    errors = validation_errors(api("ledamot", "post", f"/reports/{report_id}/submit"))
    required = Question.objects.filter(section__template=world.situation["template"], required=True)
    assert set(errors) == {f"q{q.pk}" for q in required}
    assert Report.objects.get(pk=report_id).status == Report.Status.UTKAST


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (Question.Kind.STATUS, {"status": "lila"}, "grön, gul, orange eller röd"),
        (Question.Kind.TREND, {"trend": "uppåt"}, "utveckling"),
        (Question.Kind.TEXT, {"text": "x" * 5_001}, "5 000"),
        (Question.Kind.TEXT, {"text": "Ring 19121212-1212 om detta", "level": "oppen"}, "personnummer"),
    ],
)
def test_answer_validation_names_the_question_in_swedish(api, world, fresh_round, kind, value, message):
    report_id = _draft(api, world, fresh_round)
    asked = question(world.situation["template"], kind, "vald")
    response = api("ledamot", "put", f"/reports/{report_id}/answers", {str(asked.pk): value})
    errors = validation_errors(response)
    assert list(errors) == [f"q{asked.pk}"]
    assert message in errors[f"q{asked.pk}"]
    assert not Answer.objects.filter(report_id=report_id).exists()


def test_question_of_another_template_is_422(api, world, fresh_round):
    template = world.situation["template"]
    own = revision_of(template, collaboration=world.a, acting_user=world.users["samordnare"])
    foreign = Question.objects.filter(section__template=own).first()
    report_id = _draft(api, world, fresh_round)
    errors = validation_errors(
        api("ledamot", "put", f"/reports/{report_id}/answers", {str(foreign.pk): {"status": "gul"}})
    )
    assert list(errors) == [f"q{foreign.pk}"]


def test_a_bad_answer_saves_nothing_of_the_batch(api, world, fresh_round):
    template = world.situation["template"]
    report_id = _draft(api, world, fresh_round)
    status_q = question(template, Question.Kind.STATUS, "vald")
    trend_q = question(template, Question.Kind.TREND, "vald")
    payload = {str(status_q.pk): {"status": "gul"}, str(trend_q.pk): {"trend": "fel"}}
    assert api("ledamot", "put", f"/reports/{report_id}/answers", payload).status_code == 422
    assert not Answer.objects.filter(report_id=report_id).exists()


def test_closed_round_is_422_and_the_draft_survives(api, world, fresh_round):
    template = world.situation["template"]
    report_id = _draft(api, world, fresh_round)
    status_q = question(template, Question.Kind.STATUS, "vald")
    text_q = question(template, Question.Kind.TEXT, "vald")
    payload = {str(status_q.pk): {"status": "gul"}, str(text_q.pk): {"text": "Första utkastet"}}
    assert api("ledamot", "put", f"/reports/{report_id}/answers", payload).status_code == 200
    Round.objects.filter(pk=fresh_round.pk).update(closed_at=timezone.now())
    later = {str(status_q.pk): {"status": "rod"}, str(text_q.pk): {"text": "Ändrat efter stängning"}}
    response = api("ledamot", "put", f"/reports/{report_id}/answers", later)
    assert response.status_code == 422
    assert "stängd" in response.json()["detail"][0]["msg"]
    assert api("ledamot", "post", f"/reports/{report_id}/submit").status_code == 422
    kept = {a.question_id: a for a in Answer.objects.filter(report_id=report_id)}
    assert kept[status_q.pk].status == "gul" and kept[text_q.pk].text == "Första utkastet"
    assert Report.objects.get(pk=report_id).status == Report.Status.UTKAST
    # Still readable.
    data = api("ledamot", "get", f"/reports/{report_id}").json()
    assert {a["text"] for a in data["answers"]} >= {"Första utkastet"}


@pytest.mark.parametrize(("persona", "status"), [("lasare", 403), ("outsider", 404)])
def test_writing_answers_refused(api, world, persona, status):
    report = _rows(world)["report"]
    status_q = question(world.situation["template"], Question.Kind.STATUS, "vald")
    before = Answer.objects.get(report=report, question=status_q).status
    response = api(persona, "put", f"/reports/{report.pk}/answers", {str(status_q.pk): {"status": "rod"}})
    assert response.status_code == status
    assert api(persona, "post", f"/reports/{report.pk}/submit").status_code == status
    assert Answer.objects.get(report=report, question=status_q).status == before


def test_member_of_another_organisation_cannot_write_a_report(api, world, client):
    other = OrganisationFactory(name="Räddningstjänsten")
    ParticipationFactory(collaboration=world.a, organisation=other)
    user = UserFactory(username="rtj", email="rtj@example.org")
    MembershipFactory(user=user, collaboration=world.a, role=Role.LEDAMOT, organisation=other)
    raw = api_token_create(user=user, name="t")[1]
    report = _rows(world)["report"]  # org_a's
    status_q = question(world.situation["template"], Question.Kind.STATUS, "vald")
    response = client.put(
        f"{BASE}/reports/{report.pk}/answers",
        data={str(status_q.pk): {"status": "rod"}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403
    assert Membership.objects.filter(user=user).count() == 1


def test_bad_level_in_an_answer_is_422(api, world, fresh_round):
    report_id = _draft(api, world, fresh_round)
    status_q = question(world.situation["template"], Question.Kind.STATUS, "vald")
    response = api(
        "ledamot",
        "put",
        f"/reports/{report_id}/answers",
        {str(status_q.pk): {"status": "gul", "level": "hemlig"}},
    )
    assert response.status_code == 422
    response = api(
        "ledamot",
        "put",
        f"/reports/{report_id}/answers",
        {str(status_q.pk): {"status": "gul", "level": "begransad", "restricted_to": ["polis"]}},
    )
    assert "restricted_to" in validation_errors(response)  # the writer's own role must be able to read it


# --- Places ----------------------------------------------------------------------------------------------


def test_places_by_collaboration_and_kommun(api, world):
    place = _rows(world)["place"]
    Place.objects.create(
        collaboration=world.a, kommun_id="2418", name="Skolgården", latitude=65.18, longitude=18.74
    )
    items = api("lasare", "get", "/places").json()["items"]
    assert [p["name"] for p in items] == ["Skolgården", "Torget A"]
    assert items[0]["latitude"] == 65.18 and items[1]["latitude"] is None
    assert api("lasare", "get", "/places?kommun=2039").json()["count"] == 0
    assert api("lasare", "get", f"/places?collaboration={world.a.pk}&kommun=2418").json()["count"] == 2
    detail = api("ledamot", "get", f"/places/{place.pk}").json()
    assert detail == {
        "id": place.pk,
        "collaboration": world.a.pk,
        "kommun": "2418",
        "name": "Torget A",
        "latitude": None,
        "longitude": None,
    }
    assert api("outsider", "get", f"/places/{place.pk}").status_code == 404
    assert [p["name"] for p in api("outsider", "get", "/places").json()["items"]] == ["Torget B"]


def test_templates_are_not_tenant_content(world):
    """Sanity for the matrix: the fixture's template is the shipped one."""
    assert Template.objects.get(pk=world.situation["template"].pk).collaboration_id is None
