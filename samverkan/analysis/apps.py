from django.utils.translation import gettext_lazy as _

from samverkan.core import registry


class AnalysisConfig(registry.SamverkanAppConfig):
    name = "samverkan.analysis"
    verbose_name = _("Orsaksanalys")
    label = "analysis"
    demo_loader = "samverkan.analysis.loaders.load_demo"
