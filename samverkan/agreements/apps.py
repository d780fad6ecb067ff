from django.utils.translation import gettext_lazy as _

from samverkan.core import registry


class AgreementsConfig(registry.SamverkanAppConfig):
    name = "samverkan.agreements"
    verbose_name = _("Överenskommelser")
    label = "agreements"
    demo_loader = "samverkan.agreements.loaders.load_demo"
    home_panels = ("samverkan.agreements.panels.current_agreement",)
