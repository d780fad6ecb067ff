from samverkan.core import registry


class ActionsConfig(registry.SamverkanAppConfig):
    name = "samverkan.actions"
    label = "actions"
