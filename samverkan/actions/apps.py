from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "samverkan.actions"
    label = "actions"
