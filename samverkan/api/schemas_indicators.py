"""API shapes for the indicator catalogue and its data points (public open data)."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


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
