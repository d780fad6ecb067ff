from django.utils.translation import gettext_lazy as _

from samverkan.core import registry


class CoreConfig(registry.SamverkanAppConfig):
    name = "samverkan.core"
    label = "core"
    verbose_name = _("Grunddata och samverkan")
    # Core's reference rows and demo are loaded by load_reference/load_demo themselves, before the apps'.
    bench_scenarios = "samverkan.core.bench_scenarios"
    home_panels = ("samverkan.core.panels.latest_notices",)
    retention_rules = "samverkan.core.retention.core_rules"

    def ready(self) -> None:
        from samverkan.core.publication import connect_signals

        connect_signals()
