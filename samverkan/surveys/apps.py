from samverkan.core import registry


class SurveysConfig(registry.SamverkanAppConfig):
    name = "samverkan.surveys"
    label = "surveys"
