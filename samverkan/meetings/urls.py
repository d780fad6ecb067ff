"""Meeting routes. Each view module owns its own urlpatterns (under samverkan/<collaboration_id>/)."""

from django.urls import URLPattern, URLResolver

from samverkan.meetings.views import calendar, meetings

app_name = "meetings"

urlpatterns: list[URLPattern | URLResolver] = [*meetings.urlpatterns, *calendar.urlpatterns]
