from samverkan.core import registry


class BenchConfig(registry.SamverkanAppConfig):
    """The benchmark harness: the ``samverkan bench`` command, its runner and data generator (no models)."""

    name = "samverkan.bench"
    label = "bench"
