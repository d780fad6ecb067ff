"""Meeting routes. Each view module owns its own urlpatterns (under samverkan/<collaboration_id>/)."""

from django.urls import URLPattern, URLResolver

app_name = "meetings"

urlpatterns: list[URLPattern | URLResolver] = []

# Minutes, justering and publishing (meetminutes).
from samverkan.meetings.views import justering, minutes, publishing  # noqa: E402

urlpatterns += minutes.urlpatterns + justering.urlpatterns + publishing.urlpatterns
