"""Lägesbild routes. Each view module owns its urlpatterns (under samverkan/<collaboration_id>/lagesbild/;
the statistics map, which shows the members' events, under samverkan/<collaboration_id>/statistik/karta/)."""

from samverkan.situation.views import events, picture, reports, rounds, statistics_map, templates

app_name = "situation"

urlpatterns = (
    rounds.urlpatterns
    + reports.urlpatterns
    + templates.urlpatterns
    + events.urlpatterns
    + picture.urlpatterns
    + statistics_map.urlpatterns
)
