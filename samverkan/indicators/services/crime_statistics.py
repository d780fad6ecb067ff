"""The police's registered crime per kommun, DeSO and month, the crime-code key, and the monthly indicators
"polisen.brott" and "polisen.brott.<area>" computed from them per kommun and per DeSO."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from samverkan.indicators.bulk import insert_rows, update_rows
from samverkan.indicators.defaults import (
    CRIMES,
    area_for_question,
    crime_indicator_specs,
    ensure_indicators,
)
from samverkan.indicators.models import CrimeCode, DataPoint, ImportRun, Indicator, RegisteredCrime
from samverkan.indicators.revision import DATA_POINTS, bump_data_revision
from samverkan.indicators.services.table_runs import (
    ImportContext,
    deso_code_of,
    ensure_bare_desos,
)
from samverkan.indicators.tables import parse_count, parse_month

CODE_LENGTH = 10  # CrimeCode.code / RegisteredCrime.crime_code
CrimeKey = tuple[str | None, dt.date, str]  # DeSO, month, crime code (within one kommun)


def import_crime_codes_rows(context: ImportContext) -> None:
    """The crime-code key: new codes get the lägesbild area of their question area; a re-import updates text,
    hierarchy and question area but never the area code (admins edit it). Then the indicators follow."""
    held = {
        code: (text, hierarchy, question)
        for code, text, hierarchy, question in CrimeCode.objects.values_list(
            "code", "text", "hierarchy", "question_area"
        )
    }
    seen: dict[str, int] = {}
    to_create: list[CrimeCode] = []
    to_update: list[CrimeCode] = []
    for row in context.rows():
        code = row.required("brottskod")
        if code.endswith(".0"):
            code = code[:-2]
        text = row.required("brottskod_text")
        if len(code) > CODE_LENGTH:
            row.error("brottskod", _("Brottskoden är längre än %(n)d tecken.") % {"n": CODE_LENGTH})
        if code in seen:
            row.error("brottskod", _("Brottskoden finns redan på rad %(line)d.") % {"line": seen[code]})
        if not row.ok:
            continue
        seen[code] = row.line
        hierarchy = [level for i in range(1, 6) if (level := row.text(f"niva{i}"))]
        question = row.text("fragaomrade")[:200]
        previous = held.get(code)
        if previous is None:
            context.counts["imported"] += 1
            to_create.append(
                CrimeCode(
                    code=code,
                    text=text,
                    hierarchy=hierarchy,
                    question_area=question,
                    area_code=area_for_question(question),
                )
            )
        elif previous == (text, hierarchy, question):
            context.counts["unchanged"] += 1
        else:
            context.counts["updated"] += 1
            to_update.append(CrimeCode(code=code, text=text, hierarchy=hierarchy, question_area=question))
    context.raise_errors()
    CrimeCode.objects.bulk_create(to_create, batch_size=500)
    CrimeCode.objects.bulk_update(to_update, ["text", "hierarchy", "question_area"], batch_size=500)
    crime_indicators_recompute(import_run=context.run)


def import_crime_rows(context: ImportContext) -> None:
    """Registered crimes: every row of the (kommun, month) pairs the file covers is replaced by the file's.

    A DeSO code not held yet becomes a bare DeSO row (no boundary) and its rows are flagged.
    """
    places = context.places
    rows_of: dict[str, dict[CrimeKey, tuple[int, int]]] = defaultdict(dict)  # kommun → key → (count, line)
    new_areas: dict[str, tuple[str, str]] = {}
    deso_lines: dict[str, list[int]] = defaultdict(list)
    kommun_cache: dict[str, str] = {}
    for row in context.rows():
        kommun_text = row.text("kommunkod")
        kommun = kommun_cache.get(kommun_text)
        if kommun is None:
            kommun = row.value("kommunkod", places.kommun)
            if kommun is not None:
                kommun_cache[kommun_text] = kommun
        month = row.value("inskr_armanad", parse_month)
        code = row.required("brottskod")
        if code.endswith(".0"):
            code = code[:-2]
        if len(code) > CODE_LENGTH:
            row.error("brottskod", _("Brottskoden är längre än %(n)d tecken.") % {"n": CODE_LENGTH})
        count = row.value("antal_brott", parse_count)
        deso = deso_code_of(row, "desokod", kommun) if row.text("desokod") else None
        if not row.ok or kommun is None or month is None:
            continue
        if count is None:
            context.skip(row.line, _("Antalet brott saknas."))
            continue
        key = (deso, month, code)
        earlier = rows_of[kommun].get(key)
        if earlier is not None:
            row.error(
                "brottskod",
                _("Samma DeSO, månad och brottskod finns redan på rad %(line)d.") % {"line": earlier[1]},
            )
            continue
        rows_of[kommun][key] = (count, row.line)
        if deso is not None:
            new_areas.setdefault(deso, (kommun, row.text("regso_namn")))
            deso_lines[deso].append(row.line)
    context.raise_errors()

    ensure_bare_desos(context, new_areas, deso_lines)
    run_id = context.run.pk
    removed = 0
    for kommun, rows in rows_of.items():
        months = sorted({month for _deso, month, _code in rows})
        held = RegisteredCrime.objects.filter(kommun_id=kommun, month__in=months)
        old: dict[CrimeKey, int] = {
            (d, m, c): n for d, m, c, n in held.values_list("deso_id", "month", "crime_code", "count")
        }
        for key, (count, _line) in rows.items():
            previous = old.pop(key, None)
            outcome = "imported" if previous is None else "unchanged" if previous == count else "updated"
            context.counts[outcome] += 1
        removed += len(old)
        held.delete()
        insert_rows(
            RegisteredCrime,
            ["kommun", "deso", "month", "crime_code", "count", "import_run"],
            [(kommun, d, m, c, n, run_id) for (d, m, c), (n, _line) in rows.items()],
        )
    context.counts["removed"] += removed
    crime_indicators_recompute(kommuner=set(rows_of), import_run=context.run)


@transaction.atomic
def crime_indicators_recompute(
    *, kommuner: Iterable[str] | None = None, import_run: ImportRun | None = None
) -> int:
    """Recount "polisen.brott" and "polisen.brott.<area>" per kommun and per DeSO and month (None = all kommuner).

    Only areas and months with crimes get a data point (the indicators are counts: inside the covered
    range a missing month is zero). Returns the number of data points created, changed or removed.
    """
    indicators = ensure_indicators(crime_indicator_specs())
    total_id = indicators[CRIMES].pk
    area_ids = {code.rsplit(".", 1)[1]: ind.pk for code, ind in indicators.items() if code != CRIMES}
    indicator_of_code = {
        code: area_ids[area]
        for code, area in CrimeCode.objects.exclude(area_code="").values_list("code", "area_code")
        if area in area_ids
    }
    kommun_set = None if kommuner is None else set(kommuner)
    if kommun_set is not None and not kommun_set:
        return 0

    crimes = RegisteredCrime.objects.all()
    points = DataPoint.objects.filter(indicator_id__in=[total_id, *area_ids.values()])
    if kommun_set is not None:
        crimes = crimes.filter(kommun_id__in=sorted(kommun_set))
        points = points.filter(kommun_id__in=sorted(kommun_set))
    counts: dict[tuple[int, str, str | None, dt.date], int] = defaultdict(int)
    for kommun_id, deso_id, month, crime_code, n in crimes.values_list(
        "kommun_id", "deso_id", "month", "crime_code", "count"
    ).iterator(chunk_size=10000):
        area_indicator = indicator_of_code.get(crime_code)
        for indicator_id in (total_id, area_indicator) if area_indicator else (total_id,):
            counts[(indicator_id, kommun_id, None, month)] += n
            if deso_id is not None:
                counts[(indicator_id, kommun_id, deso_id, month)] += n

    to_update: list[tuple[Any, ...]] = []
    to_delete: list[int] = []
    run_id = import_run.pk if import_run is not None else None
    for pk, indicator_id, kommun_id, deso_id, start, value in points.values_list(
        "pk", "indicator_id", "kommun_id", "deso_id", "period_start", "value"
    ).iterator(chunk_size=10000):
        new = counts.pop((indicator_id, kommun_id, deso_id, start), None)
        if new is None:
            to_delete.append(pk)
        elif value != new:
            to_update.append((Decimal(new), run_id, pk))
    to_create = [(i, k, d, m, Decimal(n), run_id) for (i, k, d, m), n in counts.items()]
    for first in range(0, len(to_delete), 2000):
        DataPoint.objects.filter(pk__in=to_delete[first : first + 2000]).delete()
    insert_rows(DataPoint, ["indicator", "kommun", "deso", "period_start", "value", "import_run"], to_create)
    update_rows(DataPoint, ["value", "import_run"], to_update)
    if to_create or to_update or to_delete:
        bump_data_revision(DATA_POINTS)

    span = RegisteredCrime.objects.aggregate(first=Min("month"), last=Max("month"))
    Indicator.objects.filter(pk__in=[i.pk for i in indicators.values()]).update(
        covered_from=span["first"], covered_to=span["last"]
    )
    return len(to_create) + len(to_update) + len(to_delete)
