"""The indicators API: the catalogue with its filters, data points with provenance, rates and targets,
small DeSO counts suppressed for those who may not see them, and 422s naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from samverkan.core.models import Kommun
from samverkan.indicators.models import DataPoint, Deso, Indicator, Target
from tests.api.conftest import validation_errors
from tests.indicators.factories import ImportRunFactory

MALA, ALVDALEN = "2418", "2039"


@pytest.fixture
def catalogue(world):
    run = ImportRunFactory(
        file_name="bra_anmalda.csv", finished_at=timezone.now(), by_user=world.users["samordnare"]
    )
    Kommun.objects.filter(kod=MALA).update(folkmangd=3000)
    counts = Indicator.objects.create(
        code="test.narkotika",
        name="Anmälda narkotikabrott",
        unit="antal",
        source="Brå, anmälda brott",
        area_code="ant",
        better=Indicator.Better.LOWER,
        level=Indicator.Level.KOMMUN,
        period_type=Indicator.Period.MONTH,
        is_count=True,
    )
    safety = Indicator.objects.create(
        code="test.otrygghet",
        name="Otrygghet ute sent",
        unit="%",
        source="Brå, NTU",
        level=Indicator.Level.LAN,
        period_type=Indicator.Period.YEAR,
    )
    deso = Indicator.objects.create(
        code="test.deso",
        name="Registrerade brott per DeSO",
        unit="antal",
        source="Polisen, registrerade brott",
        area_code="ordning",
        level=Indicator.Level.DESO,
        is_count=True,
    )
    for month in range(1, 13):
        DataPoint.objects.create(
            indicator=counts,
            kommun_id=MALA,
            period_start=dt.date(2024, month, 1),
            value=Decimal(month * 3),
            import_run=run,
        )
    DataPoint.objects.create(
        indicator=counts, kommun_id=ALVDALEN, period_start=dt.date(2024, 1, 1), value=Decimal(7)
    )
    DataPoint.objects.create(
        indicator=safety,
        lan_id="24",
        period_start=dt.date(2024, 1, 1),
        value=Decimal("21.5"),
        ci_low=Decimal("18.1"),
        ci_high=Decimal("24.9"),
        import_run=run,
    )
    mala_deso = Deso.objects.create(code="2418A0010", kommun_id=MALA)
    alvdalen_deso = Deso.objects.create(code="2039A0010", kommun_id=ALVDALEN)
    for area, kommun, value in ((mala_deso, MALA, 3), (alvdalen_deso, ALVDALEN, 2)):
        DataPoint.objects.create(
            indicator=deso, deso=area, kommun_id=kommun, period_start=dt.date(2024, 1, 1), value=value
        )
    DataPoint.objects.create(
        indicator=deso, deso=mala_deso, kommun_id=MALA, period_start=dt.date(2024, 2, 1), value=12
    )
    DataPoint.objects.create(
        indicator=deso, deso=mala_deso, kommun_id=MALA, period_start=dt.date(2024, 3, 1), value=0
    )
    return {"counts": counts, "safety": safety, "deso": deso, "run": run}


def _codes(response):
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


def test_anonymous_gets_401(api, catalogue):
    assert api("anonymous", "get", "/indicators").status_code == 401
    assert api("anonymous", "get", f"/indicators/{catalogue['counts'].pk}?kommun={MALA}").status_code == 401


@pytest.mark.parametrize("persona", ["samordnare", "polis", "ledamot", "lasare", "outsider"])
def test_every_member_reads_the_catalogue(api, catalogue, persona):
    body = api(persona, "get", "/indicators").json()
    assert body["count"] == 3
    item = next(i for i in body["items"] if i["code"] == "test.narkotika")
    assert item == {
        "id": catalogue["counts"].pk,
        "code": "test.narkotika",
        "name": "Anmälda narkotikabrott",
        "description": "",
        "unit": "antal",
        "source": "Brå, anmälda brott",
        "area_code": "ant",
        "better": "lower",
        "level": "kommun",
        "period_type": "month",
        "is_count": True,
        "covered_from": None,
        "covered_to": None,
    }


def test_catalogue_filters(api, catalogue):
    assert _codes(api("lasare", "get", "/indicators?area=ant")) == ["test.narkotika"]
    assert _codes(api("lasare", "get", "/indicators?level=lan")) == ["test.otrygghet"]
    assert _codes(api("lasare", "get", "/indicators?source=ntu")) == ["test.otrygghet"]
    assert _codes(api("lasare", "get", f"/indicators?kommun={MALA}")) == ["test.deso", "test.narkotika"]
    assert _codes(api("lasare", "get", f"/indicators?kommun={MALA}&from=2024-04-01")) == ["test.narkotika"]
    assert _codes(api("lasare", "get", "/indicators?to=2023-12-31")) == []
    page = api("lasare", "get", "/indicators?limit=1&offset=1").json()
    assert page["count"] == 3 and [i["code"] for i in page["items"]] == ["test.narkotika"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kommun=9999", "kommun"),
        ("kommun=abc", "kommun"),
        ("from=2024-13-01", "from"),
        ("to=igår", "to"),
        ("level=planet", "level"),
    ],
)
def test_catalogue_rejects_bad_filters_naming_the_field(api, catalogue, query, field):
    errors = validation_errors(api("lasare", "get", f"/indicators?{query}"))
    assert errors.get(field)


def test_detail_has_points_with_provenance_and_rate(api, catalogue, world):
    response = api("ledamot", "get", f"/indicators/{catalogue['counts'].pk}?kommun={MALA}&from=2024-11-01")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["code"] == "test.narkotika"
    assert [p["period_start"] for p in body["data_points"]] == ["2024-11-01", "2024-12-01"]
    november = body["data_points"][0]
    assert Decimal(november["value"]) == 33
    assert Decimal(november["per_10000"]) == Decimal("110.00")  # 33 of 3,000 inhabitants
    assert november["kommun"] == MALA and november["deso"] is None and november["suppressed"] is False
    assert november["import"]["id"] == catalogue["run"].pk
    assert november["import"]["file_name"] == "bra_anmalda.csv"
    assert november["import"]["imported_at"]
    assert "import_run" not in november


def test_detail_to_bounds_the_period_and_other_kommuner_stay_out(api, catalogue):
    body = api(
        "lasare", "get", f"/indicators/{catalogue['counts'].pk}?kommun={ALVDALEN}&to=2024-06-30"
    ).json()
    assert [(p["kommun"], Decimal(p["value"])) for p in body["data_points"]] == [(ALVDALEN, 7)]
    assert body["data_points"][0]["import"] is None
    assert body["data_points"][0]["per_10000"] is None or Decimal(body["data_points"][0]["per_10000"]) > 0


def test_kommun_level_detail_needs_kommun_or_lan(api, catalogue):
    errors = validation_errors(api("lasare", "get", f"/indicators/{catalogue['counts'].pk}"))
    assert "kommun" in errors
    by_lan = api("lasare", "get", f"/indicators/{catalogue['counts'].pk}?lan=24").json()
    assert {p["kommun"] for p in by_lan["data_points"]} == {MALA}  # Malå is in Västerbotten (24)


def test_lan_level_detail_keeps_confidence_intervals(api, catalogue):
    body = api("lasare", "get", f"/indicators/{catalogue['safety'].pk}").json()
    (point,) = body["data_points"]
    assert point["lan"] == "24" and point["kommun"] is None
    assert (Decimal(point["ci_low"]), Decimal(point["value"]), Decimal(point["ci_high"])) == (
        Decimal("18.1"),
        Decimal("21.5"),
        Decimal("24.9"),
    )
    assert point["per_10000"] is None  # not a count


@pytest.mark.parametrize(
    ("query", "field"),
    [("kommun=0000", "kommun"), ("lan=99", "lan"), ("from=2024-02-30", "from"), ("to=x", "to")],
)
def test_detail_rejects_bad_query_naming_the_field(api, catalogue, query, field):
    errors = validation_errors(api("lasare", "get", f"/indicators/{catalogue['counts'].pk}?{query}"))
    assert field in errors


def test_unknown_indicator_is_404(api, catalogue):
    assert api("lasare", "get", "/indicators/999999?kommun=2418").status_code == 404


def _deso_points(api, persona, indicator, kommun):
    response = api(persona, "get", f"/indicators/{indicator.pk}?kommun={kommun}")
    assert response.status_code == 200, response.content
    return {p["period_start"]: p for p in response.json()["data_points"]}


@pytest.mark.parametrize(
    ("persona", "sees_small"),
    [("samordnare", True), ("polis", True), ("ledamot", False), ("lasare", False), ("outsider", False)],
)
def test_small_deso_counts_are_suppressed_outside_the_begransad_view(api, catalogue, persona, sees_small):
    points = _deso_points(api, persona, catalogue["deso"], MALA)
    small, large, zero = points["2024-01-01"], points["2024-02-01"], points["2024-03-01"]
    assert small["deso"] == "2418A0010"
    if sees_small:
        assert Decimal(small["value"]) == 3 and small["suppressed"] is False
    else:
        assert small["value"] is None and small["suppressed"] is True
    assert Decimal(large["value"]) == 12 and large["suppressed"] is False  # at or above the threshold
    assert Decimal(zero["value"]) == 0 and zero["suppressed"] is False  # nobody can be singled out by none


def test_samordnare_sees_small_counts_only_in_own_collaborations_kommuner(api, catalogue):
    own = _deso_points(api, "outsider", catalogue["deso"], ALVDALEN)["2024-01-01"]
    assert Decimal(own["value"]) == 2 and own["suppressed"] is False  # samordnare of B (Älvdalen)
    other = _deso_points(api, "samordnare", catalogue["deso"], ALVDALEN)["2024-01-01"]
    assert other["value"] is None and other["suppressed"] is True


def test_threshold_comes_from_settings(api, catalogue, settings):
    settings.SAMVERKAN_SMALL_COUNT_THRESHOLD = 2
    point = _deso_points(api, "lasare", catalogue["deso"], MALA)["2024-01-01"]
    assert Decimal(point["value"]) == 3 and point["suppressed"] is False


def test_targets_that_apply_to_the_kommun(api, catalogue, world):
    indicator = catalogue["counts"]
    national = Target.objects.create(indicator=indicator, value=20, label="Riket")
    mine = Target.objects.create(
        indicator=indicator, kommun_id=MALA, collaboration=world.a, value=10, per_10000=True, label="Malå"
    )
    Target.objects.create(indicator=indicator, kommun_id=ALVDALEN, value=5, label="Älvdalen")
    theirs = Target.objects.create(
        indicator=indicator, kommun_id=MALA, collaboration=world.b, value=1, label="B:s"
    )
    body = api("ledamot", "get", f"/indicators/{indicator.pk}?kommun={MALA}").json()
    assert [t["id"] for t in body["targets"]] == [national.pk, mine.pk]
    target = body["targets"][1]
    assert target["per_10000"] is True and target["kommun"] == MALA and target["collaboration"] == world.a.pk
    outsider = api("outsider", "get", f"/indicators/{indicator.pk}?kommun={MALA}").json()
    assert [t["id"] for t in outsider["targets"]] == [national.pk, theirs.pk]  # B's own, not A's


def test_indicators_do_not_change_through_the_api(api, catalogue):
    assert api("samordnare", "post", "/indicators", {"code": "x"}).status_code == 405
    assert api("samordnare", "delete", f"/indicators/{catalogue['counts'].pk}").status_code == 405
