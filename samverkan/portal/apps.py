from django.utils.translation import gettext_lazy as _

from samverkan.core import registry


class PortalConfig(registry.SamverkanAppConfig):
    name = "samverkan.portal"
    verbose_name = _("Offentliga sidor")
    label = "portal"
    bench_scenarios = "samverkan.portal.bench_scenarios"
