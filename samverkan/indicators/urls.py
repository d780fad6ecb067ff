"""Statistics routes. Each view module owns its urlpatterns.

Per collaboration under samverkan/<collaboration_id>/statistik/ (indicators, maps); the national
imports under statistik/importer/.
"""

from samverkan.indicators.views import imports, indicators, maps

app_name = "indicators"

urlpatterns = indicators.urlpatterns + maps.urlpatterns + imports.urlpatterns
