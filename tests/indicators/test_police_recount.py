"""The set-based recount of the police count indicators equals the per-row recount it replaced.

The oracle below is the former ``police_indicators_recompute`` body (Python counting, per-row compare),
kept here so the SQL version is checked against it on a varied sample: mapped, unmapped, blank-mapped and
unknown types; events without a kommun; stale, changed and equal data points; months outside the scope;
another indicator's points that must stay as they are.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone

from samverkan.core.models import Kommun
from samverkan.indicators.defaults import POLICE_EVENTS, ensure_police_indicators, ensure_type_mappings
from samverkan.indicators.models import DataPoint, ImportRun, Indicator, PoliceEvent, PoliceEventTypeMapping
from samverkan.indicators.services import police_indicators_recompute

pytestmark = pytest.mark.django_db

MONTHS = [dt.date(2024, m, 1) for m in range(1, 7)]
TYPES = ["Misshandel", "Stöld", "Trafikolycka", "Brand", "Okänd typ", "Blank typ"]


def oracle_counts(months: set[dt.date] | None) -> dict[tuple[int, str, dt.date], int]:
    """What the former per-row recount computed: every (indicator, kommun, month) with its count."""
    indicators = ensure_police_indicators()
    mapping = ensure_type_mappings()
    total_id = indicators[POLICE_EVENTS].pk
    area_ids = {code.rsplit(".", 1)[1]: ind.pk for code, ind in indicators.items() if code != POLICE_EVENTS}
    indicator_of_type = {t: area_ids.get(a) for t, a in mapping.items()}
    counts: dict[tuple[int, str, dt.date], int] = defaultdict(int)
    for event in PoliceEvent.objects.filter(kommun__isnull=False):
        if months is not None and event.month not in months:
            continue
        counts[(total_id, event.kommun_id, event.month)] += 1
        area_indicator = indicator_of_type.get(event.type)
        if area_indicator is not None:
            counts[(area_indicator, event.kommun_id, event.month)] += 1
    return counts


def oracle_expected(months: set[dt.date] | None, run_id: int | None) -> tuple[dict, int]:
    """The data points after the former recount, and the number it reported as changed."""
    indicators = ensure_police_indicators()
    police_ids = {i.pk for i in indicators.values()}
    counts = oracle_counts(months)
    expected = {}
    changed = 0
    for p in DataPoint.objects.all():
        key = (p.indicator_id, p.kommun_id, p.lan_id, p.period_start)
        in_scope = (
            p.indicator_id in police_ids
            and p.kommun_id is not None
            and (months is None or p.period_start in months)
        )
        if not in_scope:
            expected[key] = (p.value, p.import_run_id)
            continue
        new = counts.pop((p.indicator_id, p.kommun_id, p.period_start), None)
        if new is None:
            changed += 1
        elif p.value != new:
            changed += 1
            expected[key] = (Decimal(new), run_id)
        else:
            expected[key] = (p.value, p.import_run_id)
    for (indicator_id, kommun_id, month), n in counts.items():
        changed += 1
        expected[(indicator_id, kommun_id, None, month)] = (Decimal(n), run_id)
    return expected, changed


def actual() -> dict:
    return {
        (p.indicator_id, p.kommun_id, p.lan_id, p.period_start): (p.value, p.import_run_id)
        for p in DataPoint.objects.all()
    }


def make_run(name: str) -> ImportRun:
    return ImportRun.objects.create(
        kind=ImportRun.Kind.POLICE_EVENTS, file_name=name, sha256=name, started_at=timezone.now()
    )


def varied_sample(seed: int) -> ImportRun:
    """Events and data points in every state the recount meets."""
    rng = random.Random(seed)
    old_run = make_run(f"old-{seed}")
    PoliceEventTypeMapping.objects.update_or_create(type="Misshandel", defaults={"area_code": "vald"})
    PoliceEventTypeMapping.objects.update_or_create(type="Stöld", defaults={"area_code": "ordning"})
    PoliceEventTypeMapping.objects.update_or_create(type="Blank typ", defaults={"area_code": ""})
    kommuner = list(Kommun.objects.order_by("kod").values_list("kod", flat=True)[:8])
    events = []
    for pid in range(1, 400):
        month = rng.choice(MONTHS)
        kommun = rng.choice([*kommuner, None])
        events.append(
            PoliceEvent(
                police_id=pid,
                datetime=dt.datetime.combine(month, dt.time(12), tzinfo=dt.UTC) + dt.timedelta(days=3),
                month=month,
                name=f"Händelse {pid}",
                type=rng.choice(TYPES),
                kommun_id=kommun,
                matched_by="kommun" if kommun else "",
                flagged=kommun is None,
                import_run=old_run,
                content_hash=str(pid),
            )
        )
    PoliceEvent.objects.bulk_create(events)
    indicators = ensure_police_indicators()
    # Existing points: true counts, wrong counts and points for kommun-months without any event.
    police_indicator_ids = [i.pk for i in indicators.values()]
    other = Indicator.objects.exclude(pk__in=police_indicator_ids).first() or Indicator.objects.create(
        code="annan.indikator", name="Annan", unit="st", level="kommun", period_type="month"
    )
    truth = oracle_counts(None)
    points = []
    for (indicator_id, kommun_id, month), n in truth.items():
        roll = rng.random()
        if roll < 0.4:
            points.append((indicator_id, kommun_id, month, Decimal(n)))
        elif roll < 0.7:
            points.append((indicator_id, kommun_id, month, Decimal(n + rng.randint(1, 3))))
    for _ in range(30):
        points.append(
            (
                rng.choice(police_indicator_ids),
                rng.choice(kommuner),
                rng.choice(MONTHS),
                Decimal(rng.randint(1, 9)),
            )
        )
    for kommun in kommuner[:3]:
        points.append((other.pk, kommun, MONTHS[0], Decimal(42)))
    unique = {(i, k, m): v for i, k, m, v in points}
    DataPoint.objects.bulk_create(
        DataPoint(indicator_id=i, kommun_id=k, period_start=m, value=v, import_run=old_run)
        for (i, k, m), v in unique.items()
    )
    # A län-level point of a police indicator is out of scope (no kommun) and stays.
    DataPoint.objects.create(
        indicator=indicators[POLICE_EVENTS], lan_id="24", period_start=MONTHS[0], value=Decimal(7)
    )
    return make_run(f"new-{seed}")


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("scope", ["all", "some months"])
def test_set_based_recount_equals_the_per_row_recount(seed, scope):
    run = varied_sample(seed)
    months = None if scope == "all" else {MONTHS[1], MONTHS[4], dt.date(2030, 1, 1)}
    expected, expected_changed = oracle_expected(months, run.pk)
    assert expected_changed  # the sample has something to change
    changed = police_indicators_recompute(months=months, import_run=run)
    assert actual() == expected
    assert changed == expected_changed
    # A second recount finds nothing to change.
    assert police_indicators_recompute(months=months, import_run=run) == 0


def test_recount_of_no_months_changes_nothing():
    varied_sample(4)
    before = actual()
    assert police_indicators_recompute(months=[]) == 0
    assert actual() == before


def test_recount_without_area_indicators_counts_the_total():
    """With no area indicator the per-area half of the statement had an empty CASE and ``IN ()``, which
    no database accepts; the total alone must still be counted."""
    from samverkan.indicators.services.indicators import _recount_in_sql

    run = varied_sample(5)
    total_id = ensure_police_indicators()[POLICE_EVENTS].pk
    DataPoint.objects.filter(indicator_id=total_id).delete()
    _recount_in_sql(total_id, {}, None, run.pk)
    counted = {
        (k, m): int(v)
        for k, m, v in DataPoint.objects.filter(indicator_id=total_id, kommun__isnull=False).values_list(
            "kommun_id", "period_start", "value"
        )
    }
    expected = {(k, m): n for (i, k, m), n in oracle_counts(None).items() if i == total_id}
    assert counted == expected


def _event(pid: int, when: str, kommun: str, type_: str) -> dict:
    return {
        "id": pid,
        "datetime": when,
        "name": f"{when[:10]}, {type_}, {kommun}",
        "summary": "",
        "url": f"/aktuellt/handelser/{pid}/",
        "type": type_,
        "location": {"name": kommun, "gps": ""},
    }


def _import(events: list[dict], name: str) -> ImportRun:
    from samverkan.indicators.services import import_police_events

    data = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events).encode()
    return import_police_events(io.BytesIO(data), file_name=name, allow_duplicate=True)


def _police_points() -> dict:
    ids = {i.pk for i in ensure_police_indicators().values()}
    return {key: value for key, (value, _run) in actual().items() if key[0] in ids}


def test_counts_made_while_importing_equal_a_recount_from_the_events():
    """A first import counts the months it alone wrote as it writes them; a later import into some of
    those months, an update that moves an event to another month, a line repeated with a newer version,
    and events placed only in a län must leave the same points as counting every event afresh."""
    PoliceEventTypeMapping.objects.update_or_create(type="Misshandel", defaults={"area_code": "vald"})
    PoliceEventTypeMapping.objects.update_or_create(type="Stöld", defaults={"area_code": "ordning"})
    rng = random.Random(7)
    kommuner = ["Malå", "Mora", "Älvdalen", "Dalarnas län"]
    first = [
        _event(
            pid,
            f"2024-0{rng.randint(1, 6)}-{rng.randint(1, 28):02d} {rng.randint(0, 23)}:0{rng.randint(0, 9)}:00 +01:00",
            rng.choice(kommuner),
            rng.choice(TYPES),
        )
        for pid in range(1, 200)
    ]
    first[4] = _event(5, "2024-03-10 10:00:00 +01:00", "Malå", "Stöld")
    # The same event again further down, newer, in another month, kommun and type.
    first.append(_event(5, "2024-07-02 10:00:00 +02:00", "Mora", "Misshandel"))
    _import(first, "first.jsonl")
    assert police_indicators_recompute() == 0
    assert _police_points()

    later = [
        _event(1000, "2024-03-15 12:00:00 +01:00", "Malå", "Stöld"),  # a month that held events
        _event(1001, "2024-09-15 12:00:00 +02:00", "Mora", "Brand"),  # a new month
        _event(10, "2024-10-01 08:00:00 +02:00", "Älvdalen", "Misshandel"),  # moved to a new month
    ]
    _import(later, "later.jsonl")
    points = _police_points()
    assert police_indicators_recompute() == 0
    assert _police_points() == points
