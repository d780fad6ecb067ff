from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "samverkan.portal"
    label = "portal"
