from samverkan.core import registry


class AnalysisConfig(registry.SamverkanAppConfig):
    name = "samverkan.analysis"
    label = "analysis"
