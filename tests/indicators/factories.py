"""factory-boy factories for the statistics models (indicators, their data points, import runs)."""

from __future__ import annotations

import datetime as dt
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
