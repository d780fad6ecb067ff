from samverkan.core import registry


class AgreementsConfig(registry.SamverkanAppConfig):
    name = "samverkan.agreements"
    label = "agreements"
    demo_loader = "samverkan.agreements.loaders.load_demo"
    home_panels = ("samverkan.agreements.panels.current_agreement",)
