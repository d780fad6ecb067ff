"""Meeting routes. Each view module owns its own urlpatterns (under samverkan/<collaboration_id>/)."""

from django.urls import URLPattern, URLResolver

from samverkan.meetings.views import agenda, calendar, justering, meetings, minutes, mode, publishing

app_name = "meetings"

urlpatterns: list[URLPattern | URLResolver] = [
    *meetings.urlpatterns,
    *calendar.urlpatterns,
    *agenda.urlpatterns,
    *mode.urlpatterns,
    # Minutes, justering and publishing.
    *minutes.urlpatterns,
    *justering.urlpatterns,
    *publishing.urlpatterns,
]
