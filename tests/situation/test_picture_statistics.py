"""The police's statistics in the joint picture: counts per area with trends, signals, an empty state, and a
cache that follows imports (which do not bump the situation revision)."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samverkan.core.models import Kommun
from samverkan.indicators.models import DataPoint, ImportRun, Indicator, PoliceEvent
from samverkan.indicators.services.indicators import police_indicators_recompute
from samverkan.situation.models import Round
from samverkan.situation.selectors.picture.statistics import (
    picture_statistics,
    statistics_period,
)
from samverkan.situation.services.picture import picture_agree

MALA = "2418"
_ids = itertools.count(90_000_000)


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.SITUATION_PICTURE_CACHE = True


def _events(kommun: str, month: dt.date, type_: str, n: int, run: ImportRun) -> None:
    lan_id = Kommun.objects.values_list("lan_id", flat=True).get(kod=kommun)
    last_day = calendar.monthrange(month.year, month.month)[1]
    PoliceEvent.objects.bulk_create(
        PoliceEvent(
            police_id=next(_ids),
            # The last event on the month's last day: the data covers the month in full.
            datetime=timezone.make_aware(
                dt.datetime(month.year, month.month, last_day if i == n - 1 else 1 + i % 27, 12)
            ),
            month=month,
            name=f"{month:%d %B} {type_}, {kommun}",
            type=type_,
            location_name="Malå",
            kommun_id=kommun,
            lan_id=lan_id,
            matched_by=PoliceEvent.MatchedBy.LOCATION,
            import_run=run,
            content_hash=f"h{i}",
        )
        for i in range(n)
    )


def _import(rows: list[tuple[dt.date, str, int]], kommun: str = MALA) -> ImportRun:
    """Events as an import would leave them: rows, then the monthly indicators recomputed."""
    run = ImportRun.objects.create(
        kind=ImportRun.Kind.POLICE_EVENTS, file_name="test.jsonl", sha256="0" * 64, started_at=timezone.now()
    )
    for month, type_, n in rows:
        _events(kommun, month, type_, n, run)
    police_indicators_recompute(import_run=run)
    return run


OCTOBER = dt.date(2026, 10, 1)  # the world's round A is October 2026


def _page(world, persona: str = "ledamot") -> str:
    round_ = world.situation["A"]["round"]
    url = reverse("situation:picture_detail", kwargs={"collaboration_id": world.a.pk, "round_id": round_.pk})
    response = world.client(persona).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_section_shows_counts_per_area_with_comparisons_and_a_sentence(world):
    _import(
        [
            (OCTOBER, "Misshandel", 14),
            (dt.date(2026, 9, 1), "Misshandel", 3),
            (dt.date(2025, 10, 1), "Misshandel", 2),
            (OCTOBER, "Brand", 4),
            (dt.date(2026, 9, 1), "Brand", 5),
            (dt.date(2025, 10, 1), "Brand", 3),
            (OCTOBER, "Trafikolycka", 2),  # mapped to no area: only in the total
        ]
    )
    body = _page(world)
    assert "Polisens statistik" in body
    assert "Polisens publicerade händelser per område, oktober 2026" in body
    assert '<th scope="row">Hot och våld</th>' in body
    assert (
        "Polisens händelser inom hot och våld ökade från 2 till 14 jämfört med samma månad förra året; "
        "ökningen är statistiskt säkerställd." in body
    ) or (
        "Polisens händelser inom hot och våld ökade från 3 till 14 jämfört med föregående månad; "
        "ökningen är statistiskt säkerställd." in body
    )
    assert (
        "Polisens händelser inom ordningsstörningar och otrygghet ökade från 3 till 4 jämfört med samma månad "
        "förra året; skillnaden kan bero på slumpen." in body
    )
    assert (
        "Polisens händelser inom ungdomar och skolor: oförändrat (0) jämfört med samma månad förra året."
        in body
    )
    assert "Polisens händelser: oförändrat" not in body
    assert "september 2026" in body and "oktober 2025" in body
    assert "villkorat binomialtest" in body
    # The total counts every event of the kommun: 14 + 4 + 2.
    assert '<td class="numeric">20</td>' in body
    assert "Registrerade brott per område" not in body  # none imported


def test_a_significant_change_is_a_signal_at_the_top_of_the_section(world):
    _import([(OCTOBER, "Misshandel", 14), (dt.date(2026, 9, 1), "Misshandel", 3)])
    body = _page(world, "lasare")
    section = body[body.index("Polisens statistik") :]
    assert section.index("Signaler") < section.index("Polisens publicerade händelser per område")
    assert 'class="signal-chip signal-chip--worse">Sämre</span>' in section
    assert 'Malå · Hot och våld</strong> <span class="muted">(oktober 2026)</span>' in section
    assert (
        "Polisens händelser: Hot och våld i Malå ökade från 3 till 14 jämfört med föregående månad" in section
    )


def test_registered_crime_shows_when_it_exists(world):
    _import([(OCTOBER, "Misshandel", 1)])
    crime = Indicator.objects.create(
        code="polisen.brott.ant",
        name="Registrerade brott: Alkohol, narkotika, dopning och tobak",
        unit="antal",
        source="Polisen, registrerade brott",
        area_code="ant",
        better=Indicator.Better.LOWER,
        period_type=Indicator.Period.MONTH,
        is_count=True,
        covered_from=dt.date(2022, 1, 1),
        covered_to=dt.date(2026, 12, 1),
    )
    DataPoint.objects.create(indicator=crime, kommun_id=MALA, period_start=OCTOBER, value=Decimal(31))
    DataPoint.objects.create(
        indicator=crime, kommun_id=MALA, period_start=dt.date(2026, 9, 1), value=Decimal(28)
    )
    DataPoint.objects.create(
        indicator=crime, kommun_id=MALA, period_start=dt.date(2025, 10, 1), value=Decimal(12)
    )
    body = _page(world)
    assert "Registrerade brott per område, oktober 2026" in body
    assert (
        "Registrerade brott inom alkohol, narkotika, dopning och tobak ökade från 12 till 31 jämfört med "
        "samma månad förra året; ökningen är statistiskt säkerställd." in body
    )


def test_a_collaboration_without_data_gets_a_helpful_empty_state(world):
    body = _page(world, "samordnare")
    assert "Polisens statistik" in body
    assert "Det finns ännu ingen statistik från polisen för samverkans kommuner under perioden." in body
    assert "import_police_events" in body
    assert "Signaler" not in body


def test_months_after_the_data_ends_are_not_shown_as_zero(world):
    # The archive ends in August: October is not known yet, so the page says so instead of "0".
    _import([(dt.date(2026, 8, 1), "Misshandel", 5), (dt.date(2025, 10, 1), "Misshandel", 2)])
    body = _page(world)
    assert "Det finns ännu ingen statistik från polisen för samverkans kommuner under perioden." in body
    assert "Den statistik som finns sträcker sig till och med augusti 2026." in body
    assert '<td class="numeric">0</td>' not in body


def test_a_row_without_data_for_the_period_says_so(world):
    _import([(OCTOBER, "Misshandel", 5)])
    Indicator.objects.filter(code="polisen.handelser.unga").update(covered_to=dt.date(2026, 8, 1))
    body = _page(world)
    assert "Ingen statistik för perioden." in body
    assert "Polisens händelser inom ungdomar och skolor" not in body


def test_a_new_import_shows_without_any_write_to_the_collaboration(world):
    assert "Det finns ännu ingen statistik" in _page(world)
    _import([(OCTOBER, "Misshandel", 14), (dt.date(2026, 9, 1), "Misshandel", 3)])
    body = _page(world)
    assert "Det finns ännu ingen statistik" not in body and "Malå · Hot och våld" in body


def test_other_kommuner_are_not_counted(world):
    _import([(OCTOBER, "Misshandel", 30)], kommun="2039")  # Älvdalen: collaboration B
    body = _page(world)
    # The archive covers October (only), so Malå's October is a real zero with nothing to compare to.
    assert "Polisens händelser inom hot och våld: 0. Det finns ingen tidigare period att jämföra med." in body
    assert '<td class="numeric">30</td>' not in body and "Signaler" in body
    assert "Inga statistiskt säkerställda förändringar" in body


def test_the_statistics_are_not_frozen_into_an_agreed_version(world):
    _import([(OCTOBER, "Misshandel", 14), (dt.date(2026, 9, 1), "Misshandel", 3)])
    round_ = world.situation["A"]["round"]
    version = picture_agree(
        round_=round_,
        acting_user=world.users["samordnare"],
        meeting="Lokala BRÅ",
        meeting_date=dt.date(2026, 11, 5),
    )
    url = reverse(
        "situation:picture_version",
        kwargs={"collaboration_id": world.a.pk, "round_id": round_.pk, "version_id": version.pk},
    )
    body = world.client("ledamot").get(url).content.decode()
    assert "Polisens statistik" not in body


def test_a_quarter_round_compares_whole_quarters(world):
    round_ = world.situation["A"]["round"]
    quarter = Round(
        collaboration=world.a,
        template=round_.template,
        period=Round.Period.QUARTER,
        period_start=dt.date(2026, 7, 1),
        period_end=dt.date(2026, 9, 30),
        deadline=round_.deadline,
    )
    months, kind = statistics_period(quarter)
    assert months == [dt.date(2026, 7, 1), dt.date(2026, 8, 1), dt.date(2026, 9, 1)] and kind == "quarter"
    _import(
        [
            (dt.date(2026, 7, 1), "Misshandel", 10),
            (dt.date(2026, 9, 1), "Misshandel", 21),
            (dt.date(2025, 7, 1), "Misshandel", 5),
            (dt.date(2025, 8, 1), "Misshandel", 7),
        ]
    )
    quarter.save()
    statistics = picture_statistics(round_=quarter)
    [events] = statistics.tables
    vald = next(r for r in events.rows if r.area_code == "vald")
    assert vald.trend is not None
    assert (vald.trend.value, vald.trend.previous, vald.trend.last_year) == (31, 0, 12)
    assert "jämfört med föregående kvartal; ökningen är statistiskt säkerställd." in vald.trend.sentence
    assert statistics.period_label == "juli 2026–september 2026"


def test_a_week_round_uses_the_month_it_falls_in(world):
    round_ = world.situation["A"]["round"]
    week = Round(
        collaboration=world.a,
        template=round_.template,
        period=Round.Period.WEEK,
        period_start=dt.date(2026, 10, 12),
        period_end=dt.date(2026, 10, 18),
        deadline=round_.deadline,
    )
    assert statistics_period(week) == ([OCTOBER], "month")


def test_the_section_reads_in_a_fixed_number_of_queries(world):
    round_ = world.situation["A"]["round"]
    _import([(OCTOBER, "Misshandel", 14), (dt.date(2026, 9, 1), "Misshandel", 3)])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            picture_statistics(round_=round_)
        return len(captured.captured_queries)

    before = queries()
    _import([(OCTOBER, "Brand", 9), (dt.date(2025, 10, 1), "Narkotikabrott", 4), (OCTOBER, "Rån", 3)])
    assert queries() == before <= 7


def test_a_period_after_the_data_says_when_the_data_ends(world):
    # Before: with signals from August but nothing for October, every row said "Ingen statistik för
    # perioden" and nothing said that the data ends in August.
    _import([(dt.date(2026, 8, 1), "Misshandel", 14), (dt.date(2026, 7, 1), "Misshandel", 3)])
    body = _page(world)
    assert "Signaler" in body and "Det finns ännu ingen statistik" not in body
    assert "Senaste data: augusti 2026." in body


def test_no_latest_data_note_when_the_data_covers_the_period(world):
    _import([(OCTOBER, "Misshandel", 14), (dt.date(2026, 9, 1), "Misshandel", 3)])
    assert "Senaste data:" not in _page(world)
