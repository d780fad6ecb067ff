"""Agreement routes. Each view module owns its own urlpatterns (under samverkan/<collaboration_id>/)."""

from samverkan.agreements.views import agreement, groups, promises

app_name = "agreements"

urlpatterns = agreement.urlpatterns + groups.urlpatterns + promises.urlpatterns
