"""A kommun's public portal (issue 15): its content, feed, embed page and JSON, caching, search and bad
input; the accessibility statement and its feedback form."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from samverkan.actions.models import ActionPlan
from samverkan.agreements.models import CitizenPromise
from samverkan.core.models import AccessibilityFeedback, Level
from samverkan.meetings.models import Minutes

pytestmark = pytest.mark.django_db

KOMMUN = "/offentlig/kommun/2418/"


def publish(world) -> None:
    """A's minutes published, its plan decided and its promise made öppen."""
    rows = world.cycle["A"]
    Minutes.objects.filter(pk=rows["meeting"]["minutes"].pk).update(
        public_approved_at=timezone.now(), published_at=timezone.now()
    )
    ActionPlan.objects.filter(pk=rows["plan"].pk).update(status=ActionPlan.Status.FASTSTALLD)
    promise = CitizenPromise.objects.get(pk=world.agreements["A"]["promise"].pk)
    promise.level = Level.OPPEN
    promise.title = "Trygga kvällar i Malå"
    promise.status = CitizenPromise.Status.PAGAR
    promise.save()  # save(): raises A's public revision as a service's write does


def test_the_kommun_page_shows_what_is_published_and_links_everywhere(world):
    publish(world)
    page = Client().get(KOMMUN)
    assert page.status_code == 200
    html = page.content.decode()
    agreement = world.agreements["A"]["agreement"]
    plan = world.cycle["A"]["plan"]
    meeting = world.cycle["A"]["meeting"]["meeting"]
    for expected in (
        "Malå",
        world.a.name,
        agreement.title,
        "KANARIE-A-OPPEN fokus",
        "Trygga kvällar i Malå",
        "Vi arbetar med det just nu",  # the promise's status as a citizen reads it
        f"/offentlig/samverkan/{world.a.pk}/protokoll/{meeting.pk}/",
        f"/offentlig/samverkan/{world.a.pk}/atgardsplan/{plan.pk}/",
        "/offentlig/kommun/2418/atom/",
        "/offentlig/tillganglighet/",
    ):
        assert expected in html, expected
    assert world.b.name not in html  # B covers another kommun
    # The per-collaboration page links to its kommun's page, and the plan's öppen page answers.
    assert KOMMUN in Client().get(f"/offentlig/samverkan/{world.a.pk}/").content.decode()
    trace = Client().get(f"/offentlig/samverkan/{world.a.pk}/atgardsplan/{plan.pk}/")
    assert trace.status_code == 200 and "KANARIE-A-OPPEN åtgärd" in trace.content.decode()


def test_unknown_kommun_is_a_swedish_404_and_an_empty_kommun_a_helpful_page(world):
    for code in ("9999", "24180", "abcd", "2418%00", "..%2F"):
        missing = Client().get(f"/offentlig/kommun/{code}/")
        assert missing.status_code == 404, code
        assert "Sidan finns inte" in missing.content.decode()
    empty = Client().get("/offentlig/kommun/0180/")  # Stockholm: no collaboration here
    assert empty.status_code == 200
    assert "Inget är publicerat ännu" in empty.content.decode()
    # A plan that is only a draft has no public page.
    plan = world.cycle["A"]["plan"]
    assert Client().get(f"/offentlig/samverkan/{world.a.pk}/atgardsplan/{plan.pk}/").status_code == 404


def test_conditional_get_and_a_publish_moves_the_etag(world):
    client = Client()
    first = client.get(KOMMUN)
    assert first["ETag"].startswith('W/"') and "max-age=" in first["Cache-Control"]
    assert client.get(KOMMUN, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    publish(world)
    after = client.get(KOMMUN)
    assert after["ETag"] != first["ETag"] and "Trygga kvällar i Malå" in after.content.decode()
    assert client.get(KOMMUN, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    for suffix in ("atom/", "inbaddning/", "flode.json"):
        answer = client.get(KOMMUN + suffix)
        assert answer.status_code == 200, suffix
        assert "public" in answer["Cache-Control"], suffix  # no form: a shared cache may keep them
        assert client.get(KOMMUN + suffix, HTTP_IF_NONE_MATCH=answer["ETag"]).status_code == 304, suffix


@pytest.mark.parametrize(
    "query",
    [
        "KANARIE-A-OPPEN",
        "kanarie-a-oppen anteckning",
        "' OR 1=1 --",
        "%_\\",
        ".*(a+)+$[",
        "\x00null",
        "ö" * 10_000,
        "a " * 5_000,
    ],
)
def test_search_is_answered_for_any_input(world, query):
    publish(world)
    page = Client().get(KOMMUN, {"q": query})
    assert page.status_code == 200
    html = page.content.decode()
    assert "ETag" not in page  # a search is the visitor's own
    if query.lower().startswith("kanarie-a-oppen"):
        assert "KANARIE-A-OPPEN punkt" in html and "1 träff" in html
    if len(query) > 200:
        assert "bara de första 200 tecknen" in html


def test_search_finds_decisions_and_never_what_is_not_public(world):
    publish(world)
    found = Client().get(KOMMUN, {"q": "beslut"}).content.decode()
    assert "KANARIE-A-OPPEN punkt" in found  # through its öppen decision
    for hidden in ("KANARIE-A-INTERN", "KANARIE-A-BEGRANSAD"):
        answer = Client().get(KOMMUN, {"q": hidden}).content.decode()
        assert "Inga träffar" in answer
        assert f"{hidden} punkt" not in answer


def test_embed_page_may_be_framed_and_other_pages_not(world):
    embed = Client().get(KOMMUN + "inbaddning/")
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    again = Client().get(KOMMUN + "inbaddning/")  # from the page cache: still framable
    assert "X-Frame-Options" not in again and "frame-ancestors *" in again["Content-Security-Policy"]
    page = Client().get(KOMMUN)
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_json_feed_allows_any_origin_for_get_only(world):
    publish(world)
    answer = Client().get(KOMMUN + "flode.json", HTTP_ORIGIN="https://www.mala.se")
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer
    data = json.loads(answer.content)
    assert data["kommun"] == {"kod": "2418", "namn": "Malå"}
    assert [p["title"] for p in data["promises"]] == ["Trygga kvällar i Malå"]
    assert len(data["minutes"]) == 1 and data["minutes"][0]["url"].startswith("http://testserver/")
    preflight = Client().options(KOMMUN + "flode.json", HTTP_ORIGIN="https://www.mala.se")
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Methods"] == "GET, HEAD"
    post = Client().post(KOMMUN + "flode.json")
    assert post.status_code == 405 and "Access-Control-Allow-Origin" not in post


def test_atom_feed_holds_minutes_and_promises(world):
    publish(world)
    feed = Client().get(KOMMUN + "atom/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "Medborgarlöfte: Trygga kvällar i Malå" in body
    assert "<entry>" in body and f"/protokoll/{world.cycle['A']['meeting']['meeting'].pk}/" in body


def test_english_kommun_page(world):
    from django.conf import settings

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert 'lang="en"' in client.get(KOMMUN).content.decode()


def test_accessibility_statement_and_feedback(world, settings, django_capture_on_commit_callbacks):
    settings.SAMVERKAN_OPERATOR_NAME = "Malå kommun (test)"
    settings.SAMVERKAN_OPERATOR_EMAIL = "tillganglighet@mala.invalid"
    settings.SAMVERKAN_FEEDBACK_PER_HOUR = 2
    world.users["samordnare"].email = "samordnare@mala.invalid"
    world.users["samordnare"].save()
    client = Client()
    page = client.get("/offentlig/tillganglighet/?kommun=2418")
    html = page.content.decode()
    assert page.status_code == 200
    for element in (
        "Malå kommun (test)",
        "delvis förenlig",
        "Innehåll som inte är tillgängligt",
        "https://www.digg.se/tdosanmalan",
        "Hur vi testat",
        "Senaste bedömningen",
    ):
        assert element in html, element
    # Every page links to it from its footer.
    assert "/offentlig/tillganglighet/" in client.get("/offentlig/").content.decode()
    # Bad input: a clear message, nothing stored.
    for bad in (
        {"message": ""},
        {"message": "x" * 5_001},
        {"message": "Hej", "contact_email": "inte-en-adress"},
        {"message": "Mitt personnummer är 19811218-9876"},
    ):
        answer = client.post("/offentlig/tillganglighet/", bad)
        assert answer.status_code == 200 and "Det finns fel i formuläret" in answer.content.decode()
    assert AccessibilityFeedback.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/offentlig/tillganglighet/",
            {
                "message": "Kartan går inte att använda med tangentbord.",
                "kommun": "2418",
                "page": "/statistik/",
            },
        )
    assert sent.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.kommun_id == "2418" and feedback.mailed_at is not None
    assert sorted(mail.outbox[-1].to) == ["samordnare@mala.invalid", "tillganglighet@mala.invalid"]
    assert "Kartan går inte" in mail.outbox[-1].body
    assert "Tack!" in client.get(sent["Location"]).content.decode()
    client.post("/offentlig/tillganglighet/", {"message": "Två"})
    throttled = client.post("/offentlig/tillganglighet/", {"message": "Tre"})
    assert throttled.status_code == 429 and AccessibilityFeedback.objects.count() == 2


def test_a_released_evaluation_is_listed_on_the_kommun_page_and_in_its_feed(world, samordnare2):
    """Wired at merge: the kommun page reads reports.selectors.public_evaluations; a draft or an approved
    evaluation without its public release is not listed."""
    from samverkan.reports.services import evaluation as evaluations

    version = evaluations.evaluation_create(
        collaboration=world.a, year=2026, acting_user=world.users["samordnare"]
    )
    title = "Årlig utvärdering 2026 – Malå testsamverkan"
    assert title not in Client().get(KOMMUN).content.decode()
    version = evaluations.version_approve(version=version, acting_user=world.users["samordnare"])
    assert title not in Client().get(KOMMUN).content.decode()
    evaluations.public_release(version=version, acting_user=samordnare2)
    page = Client().get(KOMMUN).content.decode()
    assert title in page and f"/offentlig/samverkan/{world.a.pk}/utvardering/2026/" in page
    assert f"Utvärdering: {title}" in Client().get(KOMMUN + "atom/").content.decode()
