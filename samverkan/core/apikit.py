"""The building blocks every app's API module (``<app>/api.py``) shares.

They live in core, not in the top-floor ``api`` package, so an app's API module imports core only; ``api``
itself keeps the NinjaAPI, authentication and error handlers and mounts each app's router.
Reads go through the app's selectors (scoped and audited there); ``Pagination`` audits the begränsad rows
of each page it serves.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.errors import ValidationError as RequestError
from ninja.pagination import LimitOffsetPagination
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, BaseModel, WithJsonSchema, field_validator, model_validator

from samverkan.core import selectors
from samverkan.core.models import DEFAULT_RESTRICTED_TO, Collaboration, Level, Organisation, decode_roles
from samverkan.core.visibility import record_reads
from samverkan.core.years import FILTER_YEARS, YEARS, outside_years  # noqa: F401 (FILTER_YEARS: re-exported)

# --- Bounded inputs ------------------------------------------------------------------------------------
# Every number, list, text and date the API takes has a range the database and the services can hold,
# so a value outside it is a 422 naming the field, never an overflow or a refusal in the driver (a 500).

MAX_ID = selectors.MAX_ID  # ids are bigint (BigAutoField)
MAX_IDS = 200  # ids in one list field
MAX_INT = 2**31 - 1  # an IntegerField (PostgreSQL integer)
MAX_OFFSET = MAX_INT  # far past any table here; the page is then empty
MAX_ROLES = 10  # roles named in one level (there are four)
MAX_CODE = 20  # a code: role, level, kommunkod, länskod, area code, status word
MAX_TEXT = 20_000  # free text a service measures itself (twice the longest it keeps)
MAX_SEARCH = 200  # a query parameter's text


def no_nul(value: Any) -> Any:
    """Text (also inside lists and objects) without NUL characters: PostgreSQL cannot store or compare
    them, so one would be a 500 there. Django's form fields refuse them the same way, with its message."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(str(ProhibitNullCharactersValidator.message))
    if isinstance(value, list | tuple):
        for item in value:
            no_nul(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            no_nul(key)
            no_nul(item)
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A database id (path, query or body): 1 … 2**63-1."""
IdList = Annotated[list[Id], Field(max_length=MAX_IDS)]
"""Ids in a body, at most ``MAX_IDS``."""
Code = Annotated[str, Field(max_length=MAX_CODE), AfterValidator(no_nul)]
"""A code in a path, a query or a body (role, level, kommunkod, area code, …)."""
Search = Annotated[str, Field(max_length=MAX_SEARCH), AfterValidator(no_nul)]
"""A query parameter's free text (an event type, part of a source's name, a date, a bounding box)."""
Codes = Annotated[list[Code], Field(max_length=MAX_IDS)]
"""Codes in a body (kommunkoder), at most ``MAX_IDS``."""
Text = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(no_nul)]
"""Free text whose service names its own, lower limit in Swedish; this bound only keeps bodies small."""


# A begränsad row's roles when the client names none: the model's default, as the API's list.
DEFAULT_ROLES: list[str] = sorted(decode_roles(DEFAULT_RESTRICTED_TO))


def named_choices(name: str, choices: type[Enum]) -> Any:
    """A model's choices as an enum with its own name: OpenAPI components are keyed by the enum's name, so
    two fields with the same values but different meaning each get theirs."""
    return Enum(name, {member.name: member.value for member in choices}, type=str)  # type: ignore[misc]


# Hours, kronor, measured values: a JSON number (services bound it, in Swedish); digits bounded so no input is
# unbounded (a Decimal would otherwise also accept a string of any length).
Amount = Annotated[
    Decimal,
    Field(allow_inf_nan=False, max_digits=20, decimal_places=4),
    WithJsonSchema({"type": "number"}),
]
"""Hours, kronor, measured values (see above)."""
Roles = Annotated[list[Code], Field(max_length=MAX_ROLES)]
"""The roles a begränsad row is restricted to (or that must use two-factor login)."""
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
"""WGS 84 degrees (NaN and infinity, which Python's JSON reader accepts, are outside)."""
Limit = Annotated[int, Field(ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


def in_years(value: Any) -> Any:
    """A date or date-time in ``YEARS`` (else a ValueError: a 422 naming the field)."""
    problem = outside_years(value, YEARS)
    if problem:
        raise ValueError(problem)
    return value


Day = Annotated[dt.date, AfterValidator(in_years)]
"""A date in the product's years (an agreement's period, a promise, a due date, a meeting)."""
Moment = Annotated[dt.datetime, AfterValidator(in_years)]
"""A date-time in the product's years (an event, a deadline)."""


class InSchema(Schema):
    """A request body: a JSON object. ninja would read the fields of a list or a number as missing (a
    PATCH of ``[]`` would change nothing and answer 200), so anything but an object is a 422; and no text
    in it holds a NUL character (``no_nul``), each a 422 naming its field."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return no_nul(value)

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        raw = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(raw, dict | BaseModel):
            raise ValueError(gettext("Ange ett JSON-objekt."))
        return data


def check_years(
    day: dt.date | None, field: str, *, years: tuple[int, int] = YEARS, where: str = "query"
) -> None:
    """A date parsed from text (a query parameter, a body string) inside ``years``, else a 422 naming the
    field (Python's dates end in year 9999, and a day past them is an overflow)."""
    problem = outside_years(day, years)
    if problem:
        raise RequestError([{"loc": [where, field], "msg": problem, "type": "value_error"}])


class Pagination(LimitOffsetPagination):
    """`{"items": [...], "count": N}` with ?limit=&offset=; begränsad rows on the page are audit-logged."""

    class Input(Schema):
        limit: Limit = settings.NINJA_PAGINATION_PER_PAGE
        offset: Offset = 0

    def paginate_queryset(self, queryset: Any, pagination: Any, request: Any, **params: Any) -> Any:
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result["items"] = list(result["items"])
        record_reads(request.user, result["items"])
        return result


class ContractRouter(Router):
    """A router whose operation ids stay the published ones: ``<operation_ids>_<function name>``.

    Generated clients name their methods after the operation ids, and ninja would derive them from the
    view's module path; naming the prefix keeps the contract when a view moves to another module.
    """

    def __init__(self, *, operation_ids: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.operation_ids = operation_ids

    def add_api_operation(self, path: str, methods: list[str], view_func: Any, **kwargs: Any) -> None:
        kwargs["operation_id"] = kwargs.get("operation_id") or f"{self.operation_ids}_{view_func.__name__}"
        super().add_api_operation(path, methods, view_func, **kwargs)


def query_error(field: str, message: str) -> RequestError:
    """A 422 naming a query parameter (``{"detail": [{"loc": ["query", field], "msg": …}]}``)."""
    return RequestError([{"loc": ["query", field], "msg": message, "type": "value_error"}])


def restricted_to_of(obj: Any) -> list[str]:
    """The roles a begränsad row (or picture part) names; empty for other levels, where the stored
    default means nothing."""
    return sorted(obj.restricted_roles) if obj.level == Level.BEGRANSAD else []


class ConfidentialOut(Schema):
    """The level every levelled row carries in the API."""

    level: str
    restricted_to: list[str]

    @staticmethod
    def resolve_restricted_to(obj: Any) -> list[str]:
        return restricted_to_of(obj)


VERSION_IN = (
    "Versionen du utgick från (från GET). Har någon annan sparat sedan dess sparas inget och svaret blir "
    "409 med både den sparade och din text. Utan version sparas ändringen som tidigare."
)
VERSION_OUT = "Radens version: skicka med den när du ändrar, så skriver du inte över någon annans ändring."


# A row's edit counter as a query parameter (``?version=`` on a delete).
Version = Annotated[int, Field(ge=0, le=MAX_INT, description="Versionen du utgick från.")]


def version_in() -> Any:
    """The optional ``version`` a write sends back (absent: an older client, saved as before)."""
    return Field(None, ge=0, le=MAX_INT, description=VERSION_IN)


def version_out() -> Any:
    return Field(..., description=VERSION_OUT)


def take_version(data: dict[str, Any]) -> int | None:
    """The version a PATCH sent (popped, so the other fields are the row's)."""
    return data.pop("version", None)


def require(allowed: bool) -> None:
    """403 for a visible object the user may not change (a predicate from ``core.permissions``)."""
    if not allowed:
        raise PermissionDenied


def plain(data: dict[str, Any]) -> dict[str, Any]:
    """Enum members as their plain values."""
    return {name: value.value if isinstance(value, Enum) else value for name, value in data.items()}


def patch_fields(payload: Schema, *, nullable: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields a PATCH sets (enums as plain values); null only where the field may be emptied.
    ``version`` (the one the writer edited) may be null: no version, saved as before versions."""
    data = plain(payload.dict(exclude_unset=True))
    if data.get("version", 0) is None:
        del data["version"]
    empty = [name for name, value in data.items() if value is None and name not in nullable]
    if empty:
        raise ValidationError({name: gettext("Fältet kan inte vara tomt.") for name in empty})
    return data


def level_changes(data: dict[str, Any], obj: Any) -> dict[str, Any]:
    """level/restricted_to for a service call: taken from ``data`` (popped) or kept as they are."""
    return {
        "level": data.pop("level", obj.level),
        "restricted_to": data.pop("restricted_to", sorted(obj.restricted_roles)),
    }


def organisation_ref(
    user: Any, collaboration: Collaboration, pk: int | None, field: str, *, candidates: bool = False
) -> Organisation | None:
    """An organisation taking part in the collaboration (or, with ``candidates``, one it may add)."""
    if pk is None:
        return None
    org = selectors.organisation_list(user=user, collaboration=collaboration).filter(pk=pk).first()
    if org is None and candidates:
        org = selectors.organisation_candidates(user=user, collaboration=collaboration).filter(pk=pk).first()
    if org is None:
        raise ValidationError({field: gettext("Okänd organisation.")})
    return org
