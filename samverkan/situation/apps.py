from django.apps import AppConfig


class SituationConfig(AppConfig):
    name = "samverkan.situation"
    label = "situation"
