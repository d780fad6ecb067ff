"""API shapes for lägesbild: templates, rounds, reports, events and places.

Rows nested in a response are read from attributes the routers fill with ``visible_to(user)`` (``api_*``),
so a schema never reaches past the visibility rule on its own.
"""

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Literal

from ninja import Field, Schema
from pydantic import AliasPath, BaseModel, ConfigDict, model_validator

from samverkan.core.apikit import (
    MAX_IDS,
    MAX_INT,
    Code,
    ConfidentialOut,
    Day,
    Id,
    IdList,
    InSchema,
    Latitude,
    Longitude,
    Moment,
    Roles,
    Text,
    named_choices,
    version_out,
)
from samverkan.core.models import Level
from samverkan.situation.models import Question, Report, Round

if TYPE_CHECKING:
    RoundPeriod = Round.Period
    QuestionKind = Question.Kind
    ReportStatus = Report.Status
else:
    RoundPeriod = named_choices("RoundPeriod", Round.Period)
    QuestionKind = named_choices("QuestionKind", Question.Kind)
    ReportStatus = named_choices("ReportStatus", Report.Status)


class Completeness(StrEnum):
    """Where an asked organisation stands in a round."""

    EJ_PABORJAD = "ej_paborjad"
    UTKAST = "utkast"
    INSKICKAD = "inskickad"


class EventSource(StrEnum):
    """``member``: members' own reports (in the product or through the API); ``police``: imported."""

    MEMBER = "member"
    POLICE = "police"
    API = "api"


# Event.Source values → the API's source words (shared with ?source=).
SOURCE_NAMES = {"medlem": "member", "api": "api"}


# --- Templates -----------------------------------------------------------------------------------------


class ScaleStepOut(Schema):
    value: str
    label: str
    meaning: str = ""


class QuestionOut(Schema):
    id: int
    order: int
    kind: QuestionKind
    text: str
    help_text: str
    required: bool


class SectionOut(Schema):
    id: int
    order: int
    title: str
    area_code: str
    description: str
    focus_area: int | None = Field(None, alias="focus_area_id")
    questions: list[QuestionOut] = Field(..., alias="api_questions")


class TemplateOut(Schema):
    id: int
    collaboration: int | None = Field(
        None, alias="collaboration_id", description="Tom för mallar som följer med produkten."
    )
    name: str
    description: str
    version: int
    previous: int | None = Field(None, alias="previous_id", description="Föregående version.")
    is_current: bool
    created_at: dt.datetime


class TemplateDetailOut(TemplateOut):
    sections: list[SectionOut] = Field(..., alias="api_sections")
    status_scale: list[ScaleStepOut] = Field(..., description="Lägesskalan med vad varje nivå betyder.")
    trend_scale: list[ScaleStepOut]


# --- Rounds --------------------------------------------------------------------------------------------


class OrganisationRefOut(Schema):
    id: int
    name: str


class CompletenessOut(Schema):
    organisation: int
    organisation_name: str
    state: Completeness
    report: int | None = Field(None, description="Rapportens id, om den är påbörjad.")
    submitted_at: dt.datetime | None = None


class RoundOut(Schema):
    id: int
    collaboration: int = Field(..., alias="collaboration_id")
    template: int = Field(..., alias="template_id")
    period: RoundPeriod
    period_start: dt.date
    period_end: dt.date
    deadline: dt.datetime
    closed_at: dt.datetime | None
    is_open: bool
    created_at: dt.datetime


class RoundDetailOut(RoundOut):
    organisations: list[OrganisationRefOut] = Field(
        ..., alias="api_organisations", description="Tillfrågade organisationer."
    )
    completeness: list[CompletenessOut] = Field(
        ...,
        alias="api_completeness",
        description="Per tillfrågad organisation: ej påbörjad, utkast, inskickad.",
    )


class RoundIn(InSchema):
    collaboration: Id
    template: Id
    period: RoundPeriod = Round.Period.MONTH  # type: ignore[assignment]
    period_start: Day = Field(..., description="Periodens första dag (en måndag för vecka).")
    deadline: Moment | None = Field(None, description="Standard: fem dagar efter periodens slut.")
    organisations: IdList | None = Field(None, description="Standard: alla aktörer i samverkan.")


# --- Reports -------------------------------------------------------------------------------------------


class PlaceNameOut(Schema):
    name: str


class AnswerOut(ConfidentialOut):
    id: int
    question: int = Field(..., alias="question_id")
    status: str
    trend: str
    text: str
    number: int | None
    places: list[PlaceNameOut]
    version: int = version_out()


class ReportOut(Schema):
    id: int
    collaboration: int = Field(..., alias="collaboration_id")
    round: int = Field(..., alias="round_id")
    organisation: int = Field(..., alias="organisation_id")
    organisation_name: str = Field(..., alias="organisation.name")
    status: ReportStatus
    submitted_at: dt.datetime | None
    updated_at: dt.datetime


class ReportDetailOut(ReportOut):
    answers: list[AnswerOut] = Field(
        ..., alias="api_answers", description="Bara de svar du får läsa, vart och ett med sin nivå."
    )


class ReportIn(InSchema):
    round: Id
    organisation: Id


class PlaceNameIn(InSchema):
    name: str = Field(..., max_length=200)


class AnswerIn(InSchema):
    """One answer; only the field of the question's kind is kept (plus ``text``, a comment on any kind)."""

    status: Code | None = Field(None, description="gron, gul, orange eller rod.")
    trend: Code | None = Field(None, description="okar, oforandrat, minskar eller vet_ej.")
    text: Text | None = None
    number: int | None = Field(None, le=MAX_INT)
    places: list[PlaceNameIn] | None = Field(None, max_length=MAX_IDS)
    level: Level | None = Field(
        None,
        description="Standard: svarets nuvarande nivå, annars begränsad för polisen och intern för andra.",
    )
    restricted_to: Roles | None = None
    version: int | None = Field(
        None,
        ge=0,
        le=MAX_INT,
        description=(
            "Svarets version du utgick från (0 om frågan saknade svar). Har någon annan sparat svaret "
            "sedan dess sparas inget av anropet och svaret blir 409 med båda texterna, fälten namngivna "
            "q<frågans id>.<fält>. Utan version sparas svaret som tidigare."
        ),
    )


# Question id → answer (a template holds far fewer questions).
Answers = Annotated[dict[Id, AnswerIn], Field(max_length=500)]


# --- Events and places ---------------------------------------------------------------------------------


class EventOut(BaseModel):
    """An event. A plain pydantic model read straight from the row's attributes (no per-field Python
    getter): the map list serializes up to a thousand of these per request."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    collaboration: int = Field(..., validation_alias="collaboration_id")
    category: int = Field(..., validation_alias="category_id")
    category_name: str = Field(..., validation_alias=AliasPath("category", "name"))
    area_code: str = Field(
        ...,
        validation_alias=AliasPath("category", "area_code"),
        description="Lägesbildens område (händelsekategorins områdeskod).",
    )
    occurred_at: dt.datetime
    kommun: str = Field(..., validation_alias="kommun_id", description="Kommunkod.")
    place: int | None = Field(None, validation_alias="place_id")
    place_name: str
    latitude: float | None = Field(None, description="WGS 84; tom om ingen punkt angavs.")
    longitude: float | None = None
    description: str
    organisation: int | None = Field(None, validation_alias="organisation_id")
    source: str = Field(..., description="member (rapporterad i produkten) eller api.")
    level: str
    restricted_to: list[str] = Field(
        ..., validation_alias="restricted_roles", description="Rollerna som får läsa, om nivån är begränsad."
    )
    created_at: dt.datetime
    updated_at: dt.datetime

    @model_validator(mode="after")
    def _only_restricted_rows_name_roles(self) -> "EventOut":
        self.restricted_to = sorted(self.restricted_to) if self.level == Level.BEGRANSAD else []
        # The stored value is Swedish ("medlem"); the API speaks the words its ?source= filter takes.
        self.source = SOURCE_NAMES.get(self.source, self.source)
        return self


class LocationPrecision(StrEnum):
    """How exactly a police event is placed: the police give the centre of a kommun or of a län."""

    KOMMUN = "kommun"
    LAN = "lan"


class PoliceEventOut(BaseModel):
    """An event the police published on polisen.se (public open data, imported; never changed here).

    Its point is the centre of the kommun or län the police name, not the place of the incident:
    ``location_precision`` says which.
    """

    source: Literal["police"] = "police"
    police_id: int = Field(..., description="Polisens id för händelsen.")
    occurred_at: dt.datetime = Field(..., description="Tidpunkten polisen anger.")
    type: str = Field(..., description="Polisens händelsetyp, t.ex. Misshandel.")
    area_code: str = Field(..., description="Lägesbildens område enligt kopplingen av händelsetyper.")
    name: str
    summary: str
    url: str = Field(..., description="Händelsen på polisen.se (absolut adress).")
    kommun: str | None = Field(None, description="Kommunkod; tom om bara länet är känt.")
    lan: str | None = Field(None, description="Länskod.")
    location_name: str
    location_precision: LocationPrecision
    latitude: float | None = Field(None, description="Mittpunkten för kommunen eller länet (WGS 84).")
    longitude: float | None = None


class EventPage(BaseModel):
    """A page of events, members' and the police's merged newest first."""

    items: list[EventOut | PoliceEventOut]
    count: int


CONFIRM_SENSITIVE_OPEN = (
    "true bekräftar att en händelse i en känslig kategori (våld i nära relation, sexualbrott m.fl.) ska "
    "vara öppen; utan den svarar en sådan öppen händelse 422 på det här fältet. Allt öppet visar den ändå "
    "bara som ett antal per kommun och period."
)


class EventIn(InSchema):
    collaboration: Id
    category: Id = Field(..., description="Händelsekategorins id (produktens eller samverkans egna).")
    occurred_at: Moment
    kommun: Code = Field(..., description="Kommunkod; en av samverkans kommuner.")
    description: Text = Field(..., description="Vad hände (högst 2 000 tecken).")
    place: Id | None = Field(None, description="En namngiven plats i kommunen (se /places).")
    place_name: Text = ""
    latitude: Latitude | None = Field(None, description="WGS 84; punkten måste ligga i kommunen.")
    longitude: Longitude | None = None
    organisation: Id | None = Field(None, description="Standard: organisationen ditt medlemskap anger.")
    level: Level | None = Field(None, description="Standard: begränsad för polisen, annars intern.")
    restricted_to: Roles | None = Field(None, description="Standard: polis och samordnare.")
    confirm_sensitive_open: bool = Field(False, description=CONFIRM_SENSITIVE_OPEN)


class EventPatch(InSchema):
    category: Id | None = None
    occurred_at: Moment | None = None
    kommun: Code | None = None
    description: Text | None = None
    place: Id | None = None
    place_name: Text | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    organisation: Id | None = None
    level: Level | None = None
    restricted_to: Roles | None = None
    confirm_sensitive_open: bool = Field(False, description=CONFIRM_SENSITIVE_OPEN)


class PlaceOut(Schema):
    id: int
    collaboration: int = Field(..., alias="collaboration_id")
    kommun: str = Field(..., alias="kommun_id")
    name: str
    latitude: float | None
    longitude: float | None
