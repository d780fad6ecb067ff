from samverkan.core import registry


class IndicatorsConfig(registry.SamverkanAppConfig):
    name = "samverkan.indicators"
    label = "indicators"
    reference_loader = "samverkan.indicators.loaders.load_reference"
    demo_loader = "samverkan.indicators.loaders.load_demo"
    bench_scenarios = "samverkan.indicators.bench_scenarios"
