from django.utils.translation import gettext_lazy as _

from samverkan.core import registry


class IndicatorsConfig(registry.SamverkanAppConfig):
    name = "samverkan.indicators"
    verbose_name = _("Statistik")
    label = "indicators"
    reference_loader = "samverkan.indicators.loaders.load_reference"
    demo_loader = "samverkan.indicators.loaders.load_demo"
    bench_scenarios = "samverkan.indicators.bench_scenarios"
