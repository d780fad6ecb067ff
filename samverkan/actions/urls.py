"""Action routes. Each view module owns its own urlpatterns (under samverkan/<collaboration_id>/)."""

from samverkan.actions.views import followup, trace

app_name = "actions"

urlpatterns = followup.urlpatterns + trace.urlpatterns
