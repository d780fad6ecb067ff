"""factory-boy factories for the statistics models (indicators, their data points, import runs)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import factory
from django.utils import timezone

from samverkan.indicators.models import DataPoint, ImportRun, Indicator

MALA = "2418"


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A monthly indicator at kommun level (the model's defaults); pass what the test is about."""

    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"test.indikator{n}")
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "antal"
    source = "Testkälla"


class CountFactory(IndicatorFactory):
    """A count where lower is better: a period within the covered time without a point is zero."""

    is_count = True
    better = Indicator.Better.LOWER


class DataPointFactory(factory.django.DjangoModelFactory):
    """A value of Malå's unless told otherwise (``kommun_id=None`` for riket, ``lan_id`` for a län)."""

    class Meta:
        model = DataPoint

    indicator = factory.SubFactory(IndicatorFactory)
    kommun_id = MALA
    period_start = dt.date(2024, 1, 1)
    value = Decimal(1)


class ImportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRun

    kind = ImportRun.Kind.TABLE
    file_name = factory.Sequence(lambda n: f"fil{n}.csv")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    started_at = factory.LazyFunction(timezone.now)


def police_jsonl(*ids: int) -> bytes:
    """Police events in JSON Lines, one per id, shaped as the police API answers."""
    return "".join(
        json.dumps(
            {
                "id": pid,
                "datetime": "2024-01-05 9:03:00 +01:00",
                "name": "05 januari 09.03, Skadegörelse, Malå",
                "summary": "Krossad ruta.",
                "url": f"/aktuellt/handelser/2024/januari/5/{pid}/",
                "type": "Skadegörelse",
                "location": {"name": "Malå", "gps": "65.18,18.74"},
            },
            ensure_ascii=False,
        )
        + "\n"
        for pid in ids
    ).encode()
