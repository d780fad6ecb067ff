"""The action plan as a spreadsheet through the API: what the reader may read, as the page's button gives."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from samverkan.actions import excel
from samverkan.actions.selectors.excel import current_plan, plan_sheet
from samverkan.actions.selectors.plan import get_plan_for_user
from samverkan.core import selectors as core_selectors
from samverkan.core.apikit import ContractRouter, Id
from samverkan.core.exports.xlsx import xlsx_response

router = ContractRouter(tags=["Åtgärdsplan"], operation_ids="samverkan_api_routers_actions_excel")


@router.get(
    "/collaborations/{collaboration_id}/action-plan.xlsx",
    response={200: None},
    summary="Åtgärdsplanen som Excel (XLSX)",
    description=(
        "Bladen Åtgärder, Uppföljningar och Indikatorer med det läsaren får läsa. Utan `plan` den plan som "
        "gäller i dag (annars den senaste). Samma format läses in igen av importen (raderna uppdateras via ID)."
    ),
)
def action_plan_xlsx(request: HttpRequest, collaboration_id: Id, plan: Id | None = None) -> HttpResponse:
    if plan is None:
        collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
        chosen = current_plan(request.user, collaboration)
    else:
        collaboration = core_selectors.get_collaboration_for_user(request.user, collaboration_id)
        chosen = get_plan_for_user(request.user, collaboration, plan)
    data = plan_sheet(chosen, user=request.user)
    return xlsx_response(excel.build_workbook(data), excel.export_filename(data, "xlsx"))
