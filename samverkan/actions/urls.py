"""Action plan routes. Each view module owns its own urlpatterns (under samverkan/<collaboration_id>/)."""

from samverkan.actions.views import actions, excel, followup, indicators, plan, trace, versions, workorders

app_name = "actions"

urlpatterns = (
    plan.urlpatterns
    + versions.urlpatterns
    + actions.urlpatterns
    + indicators.urlpatterns
    + workorders.urlpatterns
    + followup.urlpatterns
    + trace.urlpatterns
    + excel.urlpatterns
)
