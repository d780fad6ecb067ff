from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "samverkan.analysis"
    label = "analysis"
