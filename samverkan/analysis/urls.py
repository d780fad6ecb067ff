"""Analysis routes. Each view module owns its own urlpatterns (under samverkan/<collaboration_id>/problem/)."""

from samverkan.analysis.views import causes, problems

app_name = "analysis"

urlpatterns = problems.urlpatterns + causes.urlpatterns
