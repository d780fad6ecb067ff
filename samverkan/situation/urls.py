"""Lägesbild routes. Each view module owns its urlpatterns (under samverkan/<collaboration_id>/lagesbild/)."""

from samverkan.situation.views import events, picture, reports, rounds, templates

app_name = "situation"

urlpatterns = (
    rounds.urlpatterns
    + reports.urlpatterns
    + templates.urlpatterns
    + events.urlpatterns
    + picture.urlpatterns
)
