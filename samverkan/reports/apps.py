from django.utils.translation import gettext_lazy as _

from samverkan.core import registry


class ReportsConfig(registry.SamverkanAppConfig):
    name = "samverkan.reports"
    verbose_name = _("Uppföljning och utvärdering")
    label = "reports"
    demo_loader = "samverkan.reports.demo.load_demo"
    bench_scenarios = "samverkan.reports.bench_scenarios"
    home_panels = ("samverkan.reports.panels.latest_evaluation",)
