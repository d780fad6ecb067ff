"""The REST API at /api/v1/ (contract: shared docs api.md). Every read goes through the selectors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI

from samverkan.actions import api as actions_api
from samverkan.agreements import api as agreements_api
from samverkan.analysis import api as analysis_api
from samverkan.api.auth import BearerToken
from samverkan.core import api as core_api
from samverkan.core.conflicts import EditConflict
from samverkan.indicators import api as indicators_api
from samverkan.meetings import api as meetings_api
from samverkan.reports import api as reports_api
from samverkan.situation import api as situation_api

api = NinjaAPI(
    title="Samverkan API",
    version="1",
    description=(
        "Lokalt brottsförebyggande arbete i samverkan mellan kommun och polis. "
        "Autentisering: `Authorization: Bearer <nyckel>` (skapa nyckeln i din profil). "
        "API:t visar exakt det användaren ser i webbgränssnittet."
    ),
    auth=BearerToken(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": gettext("Du får inte ändra det här.")}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        detail = [
            {
                "loc": ["body", field],
                "msg": " ".join(str(m) for m in errors[0].messages),
                "type": "value_error",
            }
            for field, errors in exc.error_dict.items()
        ]
    else:
        detail = [{"loc": ["body"], "msg": " ".join(exc.messages), "type": "value_error"}]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(EditConflict)
def _conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
    """A write from a version someone has saved over since: nothing was saved; both texts go back."""
    return api.create_response(request, exc.as_api(), status=409)


# The foundation: reference data and the account, collaborations, aktörer, notices.
api.add_router("/", core_api.router)
api.add_router("/", agreements_api.router)
# Lägesbild: templates, rounds and reports, events and places, joint pictures.
api.add_router("/", situation_api.router)
# Statistics: the indicator catalogue and its data points (public open data).
api.add_router("/", indicators_api.router)
# Analysis: problems with Brå's scores, and their causes.
api.add_router("/", analysis_api.router)
# Steps 4–6: the action plan, its actions, work orders, follow-up and the spreadsheet.
api.add_router("/", actions_api.router)
# Meetings and minutes: agenda, meeting mode, justering and publishing, calendars.
api.add_router("/", meetings_api.router)
api.add_router("/", reports_api.router)
