"""Meeting routes. Each view module owns its own urlpatterns (under samverkan/<collaboration_id>/)."""

from django.urls import URLPattern, URLResolver

from samverkan.meetings.views import agenda, justering, minutes, mode, publishing

app_name = "meetings"

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += agenda.urlpatterns
urlpatterns += mode.urlpatterns
# Minutes, justering and publishing.
urlpatterns += minutes.urlpatterns + justering.urlpatterns + publishing.urlpatterns
