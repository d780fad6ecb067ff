"""Importing police events: validation, idempotence, updates, duplicates, counts and indicators."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from samverkan.core.models import AuditEntry, Kommun
from samverkan.indicators.defaults import POLICE_EVENTS, police_area_indicator_code
from samverkan.indicators.models import DataPoint, ImportRun, Indicator, PoliceEvent, PoliceEventTypeMapping
from samverkan.indicators.selectors import kommun_series, rate_per_10000
from samverkan.indicators.services import (
    DuplicateImportError,
    ImportFileError,
    import_police_events,
    police_indicators_recompute,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def event(pid: int, **changes):
    data = {
        "id": pid,
        "datetime": "2024-01-05 9:03:00 +01:00",
        "name": "05 januari 09.03, Trafikolycka, Malå",
        "summary": "Två bilar har kolliderat.",
        "url": f"/aktuellt/handelser/2024/januari/5/{pid}/",
        "type": "Trafikolycka",
        "location": {"name": "Malå", "gps": "65.23696,18.72629"},
    }
    data.update(changes)
    return data


def jsonl(*records) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def run_import(data: bytes, name="handelser.jsonl", **kwargs) -> ImportRun:
    return import_police_events(io.BytesIO(data), file_name=name, **kwargs)


def assert_adds_up(run: ImportRun) -> None:
    c = run.counts
    assert c["imported"] + c["updated"] + c["unchanged"] + c["skipped"] == c["lines"]


def test_import_stores_events_with_quirks_resolved():
    user = UserFactory()
    run = run_import(
        jsonl(
            event(1),
            event(2, location={"name": "Västerbottens län", "gps": "65.3,17.5"}),
            event(
                3,
                name="05 januari, Sammanfattning natt, Dalarnas län",
                type="Sammanfattning natt",
                location={"name": "Dalarnas län", "gps": "61.0,14.5"},
            ),
        ),
        acting_user=user,
    )
    assert run.counts["imported"] == 3 and run.by_user == user and run.finished_at
    assert_adds_up(run)
    first = PoliceEvent.objects.get(pk=1)
    assert first.datetime == dt.datetime(2024, 1, 5, 8, 3, tzinfo=dt.UTC)
    assert first.month == dt.date(2024, 1, 1)
    assert first.url == "https://polisen.se/aktuellt/handelser/2024/januari/5/1/"
    assert (first.kommun_id, first.lan_id, first.matched_by) == ("2418", "24", "location")
    assert (first.latitude, first.longitude) == (65.23696, 18.72629)
    second = PoliceEvent.objects.get(pk=2)
    assert (second.kommun_id, second.lan_id, second.matched_by) == ("2418", "24", "name")
    third = PoliceEvent.objects.get(pk=3)
    assert (third.kommun_id, third.lan_id, third.matched_by) == (None, "20", "lan_only")
    assert AuditEntry.objects.filter(target_type="indicators.importrun", target_id=str(run.pk)).exists()


@pytest.mark.parametrize("shape", ["jsonl", "array", "jsonl.gz", "array.gz"])
def test_gzip_plain_array_and_jsonl_import_alike(shape):
    records = [event(10), event(11, location={"name": "Dals-ed", "gps": ""})]
    data = jsonl(*records) if shape.startswith("jsonl") else json.dumps(records, indent=2).encode()
    if shape.endswith(".gz"):
        data = gzip.compress(data)
    run = run_import(data, name="fil.txt")
    assert run.counts["lines"] == 2 and run.counts["imported"] == 2
    assert PoliceEvent.objects.get(pk=11).kommun_id == "1438"
    assert PoliceEvent.objects.get(pk=11).latitude is None


def test_path_source_works(tmp_path):
    path = tmp_path / "h.jsonl"
    path.write_bytes(jsonl(event(5)))
    run = import_police_events(path, file_name=path.name)
    assert run.counts["imported"] == 1


def test_invalid_records_are_skipped_with_reason_and_line():
    run = run_import(
        jsonl(
            event(1),
            {k: v for k, v in event(2).items() if k != "id"},
            event(3, datetime="2024-02-30 10:00:00 +01:00"),
            event(4, name=["inte", "text"]),
            event("fem"),
            [1, 2],
            event(6, datetime=None),
            event(7, type="x" * 101),
        )
        + b"{trasig json\n"
    )
    c = run.counts
    assert (c["lines"], c["imported"], c["skipped"]) == (9, 1, 8)
    assert_adds_up(run)
    by_line = {row["line"]: row["reason"] for row in c["skipped_rows"]}
    assert by_line[2] == "Id saknas."
    assert "omöjlig" in by_line[3] and "2024-02-30" in by_line[3]
    assert "name" in by_line[4]
    assert "positivt heltal" in by_line[5]
    assert by_line[6] == "Posten är inte ett JSON-objekt."
    assert by_line[7] == "Tidpunkt saknas."
    assert "längre än 100" in by_line[8]
    assert by_line[9] == "Raden är inte giltig JSON."
    assert sum(c["skipped_reasons"].values()) == 8
    assert list(PoliceEvent.objects.values_list("pk", flat=True)) == [1]


def test_a_moment_at_the_ends_of_the_calendar_is_a_skipped_row_not_an_aborted_import():
    run = run_import(
        jsonl(
            event(1),
            event(2, datetime="0001-01-01 00:30:00 +01:00"),  # before the first moment in UTC
            event(3, datetime="9999-12-31 23:30:00 -01:00"),  # after the last
            event(4, datetime="0001-01-01T00:30:00+01:00"),  # the full parser's shapes too
            event(5, datetime="9999-12-31 23:30"),
        )
    )
    c = run.counts
    assert (c["lines"], c["imported"], c["skipped"]) == (5, 1, 4)
    by_line = {row["line"]: row["reason"] for row in c["skipped_rows"]}
    assert all("omöjlig" in by_line[line] for line in (2, 3, 4, 5))
    assert list(PoliceEvent.objects.values_list("pk", flat=True)) == [1]


def test_unknown_location_is_kept_flagged_and_counted():
    run = run_import(
        jsonl(event(1, name="05 januari, Brand, Atlantis", location={"name": "Atlantis", "gps": ""}))
    )
    assert run.counts["imported"] == 1 and run.counts["flagged"] == 1
    assert run.counts["flagged_rows"] == [
        {"line": 1, "id": 1, "location": "Atlantis", "name": "05 januari, Brand, Atlantis"}
    ]
    stored = PoliceEvent.objects.get(pk=1)
    assert stored.flagged and stored.matched_by == "unknown" and stored.kommun_id is None


# mtime=0 and explicit ids: parameters must be identical in every xdist worker.
@pytest.mark.parametrize(
    "data",
    [b"<html></html>", b'[{"id": 1}, {"id"', b"", gzip.compress(b"x", mtime=0)[:-6]],
    ids=["html", "truncated-json", "empty", "truncated-gzip"],
)
def test_malformed_file_writes_nothing(data):
    with pytest.raises(ImportFileError):
        run_import(data)
    assert not ImportRun.objects.exists() and not PoliceEvent.objects.exists()


def test_unexpected_error_rolls_back_the_whole_file(monkeypatch):
    import samverkan.indicators.services.police_events as module

    def boom(**kwargs):
        raise RuntimeError("oväntat")

    monkeypatch.setattr(module, "police_indicators_recompute", boom)
    with pytest.raises(RuntimeError):
        run_import(jsonl(event(1), event(2)))
    assert not PoliceEvent.objects.exists() and not ImportRun.objects.exists()


def test_reimport_is_unchanged_and_duplicate_file_is_refused():
    data = jsonl(event(1), event(2))
    first = run_import(data)
    with pytest.raises(DuplicateImportError) as error:
        run_import(data, name="igen.jsonl")
    assert "redan importerats" in str(error.value) and error.value.previous == first
    assert ImportRun.objects.count() == 1
    again = run_import(data, allow_duplicate=True)
    assert (again.counts["unchanged"], again.counts["imported"], again.counts["updated"]) == (2, 0, 0)
    # The same events in another shape (array, other bytes) are unchanged too.
    array = run_import(json.dumps([event(2), event(1)]).encode(), name="lista.json")
    assert array.counts["unchanged"] == 2
    assert PoliceEvent.objects.get(pk=1).import_run == first


def test_changed_version_replaces_and_older_version_does_not():
    run_import(jsonl(event(1), event(2)))
    newer = event(
        1,
        datetime="2024-01-05 10:15:00 +01:00",
        summary="Uppdaterad: ingen skadad.",
        location={"name": "Västerbottens län", "gps": "65.3,17.5"},
    )
    run = run_import(jsonl(newer, event(2), event(3)))
    assert (run.counts["updated"], run.counts["unchanged"], run.counts["imported"]) == (1, 1, 1)
    assert_adds_up(run)
    stored = PoliceEvent.objects.get(pk=1)
    assert stored.summary == "Uppdaterad: ingen skadad." and stored.matched_by == "name"
    assert stored.import_run == run
    older = run_import(jsonl(event(1, summary="En gammal version.", datetime="2024-01-05 8:00:00 +01:00")))
    assert (older.counts["unchanged"], older.counts["older_versions"], older.counts["updated"]) == (1, 1, 0)
    assert PoliceEvent.objects.get(pk=1).summary == "Uppdaterad: ingen skadad."


def test_same_id_twice_in_one_file_keeps_the_newer():
    run = run_import(jsonl(event(1), event(1, summary="Ny", datetime="2024-01-05 11:00:00 +01:00"), event(1)))
    assert (run.counts["imported"], run.counts["updated"], run.counts["unchanged"]) == (1, 1, 1)
    assert_adds_up(run)
    assert PoliceEvent.objects.get(pk=1).summary == "Ny"


def test_monthly_indicators_per_kommun_and_area():
    PoliceEventTypeMapping.objects.update_or_create(type="Misshandel", defaults={"area_code": "vald"})
    run = run_import(
        jsonl(
            event(1),
            event(2, type="Misshandel"),
            event(3, type="Misshandel", datetime="2024-02-01 0:30:00 +01:00"),
            event(4, type="Ny typ som ingen sett"),
            event(5, location={"name": "Västerbottens län", "gps": ""}, name="Sammanfattning natt"),
        )
    )
    total = Indicator.objects.get(code=POLICE_EVENTS)
    vald = Indicator.objects.get(code=police_area_indicator_code("vald"))
    assert total.is_count and total.level == "kommun" and total.period_type == "month"
    # The last event is on 1 February, so February is not yet covered in full: the coverage ends in January.
    assert (total.covered_from, total.covered_to) == (dt.date(2024, 1, 1), dt.date(2024, 1, 1))
    points = {
        (p.indicator.code, p.kommun_id, p.period_start): p.value
        for p in DataPoint.objects.select_related("indicator")
    }
    assert points == {
        (POLICE_EVENTS, "2418", dt.date(2024, 1, 1)): Decimal(3),
        (POLICE_EVENTS, "2418", dt.date(2024, 2, 1)): Decimal(1),
        (vald.code, "2418", dt.date(2024, 1, 1)): Decimal(1),
        (vald.code, "2418", dt.date(2024, 2, 1)): Decimal(1),
    }
    assert DataPoint.objects.filter(import_run=run).count() == 4
    # A type never seen before gets a blank mapping an administrator can fill in.
    assert PoliceEventTypeMapping.objects.get(type="Ny typ som ingen sett").area_code == ""
    # Moving an event to another month recounts both months.
    run_import(
        jsonl(event(3, type="Misshandel", datetime="2024-02-01 0:30:00 +01:00", location={"name": "Mora"}))
    )
    assert not DataPoint.objects.filter(kommun_id="2418", period_start=dt.date(2024, 2, 1)).exists()
    assert (
        DataPoint.objects.get(indicator=vald, kommun_id="2062", period_start=dt.date(2024, 2, 1)).value == 1
    )
    # Remapping a type and recounting everything.
    PoliceEventTypeMapping.objects.filter(type="Trafikolycka").update(area_code="ordning")
    police_indicators_recompute()
    ordning = Indicator.objects.get(code=police_area_indicator_code("ordning"))
    assert (
        DataPoint.objects.get(indicator=ordning, kommun_id="2418", period_start=dt.date(2024, 1, 1)).value
        == 1
    )


def test_series_fills_missing_months_with_zero_and_gives_rates():
    run_import(jsonl(event(1), event(2, datetime="2024-03-05 9:03:00 +01:00")))
    mala = Kommun.objects.get(kod="2418")
    series = kommun_series(indicator=Indicator.objects.get(code=POLICE_EVENTS), kommun=mala)
    assert [(p.period_start.month, p.value) for p in series] == [(1, 1), (2, 0), (3, 1)]
    assert series[0].per_10000 == rate_per_10000(1, mala.folkmangd)


def test_rate_per_10000():
    assert rate_per_10000(5, 2959) == Decimal("16.90")
    assert rate_per_10000(5, None) is None
    assert rate_per_10000(None, 1000) is None


def test_command_prints_a_swedish_report(tmp_path):
    path = tmp_path / "h.jsonl"
    path.write_bytes(jsonl(event(1), {"datetime": "2024-01-05 9:03:00 +01:00"}))
    out = io.StringIO()
    call_command("import_police_events", str(path), stdout=out)
    text = out.getvalue()
    assert "Nya:              1" in text and "Hoppade över:     1" in text
    assert "rad 2: Id saknas." in text and "händelser/s" in text
    again = io.StringIO()
    call_command("import_police_events", str(path), stdout=again)
    assert "redan importerats" in again.getvalue()


def test_command_fails_on_a_malformed_or_missing_file(tmp_path):
    path = tmp_path / "trasig.json"
    path.write_bytes(b"<html>")
    with pytest.raises(CommandError, match="varken en JSON-lista"):
        call_command("import_police_events", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="kunde inte öppnas"):
        call_command("import_police_events", str(tmp_path / "saknas.jsonl"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="ingen användare"):
        call_command("import_police_events", str(path), "--user", "ingen@example.org", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("latest", "month"),
    [
        ("2026-08-22 09:48", dt.date(2026, 7, 1)),
        ("2026-08-31 23:10", dt.date(2026, 8, 1)),
        ("2024-02-29 12:00", dt.date(2024, 2, 1)),
        ("2024-01-01 00:30", dt.date(2023, 12, 1)),
    ],
)
def test_coverage_ends_with_the_last_complete_month(latest, month):
    from django.utils import timezone

    from samverkan.indicators.services.indicators import last_complete_month

    when = timezone.make_aware(dt.datetime.fromisoformat(latest))
    assert last_complete_month(when) == month
    assert last_complete_month(None) is None
