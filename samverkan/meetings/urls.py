"""Meeting routes. Each view module owns its own urlpatterns (under samverkan/<collaboration_id>/)."""

from django.urls import URLPattern, URLResolver

app_name = "meetings"

urlpatterns: list[URLPattern | URLResolver] = []
