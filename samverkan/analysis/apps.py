from django.utils.translation import gettext_lazy as _

from samverkan.core import registry


class AnalysisConfig(registry.SamverkanAppConfig):
    name = "samverkan.analysis"
    verbose_name = _("Orsaksanalys")
    label = "analysis"
    demo_loader = "samverkan.analysis.loaders.load_demo"
    # "Lyft som problem" beside each area of an agreed joint picture (situation may not import analysis).
    page_contributions = (
        ("situation.picture_version.area", "samverkan.analysis.contributions.raise_from_picture_area"),
    )
