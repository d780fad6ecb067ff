from samverkan.core import registry


class PortalConfig(registry.SamverkanAppConfig):
    name = "samverkan.portal"
    label = "portal"
