from django.utils.translation import gettext_lazy as _

from samverkan.core import registry


class SurveysConfig(registry.SamverkanAppConfig):
    name = "samverkan.surveys"
    verbose_name = _("Medborgarenkäter")
    label = "surveys"
