from django.utils.translation import gettext_lazy as _

from samverkan.core import registry


class BenchConfig(registry.SamverkanAppConfig):
    """The benchmark harness: the ``samverkan bench`` command, its runner and data generator (no models)."""

    name = "samverkan.bench"
    verbose_name = _("Prestandamätning")
    label = "bench"
