from samverkan.core import registry


class ApiConfig(registry.SamverkanAppConfig):
    name = "samverkan.api"
    label = "api"
