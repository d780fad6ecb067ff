"""Indicators: the catalogue and its data points with provenance, rates and targets.

Indicators are public open data, so every authenticated user reads every indicator. The one exception is
small counts below the kommun: a DeSO's count under ``SAMVERKAN_SMALL_COUNT_THRESHOLD`` could single out
a person, so it is returned without its value (``suppressed``) unless the user sees exact locations
(``permissions.can_see_exact_locations``: polis or samordnare) in a collaboration covering that kommun.
"""

# No ``from __future__ import annotations``: ninja builds the query schema from the annotations, and cannot
# resolve a string such as "Annotated[Search | None, Query(...)]" there.

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from ninja import Field, Query, Schema
from ninja.pagination import paginate

from samverkan.core import selectors as core_selectors
from samverkan.core.apikit import (
    FILTER_YEARS,
    ContractRouter,
    Id,
    Pagination,
    Search,
    check_years,
    query_error,
)
from samverkan.indicators import selectors
from samverkan.indicators.models import Indicator

# --- Schemas -------------------------------------------------------------------------------------------


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    description: str
    unit: str
    source: str
    area_code: str = Field(..., description="Lägesbildens område (tomt om indikatorn inte hör till något).")
    better: str = Field(..., description="higher, lower eller none: vilket håll som är bättre.")
    level: str = Field(..., description="deso, kommun, polisomrade, lan eller riket.")
    period_type: str = Field(..., description="month, quarter eller year.")
    is_count: bool = Field(
        ..., description="Ett antal: en period inom täckt tid utan datapunkt betyder noll."
    )
    covered_from: dt.date | None = None
    covered_to: dt.date | None = None


class ImportRefOut(Schema):
    """Where a data point came from: the import run, its file and when it was read."""

    id: int
    file_name: str
    imported_at: dt.datetime


class DataPointOut(Schema):
    period_start: dt.date
    value: Decimal | None = Field(
        ..., description="Tomt när värdet är ett litet antal på DeSO-nivå som du inte får se (suppressed)."
    )
    per_10000: Decimal | None = Field(
        None, description="Per 10 000 invånare (antal på kommunnivå, kommunens folkmängd)."
    )
    ci_low: Decimal | None = None
    ci_high: Decimal | None = None
    kommun: str | None = None
    lan: str | None = None
    deso: str | None = None
    suppressed: bool = Field(
        False, description="Litet antal (under tröskeln) dolt: bara polis och samordnare i kommunen ser det."
    )
    import_run: ImportRefOut | None = Field(
        None, serialization_alias="import", description="Importen som gav värdet (proveniens)."
    )


class TargetOut(Schema):
    id: int
    value: Decimal
    per_10000: bool
    kommun: str | None = None
    collaboration: int | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    label: str


class IndicatorDetailOut(IndicatorOut):
    data_points: list[DataPointOut]
    targets: list[TargetOut] = Field(..., description="Målvärden som gäller för det valda området.")


# --- Endpoints -----------------------------------------------------------------------------------------

router = ContractRouter(tags=["Indikatorer"], operation_ids="samverkan_api_routers_indicators")

# Levels whose data points belong to one kommun: a detail request must name the kommun (or a län).
LOCAL_LEVELS = frozenset({Indicator.Level.KOMMUN, Indicator.Level.DESO})


def _date(value: str | None, field: str) -> dt.date | None:
    """An ISO date or None; anything else is a 422 naming ``field``."""
    if not value:
        return None
    try:
        day = parse_date(value.strip())
    except ValueError:
        day = None
    if day is None:
        raise query_error(field, gettext("Ange ett datum (ÅÅÅÅ-MM-DD)."))
    check_years(day, field, years=FILTER_YEARS)
    return day


def _kommun(value: str | None) -> str | None:
    if not value:
        return None
    kod = value.strip()
    if not core_selectors.kommun_list().filter(kod=kod).exists():
        raise query_error("kommun", gettext("Okänd kommunkod (fyra siffror, t.ex. 2418)."))
    return kod


def _lan(value: str | None) -> str | None:
    if not value:
        return None
    kod = value.strip()
    if not core_selectors.lan_list().filter(kod=kod).exists():
        raise query_error("lan", gettext("Okänd länskod (två siffror, t.ex. 20)."))
    return kod


@router.get("/indicators", response=list[IndicatorOut])
@paginate(Pagination)
def indicator_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    kommun: Annotated[
        Search | None, Query(description="Bara indikatorer med värden för kommunen (kommunkod).")
    ] = None,
    area: Annotated[Search | None, Query(description="Lägesbildens områdeskod, t.ex. vald.")] = None,
    level: Annotated[Search | None, Query(description="deso, kommun, polisomrade, lan eller riket.")] = None,
    source: Annotated[
        Search | None, Query(description="Del av källans namn, t.ex. Polisen eller Brå.")
    ] = None,
    date_from: Annotated[
        Search | None, Query(alias="from", description="Bara indikatorer med värden från datum.")
    ] = None,
    date_to: Annotated[
        Search | None, Query(alias="to", description="Bara indikatorer med värden till och med datum.")
    ] = None,
):
    """Indikatorkatalogen: vad som mäts, var och hur ofta. Öppna data: alla inloggade läser alla."""
    if level and level not in Indicator.Level.values:
        raise query_error("level", gettext("Okänd nivå: välj deso, kommun, polisomrade, lan eller riket."))
    points = selectors.points_filter(
        kommun=_kommun(kommun), lan=None, start=_date(date_from, "from"), end=_date(date_to, "to")
    )
    return selectors.indicator_list(area=area, level=level, source=source, points=points)


@router.get("/indicators/{indicator_id}", response=IndicatorDetailOut, by_alias=True)
def indicator_detail(
    request: HttpRequest,
    indicator_id: Id,
    kommun: Annotated[
        Search | None, Query(description="Kommunkod; krävs för indikatorer på kommun- och DeSO-nivå.")
    ] = None,
    lan: Annotated[Search | None, Query(description="Länskod: länets värden (och dess kommuners).")] = None,
    date_from: Annotated[Search | None, Query(alias="from", description="Första period (datum).")] = None,
    date_to: Annotated[Search | None, Query(alias="to", description="Sista period (datum).")] = None,
) -> dict[str, Any]:
    """En indikator med datapunkter för en kommun eller ett län, varje punkt med sin import (proveniens).

    Antal får också värdet per 10 000 invånare. Små antal på DeSO-nivå (under tröskeln, normalt 5) visas
    utan värde (``suppressed``) för den som inte är polis eller samordnare i en samverkan med kommunen.
    """
    indicator = selectors.get_indicator(indicator_id)
    kommun_kod, lan_kod = _kommun(kommun), _lan(lan)
    start, end = _date(date_from, "from"), _date(date_to, "to")
    if indicator.level in LOCAL_LEVELS and not (kommun_kod or lan_kod):
        raise query_error(
            "kommun",
            gettext("Ange kommun (kommunkod) eller län för en indikator på kommun- eller DeSO-nivå."),
        )
    filters = selectors.points_filter(kommun=kommun_kod, lan=lan_kod, start=start, end=end)
    population = selectors.population_of(kommun=kommun_kod, lan=lan_kod)
    result = IndicatorOut.from_orm(indicator).dict()
    result["data_points"] = selectors.data_points(
        indicator=indicator, user=request.user, filters=filters, population=population
    )
    result["targets"] = [
        {
            "id": t.pk,
            "value": t.value,
            "per_10000": t.per_10000,
            "kommun": t.kommun_id,
            "collaboration": t.collaboration_id,
            "valid_from": t.valid_from,
            "valid_to": t.valid_to,
            "label": t.label,
        }
        for t in selectors.applicable_targets(indicator=indicator, user=request.user, kommun=kommun_kod)
    ]
    return result
