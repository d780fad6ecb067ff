"""Meeting routes. Each view module owns its own urlpatterns (under samverkan/<collaboration_id>/)."""

from django.urls import URLPattern, URLResolver

from samverkan.meetings.views import agenda, mode

app_name = "meetings"

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += agenda.urlpatterns
urlpatterns += mode.urlpatterns
