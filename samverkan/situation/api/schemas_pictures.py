"""API shapes for the joint situation picture (gemensam lägesbild): live pictures and agreed versions.

A picture is serialised from the ``PictureData`` the builder made for the caller (``build_picture`` or
``version_data``, both through the visibility rule), so nothing here reaches a row on its own. Every part
carries its own level; ``restricted_to`` names the roles only when the level is begränsad.
"""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from samverkan.core.apikit import (
    Code,
    InSchema,
    Roles,
    Text,
    version_in,
    version_out,
)


class PicturePartOut(Schema):
    level: str = Field(..., description="oppen, intern eller begransad.")
    restricted_to: list[str] = Field(..., description="Rollerna som får läsa, om nivån är begränsad.")


class PictureCellOut(PicturePartOut):
    """One organisation's status and trend in one area, with the same area in earlier rounds."""

    organisation: str
    organisation_id: int | None = Field(None, description="Tom i en fastställd version.")
    submitted: bool = Field(..., description="Organisationen har skickat in sin rapport.")
    status: str = Field(..., description="gron, gul, orange, rod, eller tomt om inget läge angavs.")
    trend: str = Field(..., description="okar, oforandrat, minskar, vet_ej, eller tomt.")
    previous_status: str = Field(..., description="Läget i föregående omgång av samma slag.")
    last_year_status: str = Field(..., description="Läget i samma period ett år tidigare.")
    visible: bool = Field(
        ..., description="Falskt när en fastställd version har en ruta du inte får läsa (den är då tom)."
    )


class PictureTextOut(PicturePartOut):
    organisation: str
    question: str
    kind: str = Field(..., description="text eller places.")
    text: str
    places: list[str]


class PictureNumberOut(PicturePartOut):
    organisation: str
    question: str
    number: int | None


class PictureSummaryOut(PicturePartOut):
    text: str
    updated_at: dt.datetime | None
    version: int | None = Field(
        None,
        description="Sammanfattningens version, att skicka med när du ändrar den; tom i en fastställd version.",
    )


class PictureAreaOut(Schema):
    order: int
    title: str
    area_code: str
    section_id: int | None = Field(
        None, description="Avsnittets id i omgångens mall (för att spara områdets sammanfattning)."
    )
    cells: list[PictureCellOut] = Field(
        ..., description="En ruta per organisation, i organisationernas ordning."
    )
    texts: list[PictureTextOut]
    numbers: list[PictureNumberOut]
    summary: PictureSummaryOut | None = Field(None, description="Samordnarens sammanfattning av området.")
    event_count: int = Field(
        ...,
        description=(
            "Händelser i området under perioden som du får läsa; i en öppen version utan antal under "
            "tröskeln för små antal."
        ),
    )


class PictureEventOut(PicturePartOut):
    occurred_at: dt.datetime | None = Field(..., description="Tidpunkten; tom i en öppen version.")
    category: str
    area_code: str
    place: str = Field(..., description="Platsen; tom i en öppen version.")
    latitude: float | None = Field(..., description="Tom i en öppen version.")
    longitude: float | None = Field(..., description="Tom i en öppen version.")
    description: str
    organisation: str = Field(..., description="Rapporterande organisation; tom i en öppen version.")
    kommun: str = Field(
        "", description="Kommunens namn (tomt i versioner fastställda innan kommunen sparades med händelsen)."
    )
    occurred_on: dt.date | None = Field(
        None, description="Dagen, i en öppen version (i stället för tidpunkten)."
    )


class PictureEventCountOut(PicturePartOut):
    """Events of a sensitive category in one kommun over the period: an öppen version shows no more.

    A count below the small-count threshold (the statistics' rule, SAMVERKAN_SMALL_COUNT_THRESHOLD) is
    withheld: ``count`` is null and ``below_threshold`` true, meaning 1 to threshold − 1 events.
    """

    category: str
    area_code: str
    kommun: str
    count: int | None = Field(
        ...,
        description=(
            "Antal händelser; null när antalet är under tröskeln för små antal (below_threshold), "
            "eftersom så få händelser kan peka ut en person."
        ),
    )
    below_threshold: bool = Field(
        False, description="Antalet är minst 1 men under threshold och visas därför inte."
    )
    threshold: int = Field(0, description="Tröskeln för små antal som gällde när antalet lämnades ut.")


class PictureSeriesMonthOut(Schema):
    month: dt.date = Field(..., description="Månadens första dag.")
    counts: dict[str, int] = Field(..., description="Områdeskod → antal händelser (tom kod: övriga).")
    total: int


class PictureCompletenessRowOut(Schema):
    organisation: str
    submitted: bool
    submitted_at: dt.datetime | None


class PictureCompletenessOut(Schema):
    asked: int = Field(..., description="Tillfrågade organisationer.")
    submitted: int = Field(..., description="Av dem: inskickade rapporter.")
    missing: list[str]
    organisations: list[PictureCompletenessRowOut]


class PictureVersionOut(Schema):
    id: int
    number: int = Field(..., description="Versionsnummer, 1, 2, … per omgång.")
    meeting: str = Field(..., description="Mötet som fastställde lägesbilden.")
    meeting_date: dt.date
    agreed_at: dt.datetime
    agreed_by: str | None = Field(None, description="Vem som fastställde (namn).")

    @staticmethod
    def resolve_agreed_by(obj: Any) -> str | None:
        user = obj.agreed_by
        return (user.get_full_name() or user.email) if user is not None else None


class PictureOut(Schema):
    """The joint picture of a round as you may read it: live, or an agreed version."""

    round: int
    collaboration: int
    period: str
    period_start: dt.date
    period_end: dt.date
    version: PictureVersionOut | None = Field(None, description="Tomt för den levande lägesbilden.")
    public_only: bool = Field(..., description="Bara öppna delar (?oppen=true på en version).")
    previous_round: int | None = Field(None, description="Omgången jämförelsen ”förra” kommer från.")
    last_year_round: int | None = Field(None, description="Omgången jämförelsen ”i fjol” kommer från.")
    organisations: list[str]
    areas: list[PictureAreaOut]
    events: list[PictureEventOut] = Field(..., description="Periodens händelser som du får läsa.")
    events_generalised: bool = Field(
        False,
        description=(
            "Öppen version: händelserna har bara dag och kommun (ingen tidpunkt, plats eller punkt), och "
            "händelser i känsliga kategorier finns bara som antal i event_counts."
        ),
    )
    event_counts: list[PictureEventCountOut] = Field(
        default_factory=list,
        description=(
            "Öppen version: antal händelser per känslig kategori och kommun; ett antal under tröskeln för "
            "små antal har count null och below_threshold true och ingår inte i någon summa "
            "(areas[].event_count, series)."
        ),
    )
    series: list[PictureSeriesMonthOut] = Field(
        ...,
        description=(
            "Händelser per månad och område, tolv månader till och med periodens slut; i en öppen version "
            "utan händelser i känsliga kategorier."
        ),
    )
    completeness: PictureCompletenessOut


class PictureLatestOut(Schema):
    id: int
    number: int
    meeting: str
    meeting_date: dt.date


class PictureRoundOut(Schema):
    """A round's picture in the list: completeness and the latest agreed version."""

    id: int = Field(..., description="Omgångens id (även lägesbildens: /joint-pictures/{round_id}).")
    collaboration: int = Field(..., alias="collaboration_id")
    template: int = Field(..., alias="template_id")
    period: str
    period_start: dt.date
    period_end: dt.date
    asked: int = Field(..., alias="asked_count", description="Tillfrågade organisationer.")
    submitted: int = Field(..., alias="submitted_count", description="Inskickade rapporter.")
    latest_version: PictureLatestOut | None = Field(
        None, description="Den senast fastställda versionen; tom om ingen är fastställd."
    )

    @staticmethod
    def resolve_latest_version(obj: Any) -> dict[str, Any] | None:
        if obj.latest_version_id is None:
            return None
        return {
            "id": obj.latest_version_id,
            "number": obj.latest_version,
            "meeting": obj.latest_meeting,
            "meeting_date": obj.latest_meeting_date,
        }


class AreaSummaryIn(InSchema):
    text: Text = Field(..., description="Högst 5 000 tecken; tom text tar bort sammanfattningen.")
    level: Code = Field("intern", description="oppen, intern eller begransad.")
    restricted_to: Roles = Field(
        ["polis", "samordnare"], description="Rollerna som får läsa, om nivån är begränsad."
    )
    version: int | None = version_in()


class AreaSummaryOut(PicturePartOut):
    section_id: int
    area_code: str
    title: str
    text: str
    updated_at: dt.datetime
    version: int = version_out()


class PictureAgreeIn(InSchema):
    meeting: Text = Field("", description="Mötet som fastställer lägesbilden, t.ex. ”REK-gruppen”.")
    meeting_date: str | None = Field(
        None, max_length=40, description="Mötets datum (ÅÅÅÅ-MM-DD).", json_schema_extra={"format": "date"}
    )
