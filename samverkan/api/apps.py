from django.utils.translation import gettext_lazy as _

from samverkan.core import registry


class ApiConfig(registry.SamverkanAppConfig):
    name = "samverkan.api"
    verbose_name = _("API")
    label = "api"
