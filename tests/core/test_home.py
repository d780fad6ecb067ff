"""The collaboration home as a work surface: each app's panels, per persona, within a query budget."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samverkan.core.models import Level
from samverkan.core.panels import Panel, home_panels
from samverkan.situation.models import Report, Round
from tests.conftest import CANARIES_A, CANARIES_B, CANARY_A_POLIS_ONLY
from tests.factories import NoticeFactory, OrganisationFactory, ParticipationFactory

# The home's queries do not grow with rounds, organisations, reports or notices.
QUERY_BUDGET = 25


def _home(world, persona: str) -> str:
    response = world.client(persona).get(f"/samverkan/{world.a.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _asked_without_report(world, name: str = "Malå fritidsgård – test"):
    """A second party of A, asked in A's open round, that has not started its report."""
    org = OrganisationFactory(name=name, home_kommun_id="2418")
    ParticipationFactory(collaboration=world.a, organisation=org)
    world.situation["A"]["round"].organisations.add(org)
    return org


def _closed_round_with_a_submitted_report(world, start: dt.date = dt.date(2026, 9, 1)) -> Round:
    round_ = Round.objects.create(
        collaboration=world.a,
        template=world.situation["template"],
        period=Round.Period.MONTH,
        period_start=start,
        period_end=start.replace(day=28),
        deadline=timezone.now() - dt.timedelta(days=3),
    )
    round_.organisations.set([world.org_a])
    Report.objects.create(
        collaboration=world.a,
        round=round_,
        organisation=world.org_a,
        status=Report.Status.INSKICKAD,
        submitted_at=timezone.now() - dt.timedelta(days=4),
    )
    return round_


def test_samordnare_sees_who_has_not_reported_and_the_picture_to_agree(world):
    _asked_without_report(world)
    waiting = _closed_round_with_a_submitted_report(world)
    round_ = world.situation["A"]["round"]
    a = world.a.pk
    body = _home(world, "samordnare")

    assert "0 av 2 har skickat in" in body
    assert "2 aktörer har inte skickat in:" in body
    assert "<li>Malå fritidsgård – test (ej påbörjad)</li>" in body
    assert "<li>Malå kommun – test (utkast)</li>" in body
    assert f'href="/samverkan/{a}/lagesbild/omgangar/{round_.pk}/">Påminn dem på omgångens sida' in body
    assert "Lägesbilder att fastställa" in body
    assert f'href="/samverkan/{a}/lagesbild/omgangar/{waiting.pk}/lagesbild/">September 2026</a>' in body
    # A round whose picture is agreed, or that is still open and incomplete, is not waiting.
    assert f"/lagesbild/omgangar/{round_.pk}/lagesbild/" not in body


def test_pictures_to_agree_lists_the_latest_three_and_counts_the_rest(world):
    for month in range(4, 9):
        _closed_round_with_a_submitted_report(world, dt.date(2026, month, 1))
    body = _home(world, "samordnare")
    assert "Augusti 2026" in body and "Juni 2026" in body and "Maj 2026" not in body
    assert "Ytterligare 2 omgångar väntar." in body


def test_ledamot_sees_their_organisations_report_and_no_samordnare_controls(world):
    _asked_without_report(world)
    _closed_round_with_a_submitted_report(world)
    round_ = world.situation["A"]["round"]
    report = world.situation["A"]["report"]
    body = _home(world, "ledamot")

    assert "Er rapport (Malå kommun – test):" in body
    assert ">Utkast</span>" in body
    edit = f"/samverkan/{world.a.pk}/lagesbild/omgangar/{round_.pk}/rapporter/{report.pk}/andra/"
    assert f'href="{edit}">Fortsätt rapporten' in body
    for control in (
        "har inte skickat in:",
        "Malå fritidsgård – test",
        "Påminn dem",
        "Lägesbilder att fastställa",
        "Förnya överenskommelsen",
        "Lägg till undertecknare",
    ):
        assert control not in body, control


def test_ledamot_is_asked_to_report_until_it_is_submitted(world):
    report = world.situation["A"]["report"]
    round_ = world.situation["A"]["round"]
    report.delete()
    body = _home(world, "ledamot")
    assert ">Ej påbörjad</span>" in body
    start = f"/samverkan/{world.a.pk}/lagesbild/omgangar/{round_.pk}/rapport/"
    assert f'href="{start}">Rapportera för Malå kommun – test' in body

    Report.objects.create(
        collaboration=world.a,
        round=round_,
        organisation=world.org_a,
        status=Report.Status.INSKICKAD,
        submitted_at=timezone.now(),
    )
    body = _home(world, "ledamot")
    assert ">Inskickad</span>" in body and "Visa rapporten" in body
    assert "1 av 1 har skickat in" in body


def test_lasare_sees_the_rounds_but_reports_for_nobody(world):
    body = _home(world, "lasare")
    assert "Öppna omgångar" in body and "0 av 1 har skickat in" in body
    for absent in ("Er rapport", "Fortsätt rapporten", "Rapportera för", "har inte skickat in:"):
        assert absent not in body, absent


def test_no_open_round_says_so(world):
    Round.objects.filter(collaboration=world.a).update(closed_at=timezone.now())
    body = _home(world, "ledamot")
    assert "Ingen omgång är öppen just nu." in body
    assert f'href="/samverkan/{world.a.pk}/lagesbild/omgangar/">Alla omgångar' in body


def test_outsider_and_anonymous_get_no_home(world):
    assert world.client("outsider").get(f"/samverkan/{world.a.pk}/").status_code == 404
    assert world.client("anonymous").get(f"/samverkan/{world.a.pk}/").status_code == 302


@pytest.mark.parametrize("persona", ["ledamot", "lasare"])
def test_no_begransad_notice_or_answer_reaches_the_home_of_a_ledamot_or_lasare(world, persona):
    _closed_round_with_a_submitted_report(world)
    body = _home(world, persona)
    assert CANARIES_A[Level.INTERN] in body  # the notices panel is there …
    for canary in (CANARIES_A[Level.BEGRANSAD], CANARY_A_POLIS_ONLY, *CANARIES_B):
        assert canary not in body, canary  # … but nothing begränsad, and nothing of B


def test_samordnare_sees_begransad_notices_but_nothing_of_another_collaboration(world):
    body = _home(world, "samordnare")
    assert CANARIES_A[Level.BEGRANSAD] in body
    for canary in (CANARY_A_POLIS_ONLY, *CANARIES_B):
        assert canary not in body, canary


# --- The agreement panel --------------------------------------------------------------------------


def _set_end(world, days: int) -> None:
    agreement = world.agreements["A"]["agreement"]
    agreement.end_date = timezone.localdate() + dt.timedelta(days=days)
    agreement.save(update_fields=["end_date"])


def test_agreement_far_from_its_end_and_signed_has_no_warning(world):
    _set_end(world, 61)
    body = _home(world, "samordnare")
    agreement = world.agreements["A"]["agreement"]
    assert f'href="/samverkan/{world.a.pk}/overenskommelser/{agreement.pk}/"' in body
    assert "Obs!" not in body and "Förnya överenskommelsen" not in body


def test_agreement_ending_within_sixty_days_is_flagged_and_the_samordnare_may_renew(world):
    _set_end(world, 60)
    agreement = world.agreements["A"]["agreement"]
    for persona in ("samordnare", "ledamot"):
        assert "Överenskommelsen går ut om 60 dagar," in _home(world, persona)
    renew = f'href="/samverkan/{world.a.pk}/overenskommelser/{agreement.pk}/fornya/"'
    assert renew in _home(world, "samordnare")
    assert renew not in _home(world, "ledamot")
    _set_end(world, 1)
    assert "Överenskommelsen går ut om 1 dag," in _home(world, "ledamot")
    _set_end(world, 0)
    assert "Överenskommelsen går ut i dag." in _home(world, "ledamot")


def test_agreement_without_signatories_is_flagged(world):
    agreement = world.agreements["A"]["agreement"]
    _set_end(world, 365)
    agreement.signatories.all().delete()
    body = _home(world, "samordnare")
    assert "Ingen har skrivit under överenskommelsen." in body
    assert f"/overenskommelser/{agreement.pk}/undertecknare/ny/" in body
    assert "/undertecknare/ny/" not in _home(world, "ledamot")


def test_no_current_agreement_links_to_all_agreements(world):
    world.agreements["A"]["agreement"].delete()
    body = _home(world, "ledamot")
    assert "Ingen gällande överenskommelse." in body
    assert f'href="/samverkan/{world.a.pk}/overenskommelser/">Alla överenskommelser' in body


# --- The page as a whole ----------------------------------------------------------------------------


def test_panels_come_in_cycle_order_after_the_steps(world):
    _closed_round_with_a_submitted_report(world)
    body = _home(world, "samordnare")
    titles = re.findall(r"<h2 id=\"[^\"]+\">([^<]+)</h2>", body)
    assert titles == [
        "Arbetets steg",
        "Överenskommelse",
        "Öppna omgångar",
        "Lägesbilder att fastställa",
        "Inför nästa möte",  # the world's actions are past their end date: flagged for the meeting
        "Årlig utvärdering",
        "Senaste meddelanden",
    ]
    # Headings never skip a level: h1, then h2 sections holding h3 items.
    levels = [int(n) for n in re.findall(r"<h([1-6])", body.split('<main id="main"', 1)[1])]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_the_steps_stay_on_the_page_as_links(world):
    body = _home(world, "ledamot")
    a = world.a.pk
    for href, title in (
        (f"/samverkan/{a}/lagesbild/omgangar/", "Samla fakta"),
        (f"/samverkan/{a}/lagesbild/lagesbilder/", "Gemensam lägesbild"),
        (f"/samverkan/{a}/problem/", "Orsaksanalys"),
        (f"/samverkan/{a}/atgardsplan/", "Åtgärdsplan"),
        (f"/samverkan/{a}/uppfoljning/", "Uppföljning och utvärdering"),
    ):
        assert re.search(
            rf'<a href="{href}"><span class="cycle__number" aria-hidden="true">\d</span> {title}</a>', body
        )


def test_home_panels_skip_what_a_user_is_not_shown(world, rf):
    request = rf.get("/")
    request.user = world.users["ledamot"]
    panels = home_panels(request, world.a)
    assert all(isinstance(p, Panel) for p in panels)
    assert [p.template for p in panels] == [
        "agreements/panels/current_agreement.html",
        "situation/panels/open_rounds.html",
        "actions/followup_panel.html",
        "reports/panels/latest_evaluation.html",
        "core/panels/notices.html",
    ]


def _home_queries(world) -> int:
    client = world.client("samordnare")
    client.get(f"/samverkan/{world.a.pk}/")  # session and caches warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/samverkan/{world.a.pk}/").status_code == 200
    return len(queries)


def test_home_stays_within_its_query_budget_whatever_the_numbers(world, django_assert_max_num_queries):
    client = world.client("samordnare")
    with django_assert_max_num_queries(QUERY_BUDGET):
        client.get(f"/samverkan/{world.a.pk}/")
    for month in (7, 8, 9):  # three pictures waiting: the panel also counts the rest
        _closed_round_with_a_submitted_report(world, dt.date(2026, month, 1))
    before = _home_queries(world)

    # More of everything: open rounds, asked organisations, reports, pictures waiting, notices.
    for n in range(4):
        _asked_without_report(world, f"Aktör {n}")
        round_ = Round.objects.create(
            collaboration=world.a,
            template=world.situation["template"],
            period=Round.Period.WEEK,
            period_start=dt.date(2026, 11, 2) + dt.timedelta(weeks=n),
            period_end=dt.date(2026, 11, 8) + dt.timedelta(weeks=n),
            deadline=timezone.now() + dt.timedelta(days=10 + n),
        )
        round_.organisations.set(world.a.participations.values_list("organisation", flat=True))
        Report.objects.create(collaboration=world.a, round=round_, organisation=world.org_a)
        _closed_round_with_a_submitted_report(world, dt.date(2026, n + 1, 1))
        NoticeFactory(collaboration=world.a, level=Level.INTERN, author=world.users["ledamot"])
    assert _home_queries(world) == before <= QUERY_BUDGET
