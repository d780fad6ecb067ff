"""An action's indicators (baseline, target, direction; by hand or a statistics indicator): list, read, add,
change and remove.

Every member reads what their role may; the samordnare writes (``permissions.can_edit_action_plan``), as on
the action's page. A change sent with the ``version`` it read answers 409 with both values if someone saved
since, and nothing is written.
"""

from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Status
from ninja.pagination import paginate

from samverkan.actions.api.actions import ActionIndicatorOut
from samverkan.actions.models import Action, ActionIndicator
from samverkan.actions.selectors import actions as action_selectors
from samverkan.actions.selectors import indicators as indicator_selectors
from samverkan.actions.services import indicators as indicator_services
from samverkan.core import permissions
from samverkan.core.apikit import (
    Amount,
    Code,
    ContractRouter,
    Day,
    Id,
    InSchema,
    Pagination,
    Roles,
    Version,
    level_changes,
    named_choices,
    patch_fields,
    plain,
    require,
    take_version,
    version_in,
)
from samverkan.core.models import Kommun, Level

if TYPE_CHECKING:
    IndicatorSource = ActionIndicator.Source
    IndicatorDirection = ActionIndicator.Direction
else:
    IndicatorSource = named_choices("ActionIndicatorSource", ActionIndicator.Source)
    IndicatorDirection = named_choices("ActionIndicatorDirection", ActionIndicator.Direction)

Name = Annotated[str, Field(max_length=200)]
IndicatorCode = Annotated[str, Field(max_length=100)]  # as long as Indicator.code
Unit = Annotated[str, Field(max_length=40)]

INDICATOR_CODE = "Koden för en indikator i statistiken (när källan är statistik)."
KOMMUN_CODE = "Kommunkoden för den av samverkans kommuner som indikatorn gäller (när källan är statistik)."


class ActionIndicatorIn(InSchema):
    name: Name = Field("", description="Vad som mäts; tomt för en indikator i statistiken: dess namn.")
    unit: Unit = ""
    source: IndicatorSource = IndicatorSource.MANUELL
    indicator: IndicatorCode | None = Field(None, description=INDICATOR_CODE)
    kommun: Code | None = Field(None, description=KOMMUN_CODE)
    baseline: Amount | None = None
    baseline_on: Day | None = None
    target: Amount | None = Field(None, description="Ett målvärde kräver utgångsvärde och riktning.")
    target_on: Day | None = None
    direction: IndicatorDirection | None = None
    level: Level | None = Field(None, description="Utan nivå: åtgärdens.")
    restricted_to: Roles | None = None


class ActionIndicatorPatch(InSchema):
    name: Name | None = None
    unit: Unit | None = None
    source: IndicatorSource | None = None
    indicator: IndicatorCode | None = Field(None, description=INDICATOR_CODE)
    kommun: Code | None = Field(None, description=KOMMUN_CODE)
    baseline: Amount | None = None
    baseline_on: Day | None = None
    target: Amount | None = None
    target_on: Day | None = None
    direction: IndicatorDirection | None = None
    level: Level | None = None
    restricted_to: Roles | None = None
    version: int | None = version_in()


router = ContractRouter(tags=["Åtgärdsplan"], operation_ids="samverkan_api_routers_action_indicators")

NULLABLE = ("indicator", "kommun", "baseline", "baseline_on", "target", "target_on", "direction")


def _editable_action(request: HttpRequest, action_id: int) -> Action:
    """Visible (else 404), then may the user change its plan (else 403)."""
    action = action_selectors.get_action(request.user, action_id)
    require(permissions.can_edit_action_plan(request.user, action.collaboration))
    return action


def _references(action: Action, data: dict[str, Any]) -> None:
    """Codes in the body as rows: a statistics indicator with values for one of the collaboration's
    kommuner, and a kommun (the service checks that it is one of the collaboration's)."""
    code = data.get("indicator")
    if code is not None:
        found = (
            indicator_selectors.indicator_choices(collaboration=action.collaboration)
            .filter(code=code)
            .first()
        )
        if found is None:
            raise ValidationError(
                {"indicator": _("Indikatorn finns inte i statistiken för samverkans kommuner.")}
            )
        data["indicator"] = found
    kod = data.get("kommun")
    if kod is not None:
        kommun = Kommun.objects.filter(kod=kod).first()
        if kommun is None:
            raise ValidationError({"kommun": _("Kommunen ingår inte i samverkan.")})
        data["kommun"] = kommun
    if "direction" in data:
        data["direction"] = data["direction"] or ""


def _current(row: ActionIndicator) -> dict[str, Any]:
    return {
        "name": row.name,
        "unit": row.unit,
        "source": row.source,
        "indicator": row.indicator,
        "kommun": row.kommun,
        "baseline": row.baseline,
        "baseline_on": row.baseline_on,
        "target": row.target,
        "target_on": row.target_on,
        "direction": row.direction,
    }


@router.get("/actions/{action_id}/indicators", response=list[ActionIndicatorOut])
@paginate(Pagination)
def indicator_list(request: HttpRequest, action_id: Id):  # type: ignore[no-untyped-def]
    """Åtgärdens indikatorer som du får läsa, i ordning."""
    action = action_selectors.get_action(request.user, action_id)
    return indicator_selectors.indicator_rows(request.user, action)


@router.get("/actions/{action_id}/indicators/{indicator_row_id}", response=ActionIndicatorOut)
def indicator_detail(request: HttpRequest, action_id: Id, indicator_row_id: Id) -> ActionIndicator:
    action = action_selectors.get_action(request.user, action_id)
    return indicator_selectors.get_indicator_row_for_user(request.user, action, indicator_row_id)


@router.post("/actions/{action_id}/indicators", response={201: ActionIndicatorOut})
def indicator_create(request: HttpRequest, action_id: Id, payload: ActionIndicatorIn) -> Status:
    """Ny indikator för åtgärden (samordnare). Utan nivå får den åtgärdens."""
    action = _editable_action(request, action_id)
    data = plain(payload.dict())
    _references(action, data)
    if data["level"] is None:
        data.pop("level")
        data.pop("restricted_to")
    elif data["restricted_to"] is None:
        data["restricted_to"] = sorted(action.restricted_roles)
    row = indicator_services.action_indicator_save(action=action, acting_user=request.user, **data)
    return Status(201, indicator_selectors.get_indicator_row_for_user(request.user, action, row.pk))


@router.patch("/actions/{action_id}/indicators/{indicator_row_id}", response=ActionIndicatorOut)
def indicator_update(
    request: HttpRequest, action_id: Id, indicator_row_id: Id, payload: ActionIndicatorPatch
) -> ActionIndicator:
    """Ändra indikatorn (samordnare). Skicka med `version` från GET: har någon annan sparat sedan dess blir
    svaret 409 med båda värdena och inget sparas."""
    action = _editable_action(request, action_id)
    row = indicator_selectors.get_indicator_row_to_change(request.user, action, indicator_row_id)
    data = patch_fields(payload, nullable=NULLABLE)
    version = take_version(data)
    level = level_changes(data, row)
    _references(action, data)
    indicator_services.action_indicator_save(
        action=action,
        row=row,
        acting_user=request.user,
        version=version,
        **level,
        **{**_current(row), **data},
    )
    return indicator_selectors.get_indicator_row_for_user(request.user, action, row.pk)


@router.delete("/actions/{action_id}/indicators/{indicator_row_id}", response={204: None})
def indicator_delete(
    request: HttpRequest, action_id: Id, indicator_row_id: Id, version: Version | None = None
) -> Status:
    """Ta bort indikatorn (samordnare). Med `?version=` bara om ingen annan har ändrat den sedan dess
    (annars 409)."""
    action = _editable_action(request, action_id)
    row = indicator_selectors.get_indicator_row_to_change(request.user, action, indicator_row_id)
    indicator_services.action_indicator_delete(row=row, acting_user=request.user, version=version)
    return Status(204, None)
