from django.utils.translation import gettext_lazy as _

from samverkan.core import registry


class SituationConfig(registry.SamverkanAppConfig):
    name = "samverkan.situation"
    verbose_name = _("Lägesbild")
    label = "situation"
    reference_loader = "samverkan.situation.loaders.load_reference"
    demo_loader = "samverkan.situation.loaders.load_demo"
    bench_scenarios = "samverkan.situation.bench_scenarios"
    home_panels = ("samverkan.situation.panels.open_rounds", "samverkan.situation.panels.pictures_to_agree")
    retention_rules = "samverkan.situation.retention.rules"
