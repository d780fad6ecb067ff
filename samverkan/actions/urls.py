"""Action plan routes. Each view module owns its own urlpatterns (under samverkan/<collaboration_id>/)."""

from samverkan.actions.views import actions, excel, indicators, plan, versions, workorders

app_name = "actions"

urlpatterns = (
    plan.urlpatterns
    + versions.urlpatterns
    + actions.urlpatterns
    + indicators.urlpatterns
    + workorders.urlpatterns
    + excel.urlpatterns
)
