"""Statistics routes. Each view module owns its urlpatterns.

Per collaboration under samverkan/<collaboration_id>/statistik/ (indicators); the national imports under
statistik/importer/. The statistics map (statistik/karta/) shows members' events too: situation serves it.
"""

from samverkan.indicators.views import imports, indicators

app_name = "indicators"

urlpatterns = indicators.urlpatterns + imports.urlpatterns
