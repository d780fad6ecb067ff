"""The portal's conditional GET and page cache (issue 12): 304s, ETags that follow publishing, no stale page
after a publish, never a cached page for a signed-in user or across languages, no shared CSRF token."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from samverkan.agreements.models import CitizenPromise
from samverkan.agreements.services import agreement_update, focus_area_move
from samverkan.core.models import Level
from samverkan.portal.cache import CSRF_PLACEHOLDER

pytestmark = pytest.mark.django_db


def _paths(world) -> list[str]:
    agreement = world.agreements["A"]["agreement"]
    return [
        "/offentlig/",
        f"/offentlig/samverkan/{world.a.pk}/",
        f"/offentlig/samverkan/{world.a.pk}/overenskommelser/{agreement.pk}/",
    ]


def _detail(world) -> str:
    return _paths(world)[2]


def test_anonymous_pages_have_an_etag_public_caching_and_answer_304(world):
    client = Client()
    for path in _paths(world):
        first = client.get(path)
        assert first.status_code == 200
        assert first["ETag"].startswith('W/"')
        # The HTML pages carry the visitor's CSRF token: the browser may keep them, a shared proxy not.
        assert "private" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
        assert "public" not in first["Cache-Control"]
        assert "Cookie" in first["Vary"]  # the language is a cookie
        again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
        assert client.get(path, HTTP_IF_NONE_MATCH='W/"something-else"').status_code == 200


def test_last_modified_answers_if_modified_since_until_a_publish(world):
    from django.utils.http import http_date, parse_http_date

    client = Client()
    path = _detail(world)
    first = client.get(path)
    stamp = first["Last-Modified"]
    assert parse_http_date(stamp) <= parse_http_date(http_date())
    again = client.get(path, HTTP_IF_MODIFIED_SINCE=stamp)
    assert again.status_code == 304 and again["Last-Modified"] == stamp and again["ETag"] == first["ETag"]
    # An older copy in the browser is not confirmed.
    earlier = http_date(parse_http_date(stamp) - 3600)
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    # A publish makes a new page: its date is not older than the old one, and a date before the change
    # is not confirmed (the new page's ETag differs, and If-None-Match wins over If-Modified-Since).
    agreement_update(
        agreement=world.agreements["A"]["agreement"], acting_user=world.users["samordnare"], purpose="Nytt."
    )
    after = client.get(path, HTTP_IF_MODIFIED_SINCE=stamp)  # published within the same second, likely
    assert after.status_code == 200 and parse_http_date(after["Last-Modified"]) > parse_http_date(stamp)
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_IF_MODIFIED_SINCE=stamp).status_code == 200


def test_a_publish_changes_the_etag_and_the_cached_page_is_not_served(
    world, django_capture_on_commit_callbacks
):
    client = Client()
    path = _detail(world)
    before = client.get(path)
    assert "Nytt löfte om belysning" not in before.content.decode()
    promise = CitizenPromise.objects.get(pk=world.agreements["A"]["promise"].pk)
    promise.pk = None
    promise.title = "Nytt löfte om belysning"
    promise.level = Level.OPPEN
    promise.save()  # a new published promise, as the service would write it
    after = client.get(path)
    assert after["ETag"] != before["ETag"]
    assert "Nytt löfte om belysning" in after.content.decode()
    # The browser's old copy is not confirmed either.
    assert client.get(path, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200
    # The list of collaborations follows too (any change raises the sum).
    assert client.get("/offentlig/", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_a_service_edit_and_a_withdrawal_are_seen_at_once(world):
    client = Client()
    agreement = world.agreements["A"]["agreement"]
    path = _detail(world)
    etag = client.get(path)["ETag"]
    agreement_update(agreement=agreement, acting_user=world.users["samordnare"], purpose="Ett nytt syfte.")
    page = client.get(path)
    assert page["ETag"] != etag and "Ett nytt syfte." in page.content.decode()
    agreement.refresh_from_db()
    agreement_update(agreement=agreement, acting_user=world.users["samordnare"], level=Level.INTERN)
    assert client.get(path).status_code == 404


def test_a_reorder_by_queryset_update_raises_the_revision(world):
    from samverkan.agreements.models import FocusArea

    client = Client()
    path = _detail(world)
    agreement = world.agreements["A"]["agreement"]
    first = FocusArea.objects.filter(agreement=agreement).order_by("order", "pk").first()
    if first is None or FocusArea.objects.filter(agreement=agreement, parent=first.parent).count() < 2:
        pytest.skip("the fixture's agreement has fewer than two sibling focus areas")
    etag = client.get(path)["ETag"]
    focus_area_move(focus_area=first, direction=1, acting_user=world.users["samordnare"])
    assert client.get(path)["ETag"] != etag


def test_a_signed_in_member_never_gets_the_cached_page(world):
    path = _detail(world)
    anonymous = Client().get(path)
    member = world.client("ledamot")
    page = member.get(path)
    assert page.status_code == 200
    assert "ETag" not in page and "public" not in page["Cache-Control"]
    assert "no-store" in page["Cache-Control"]
    assert member.get(path, HTTP_IF_NONE_MATCH=anonymous["ETag"]).status_code == 200
    # The personalised header (the member's logout form) is theirs, not the anonymous copy.
    assert page.content != anonymous.content and b"account/logout" in page.content.replace(
        b"konto", b"account"
    )


def _client(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # the language switch's cookie
    return client


def test_never_across_languages(world):
    path = _detail(world)
    swedish = _client("sv").get(path)
    english = _client("en").get(path)
    assert swedish["ETag"] != english["ETag"]
    assert 'lang="sv"' in swedish.content.decode() and 'lang="en"' in english.content.decode()
    # Served from the cache, each language still gets its own page.
    assert 'lang="en"' in _client("en").get(path).content.decode()
    assert 'lang="sv"' in _client("sv").get(path).content.decode()
    assert 'lang="sv"' in Client().get(path).content.decode()  # no cookie: Swedish
    assert _client("en").get(path, HTTP_IF_NONE_MATCH=swedish["ETag"]).status_code == 200


def test_each_visitor_gets_their_own_csrf_token(world):
    path = "/offentlig/"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one, page_two = first.get(path), second.get(path)  # the second is a cache hit
    for page in (page_one, page_two):
        assert CSRF_PLACEHOLDER.encode() not in page.content
        assert b"csrfmiddlewaretoken" in page.content
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    # The token in the cached page works for its visitor: the language form posts without a 403.
    token = page_two.content.split(b'name="csrfmiddlewaretoken" value="')[1].split(b'"')[0].decode()
    answer = second.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302


def test_a_query_string_or_a_session_is_not_cached(world):
    path = _detail(world)
    client = Client()
    client.get(path)
    assert "ETag" not in client.get(path + "?x=1")
    client.cookies["sessionid"] = "anything"
    assert "ETag" not in client.get(path)


def test_a_404_from_a_public_page_carries_a_working_csrf_token(world):
    # The placeholder is switched on while the view renders; the 404 page (base.html's language form) is
    # rendered after the view raised, and must get the visitor's real token, not the placeholder.
    client = Client(enforce_csrf_checks=True)
    missing = client.get(f"/offentlig/samverkan/{world.a.pk}/overenskommelser/999999/")
    assert missing.status_code == 404
    assert CSRF_PLACEHOLDER.encode() not in missing.content
    assert b"csrfmiddlewaretoken" in missing.content


def test_a_page_without_a_form_may_be_kept_by_a_shared_cache(world):
    agreement = world.agreements["A"]["agreement"]
    pdf = Client().get(f"/offentlig/samverkan/{world.a.pk}/overenskommelser/{agreement.pk}/pdf/")
    assert pdf.status_code == 200 and "public" in pdf["Cache-Control"]


def test_a_renamed_police_area_is_seen_at_once(world):
    from samverkan.core.models import PoliceArea

    area = PoliceArea.objects.first()
    world.a.police_areas.add(area)
    agreement = world.agreements["A"]["agreement"]
    agreement_update(agreement=agreement, acting_user=world.users["samordnare"], police_areas=[area])
    client = Client()
    path = _detail(world)
    assert area.namn in client.get(path).content.decode()
    area.namn = "Lokalpolisområde Nytt namn"
    area.save()
    assert "Lokalpolisområde Nytt namn" in client.get(path).content.decode()


def _pdf_path(world) -> str:
    agreement = world.agreements["A"]["agreement"]
    return f"/offentlig/samverkan/{world.a.pk}/overenskommelser/{agreement.pk}/pdf/"


CACHING_HEADERS = ("ETag", "Cache-Control", "Vary")


@pytest.mark.parametrize("kept", [True, False], ids=["page-in-cache", "page-not-in-cache"])
def test_a_304_carries_the_caching_headers_of_the_200_it_stands_for(world, kept):
    """A 304 updates the stored answer's headers (RFC 9111 4.3.4): a 'private' 304 for the public PDF would
    turn a shared cache's copy private. Also when the server's copy is gone (another process, evicted)."""
    from django.core.cache import cache

    for path in (_pdf_path(world), _detail(world)):
        client = Client()
        full = client.get(path)
        assert full.status_code == 200
        if not kept:
            cache.clear()
        again = client.get(path, HTTP_IF_NONE_MATCH=full["ETag"])
        assert again.status_code == 304, path
        assert {name: again.get(name) for name in CACHING_HEADERS} == {
            name: full.get(name) for name in CACHING_HEADERS
        }, path


def test_a_failed_if_match_gets_no_caching_headers(world):
    """A 412 is not the page: no ETag (it names no representation) and nothing that lets it be kept."""
    for path in (_pdf_path(world), _detail(world)):
        client = Client()
        etag = client.get(path)["ETag"]
        for if_match in ('"something-else"', etag):  # a weak ETag never matches If-Match either
            failed = client.get(path, HTTP_IF_MATCH=if_match)
            assert failed.status_code == 412, path
            assert "ETag" not in failed, path
            assert "public" not in failed.get("Cache-Control", "") and "max-age" not in failed.get(
                "Cache-Control", ""
            ), path


def test_a_recreated_database_never_gets_the_old_databases_pages(world):
    """After a flush or a demo reset PublicRevision starts again from nothing; a page cache that outlives
    the database (Redis) must not serve the old database's page when a revision number comes round again."""
    from django.core.management import call_command
    from django.db import connection

    from samverkan.core.models import Collaboration, PublicRevision
    from samverkan.core.publication import public_revision_of_all

    client = Client()
    old = client.get("/offentlig/")
    assert world.a.name in old.content.decode()
    total = public_revision_of_all()
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with foreign-key checks still deferred in this transaction.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)  # inside the test's transaction: rolled back
    Collaboration.objects.create(name="Samverkan efter återställningen")
    PublicRevision.objects.update(revision=total)  # the new database reaches the same revision
    assert public_revision_of_all() == total
    page = client.get("/offentlig/")
    assert page["ETag"] != old["ETag"]
    assert "Samverkan efter återställningen" in page.content.decode()
    assert world.a.name not in page.content.decode()
    assert client.get("/offentlig/", HTTP_IF_NONE_MATCH=old["ETag"]).status_code == 200


def test_the_epoch_is_kept_and_a_new_database_makes_a_new_one(world):
    from samverkan.core.models import DatabaseEpoch
    from samverkan.core.publication import database_epoch

    first = database_epoch()
    assert len(first) == 32 and database_epoch() == first
    DatabaseEpoch.objects.all().delete()  # what a flush does to it
    assert database_epoch() not in ("", first)


def test_a_promise_made_public_or_withdrawn_takes_its_activities_along_on_the_cached_page(world):
    """promise_save moves its activities' level with one QuerySet.update (no signals)."""
    import datetime as dt

    from samverkan.agreements.services import promise_save

    promise = CitizenPromise.objects.get(pk=world.agreements["A"]["promise"].pk)
    activity_text = promise.activities.get().description
    client = Client()
    path = _detail(world)
    assert activity_text not in client.get(path).content.decode()  # cached: the promise is intern

    def save(*, is_public: bool) -> None:
        promise.refresh_from_db()
        promise_save(
            collaboration=world.a,
            promise=promise,
            title=promise.title,
            text=promise.text,
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2024, 12, 31),
            agreement=promise.agreement,
            is_public=is_public,
            acting_user=world.users["samordnare"],
        )

    save(is_public=True)
    assert activity_text in client.get(path).content.decode()
    save(is_public=False)
    assert activity_text not in client.get(path).content.decode()
