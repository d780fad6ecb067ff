"""The building blocks every app's API module (``<app>/api.py``) shares.

They live in core, not in the top-floor ``api`` package, so an app's API module imports core only; ``api``
itself keeps the NinjaAPI, authentication and error handlers and mounts each app's router.
Reads go through the app's selectors (scoped and audited there); ``Pagination`` audits the begränsad rows
of each page it serves.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.errors import ValidationError as RequestError
from ninja.pagination import LimitOffsetPagination

from samverkan.core import selectors
from samverkan.core.models import Collaboration, Level, Organisation
from samverkan.core.visibility import record_reads


class Pagination(LimitOffsetPagination):
    """`{"items": [...], "count": N}` with ?limit=&offset=; begränsad rows on the page are audit-logged."""

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


def version_in() -> Any:
    """The optional ``version`` a write sends back (absent: an older client, saved as before)."""
    return Field(None, ge=0, description=VERSION_IN)


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
