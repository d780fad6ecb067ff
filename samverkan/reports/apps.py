from samverkan.core import registry


class ReportsConfig(registry.SamverkanAppConfig):
    name = "samverkan.reports"
    label = "reports"
