"""The statistics pages of a collaboration: the overview per kommun and one indicator's chart, table and
downloads, as every persona."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from samverkan.core.models import Kommun
from samverkan.indicators.models import DataPoint, Indicator, Target
from samverkan.indicators.overview import kommun_overview
from tests.indicators.factories import CountFactory, DataPointFactory

MALA = "2418"
ALVDALEN = "2039"


def overview_url(world, **query):
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return f"/samverkan/{world.a.pk}/statistik/{suffix}"


def detail_url(world, indicator, suffix="", **query):
    tail = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return f"/samverkan/{world.a.pk}/statistik/{indicator.pk}/{suffix}{tail}"


def monthly_count(**kwargs):
    return CountFactory(
        **{"code": "test.skadegorelse", "name": "Skadegörelse", "area_code": "ordning", **kwargs}
    )


def point(indicator, day, value, kommun=MALA, **kwargs):
    return DataPointFactory(
        indicator=indicator, kommun_id=kommun, period_start=day, value=Decimal(value), **kwargs
    )


@pytest.fixture
def counts(world):
    """A monthly count for Malå: 20 in Dec 2023, 5 in Nov 2024, 10 in Dec 2024 (and one for Älvdalen)."""
    indicator = monthly_count()
    point(indicator, dt.date(2023, 12, 1), 20)
    point(indicator, dt.date(2024, 11, 1), 5)
    point(indicator, dt.date(2024, 12, 1), 10)
    point(indicator, dt.date(2024, 12, 1), 99, kommun=ALVDALEN)
    return indicator


@pytest.fixture
def survey(world):
    """A yearly NTU-like share with confidence intervals, and the län's and riket's values."""
    indicator = Indicator.objects.create(
        code="test.otrygghet",
        name="Otrygghet utomhus",
        unit="procent",
        source="Brå, NTU",
        period_type=Indicator.Period.YEAR,
        better=Indicator.Better.LOWER,
    )
    for year, value, low, high in [(2023, "21.5", "17.2", "25.8"), (2024, "19.0", "15.1", "22.9")]:
        point(indicator, dt.date(year, 1, 1), value, ci_low=Decimal(low), ci_high=Decimal(high))
        DataPoint.objects.create(
            indicator=indicator, lan_id="24", period_start=dt.date(year, 1, 1), value=Decimal("17.5")
        )
        DataPoint.objects.create(
            indicator=indicator, period_start=dt.date(year, 1, 1), value=Decimal("16.25")
        )
    return indicator


# --- overview ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["samordnare", "polis", "ledamot", "lasare"])
def test_members_see_the_overview(world, counts, persona):
    response = world.client(persona).get(overview_url(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Skadegörelse" in body
    assert f"/samverkan/{world.a.pk}/statistik/{counts.pk}/?kommun={MALA}" in body


def test_outsider_gets_404_and_anonymous_must_log_in(world, counts):
    assert world.client("outsider").get(overview_url(world)).status_code == 404
    response = world.client("anonymous").get(overview_url(world))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_overview_shows_latest_value_and_both_changes(world, counts):
    groups = kommun_overview(kommun=Kommun.objects.get(pk=MALA))
    assert [g.code for g in groups] == ["ordning"]
    row = groups[0].rows[0]
    assert row.period == dt.date(2024, 12, 1) and row.value == 10
    assert row.vs_previous is not None and row.vs_previous.difference == 5 and row.vs_previous.percent == 100
    assert row.vs_last_year is not None and row.vs_last_year.difference == -10
    assert row.vs_last_year.percent == -50
    malå = Kommun.objects.get(pk=MALA)
    assert row.per_10000 == (Decimal(10) * 10000 / malå.folkmangd).quantize(Decimal("0.01")).normalize()
    body = world.client("ledamot").get(overview_url(world)).content.decode()
    assert "2024-12" in body and "+5 (+100,0 %)" in body and "-10 (-50,0 %)" in body


def test_a_missing_month_inside_a_counts_covered_range_is_zero(world):
    indicator = monthly_count(covered_from=dt.date(2024, 1, 1), covered_to=dt.date(2024, 12, 1))
    point(indicator, dt.date(2024, 12, 1), 3)
    row = kommun_overview(kommun=Kommun.objects.get(pk=MALA))[0].rows[0]
    assert row.vs_previous is not None and row.vs_previous.earlier == 0 and row.vs_previous.percent is None
    assert row.vs_last_year is None  # Dec 2023 is outside the covered range: unknown, not zero


def test_overview_groups_by_area_then_other(world, counts, survey):
    groups = kommun_overview(kommun=Kommun.objects.get(pk=MALA))
    assert [(g.code, [r.indicator.code for r in g.rows]) for g in groups] == [
        ("ordning", ["test.skadegorelse"]),
        ("", ["test.otrygghet"]),
    ]
    assert groups[-1].title == "Övrigt"
    # A yearly indicator's previous period is last year: shown once, not twice.
    assert groups[-1].rows[0].vs_previous is not None and groups[-1].rows[0].vs_last_year is None


def test_overview_queries_do_not_grow_with_indicators(world, counts):
    malå = Kommun.objects.get(pk=MALA)
    with CaptureQueriesContext(connection) as few:
        kommun_overview(kommun=malå)
    for n in range(8):
        extra = monthly_count(code=f"test.extra{n}", name=f"Extra {n}", area_code="")
        point(extra, dt.date(2024, 6, 1), n)
        point(extra, dt.date(2024, 5, 1), n + 1)
    with CaptureQueriesContext(connection) as many:
        groups = kommun_overview(kommun=malå)
    assert sum(len(g.rows) for g in groups) == 9
    assert len(many.captured_queries) == len(few.captured_queries) <= 3


def test_overview_empty_state_tells_how_data_gets_in(world):
    body = world.client("samordnare").get(overview_url(world)).content.decode()
    assert "Ingen statistik ännu" in body
    assert f"/samverkan/{world.a.pk}/statistik/importera/" in body  # the samordnare's own series


def test_overview_of_a_kommun_outside_the_collaboration_is_404(world, counts):
    assert world.client("samordnare").get(overview_url(world, kommun=ALVDALEN)).status_code == 404


# --- indicator page ------------------------------------------------------------------------------------


def chart_data(response):
    body = response.content.decode()
    start = body.index('<script id="indicator-chart-data" type="application/json">') + len(
        '<script id="indicator-chart-data" type="application/json">'
    )
    return json.loads(body[start : body.index("</script>", start)])


@pytest.mark.parametrize("persona", ["samordnare", "polis", "ledamot", "lasare"])
def test_members_see_the_indicator_page(world, counts, persona):
    response = world.client(persona).get(detail_url(world, counts, per="antal"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Skadegörelse" in body and "Testkälla" in body and "Lägre är bättre" in body
    assert 'role="img"' in body and "Linjediagram: Skadegörelse i Malå" in body
    assert "Visa som tabell" in body and "<caption" in body
    assert chart_data(response)["kommun"]["values"] == [20.0, 5.0, 10.0]


def test_outsider_gets_404_for_the_indicator_page(world, counts):
    assert world.client("outsider").get(detail_url(world, counts)).status_code == 404


@pytest.mark.parametrize("code", [ALVDALEN, "9999", "x"])
def test_a_kommun_outside_the_collaboration_is_404(world, counts, code):
    assert world.client("ledamot").get(detail_url(world, counts, kommun=code)).status_code == 404


def test_an_unknown_indicator_is_404(world):
    assert world.client("ledamot").get(f"/samverkan/{world.a.pk}/statistik/999999/").status_code == 404


def test_indicator_without_data_for_the_kommun_shows_an_empty_state(world):
    indicator = monthly_count()
    point(indicator, dt.date(2024, 1, 1), 4, kommun=ALVDALEN)
    response = world.client("ledamot").get(detail_url(world, indicator))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Inga värden för kommunen" in body and "<canvas" not in body


def test_confidence_intervals_and_comparisons_are_in_chart_and_table(world, survey):
    response = world.client("ledamot").get(detail_url(world, survey))
    data = chart_data(response)
    assert data["ci"]["low"] == [17.2, 15.1] and data["ci"]["high"] == [25.8, 22.9]
    assert data["lan"]["label"] == "Västerbottens län" and data["lan"]["values"] == [17.5, 17.5]
    assert data["riket"]["values"] == [16.25, 16.25]
    body = response.content.decode()
    assert "95 % konfidensintervall" in body
    assert "17,2–25,8" in body and "15,1–22,9" in body
    assert "16,25" in body


def test_a_target_draws_a_labelled_line_within_its_validity(world, survey):
    Target.objects.create(
        indicator=survey,
        collaboration=world.a,
        value=Decimal("18"),
        valid_from=dt.date(2024, 1, 1),
        label="Minska otryggheten",
    )
    Target.objects.create(indicator=survey, collaboration=world.b, value=Decimal("1"), label="B:s mål")
    response = world.client("ledamot").get(detail_url(world, survey))
    data = chart_data(response)
    assert data["targets"] == [{"label": "Mål: Minska otryggheten", "values": [None, 18.0]}]
    body = response.content.decode()
    assert "B:s mål" not in body
    assert "En streckad linje visar målet." in body


def test_per_10000_scales_counts_and_converts_targets(world, counts):
    malå = Kommun.objects.get(pk=MALA)
    Target.objects.create(indicator=counts, kommun=malå, value=Decimal("3"))
    response = world.client("ledamot").get(detail_url(world, counts, per="10000"))
    data = chart_data(response)
    expected = float((Decimal(10) * 10000 / malå.folkmangd).quantize(Decimal("0.01")))
    assert data["kommun"]["values"][-1] == expected
    assert "per 10 000 invånare" in data["unit"]
    target = float((Decimal(3) * 10000 / malå.folkmangd).quantize(Decimal("0.01")))
    assert data["targets"][0]["values"][-1] == target


def test_a_count_starts_per_10000_when_the_population_is_known(world, counts):
    # Before: the page started on the count, a kommun's 55 on the axis of riket's 198,944.
    malå = Kommun.objects.get(pk=MALA)
    DataPoint.objects.create(indicator=counts, period_start=dt.date(2024, 12, 1), value=Decimal(198944))
    response = world.client("ledamot").get(detail_url(world, counts))
    data = chart_data(response)
    assert "per 10 000 invånare" in data["unit"]
    assert data["kommun"]["values"][-1] == float(
        (Decimal(10) * 10000 / malå.folkmangd).quantize(Decimal("0.01"))
    )
    assert data["compare_unit"] is None  # rates share one axis
    body = response.content.decode()
    assert 'value="10000" checked' in body
    # The downloads hold what the page shows.
    assert "csv/?per=10000" in body and "xlsx/?per=10000" in body
    sheet = load_workbook(
        io.BytesIO(world.client("ledamot").get(detail_url(world, counts, "xlsx/", per="10000")).content)
    ).active
    assert sheet["B3"].value == "Malå (antal per 10 000 invånare)"


def test_a_count_without_a_population_starts_on_the_count(world, counts):
    Kommun.objects.filter(pk=MALA).update(folkmangd=None)
    response = world.client("ledamot").get(detail_url(world, counts))
    data = chart_data(response)
    assert data["unit"] == "antal" and data["kommun"]["values"] == [20.0, 5.0, 10.0]
    assert 'value="antal" checked' in response.content.decode()


def test_counts_of_lan_and_riket_get_an_axis_of_their_own(world, counts):
    DataPoint.objects.create(indicator=counts, period_start=dt.date(2024, 12, 1), value=Decimal(198944))
    DataPoint.objects.create(
        indicator=counts, lan_id="24", period_start=dt.date(2024, 12, 1), value=Decimal(5200)
    )
    response = world.client("ledamot").get(detail_url(world, counts, per="antal"))
    data = chart_data(response)
    assert data["kommun"]["values"] == [20.0, 5.0, 10.0]
    assert data["unit"] == "antal, Malå"
    assert data["compare_unit"] == "antal, Västerbottens län och riket"
    assert (
        "Antalen för Västerbottens län och riket visas mot en egen axel till höger."
        in response.content.decode()
    )


def test_per_10000_is_ignored_for_shares(world, survey):
    for query in ({"per": "10000"}, {}):
        data = chart_data(world.client("ledamot").get(detail_url(world, survey, **query)))
        assert data["kommun"]["values"] == [21.5, 19.0] and data["unit"] == "procent"
        assert data["compare_unit"] is None


# --- downloads -----------------------------------------------------------------------------------------


def test_csv_download_reads_back(world, survey):
    response = world.client("ledamot").get(detail_url(world, survey, "csv/"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "Period",
        "Malå (procent)",
        "Konfidensintervall, undre",
        "Konfidensintervall, övre",
        "Västerbottens län",
        "Riket",
    ]
    assert rows[1:] == [
        ["2023", "21,5", "17,2", "25,8", "17,5", "16,25"],
        ["2024", "19", "15,1", "22,9", "17,5", "16,25"],
    ]


def test_xlsx_download_reads_back_and_guards_formulas(world):
    indicator = monthly_count(name='=HYPERLINK("http://example.org")')
    point(indicator, dt.date(2024, 1, 1), 7)
    response = world.client("ledamot").get(detail_url(world, indicator, "xlsx/", per="antal"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.startswith("'=HYPERLINK")
    assert [c.value for c in sheet[3]] == ["Period", "Malå (antal)"]
    assert [c.value for c in sheet[4]] == ["2024-01", 7]


def test_downloads_are_404_for_outsiders(world, counts):
    client = world.client("outsider")
    assert client.get(detail_url(world, counts, "csv/")).status_code == 404
    assert client.get(detail_url(world, counts, "xlsx/")).status_code == 404


def test_latest_is_the_last_month_of_the_covered_range_not_the_last_point(world):
    # Before: the latest was the last stored point (2025-12 = 1) while the series ran to 2026-07.
    indicator = monthly_count(covered_from=dt.date(2025, 1, 1), covered_to=dt.date(2026, 7, 31))
    point(indicator, dt.date(2025, 7, 1), 4)
    point(indicator, dt.date(2025, 12, 1), 1)
    row = kommun_overview(kommun=Kommun.objects.get(pk=MALA))[0].rows[0]
    assert row.period == dt.date(2026, 7, 1) and row.period_label == "2026-07"
    assert row.value == 0
    assert row.vs_previous is not None and row.vs_previous.earlier == 0  # 2026-06: a month without events
    assert row.vs_last_year is not None and row.vs_last_year.earlier == 4  # 2025-07
    body = world.client("ledamot").get(overview_url(world)).content.decode()
    assert "2026-07" in body and "2025-12" not in body


def test_latest_of_a_count_without_a_covered_range_is_its_last_point(world):
    indicator = monthly_count()
    point(indicator, dt.date(2025, 12, 1), 1)
    row = kommun_overview(kommun=Kommun.objects.get(pk=MALA))[0].rows[0]
    assert row.period == dt.date(2025, 12, 1) and row.value == 1


def test_money_is_shown_with_a_thousands_space(world):
    # Before: a kommun's cost series read "55800".
    indicator = Indicator.objects.create(
        code="test.kostnad", name="Kostnad för skadegörelse", unit="kr", source="Kommunen"
    )
    point(indicator, dt.date(2024, 1, 1), "43250")
    point(indicator, dt.date(2024, 2, 1), "55800")
    overview = world.client("ledamot").get(overview_url(world)).content.decode()
    assert "55\u202f800" in overview and "55800" not in overview
    assert "+12\u202f550" in overview  # the change from the month before
    detail = world.client("ledamot").get(detail_url(world, indicator)).content.decode()
    assert '<td class="num">43\u202f250</td>' in detail and "Senaste värdet är 55\u202f800." in detail
    # Downloads stay plain numbers for the spreadsheet.
    csv_text = world.client("ledamot").get(detail_url(world, indicator, "csv/")).content.decode("utf-8-sig")
    assert "2024-02;55800" in csv_text
