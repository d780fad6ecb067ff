"""Lägesbild pages. Each view module owns its urlpatterns (under samverkan/<collaboration_id>/lagesbild/)."""
