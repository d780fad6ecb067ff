"""The lägesbild's reference rows and demo content, run by core through the app registry."""

from __future__ import annotations

from samverkan.core.registry import DemoContext
from samverkan.situation.defaults import ensure_default_template, ensure_event_categories
from samverkan.situation.demo import load_demo_situation


def load_reference() -> str:
    """The shipped template and event categories (idempotent); the template's name for the summary."""
    template = ensure_default_template()
    ensure_event_categories()
    return f"lägesbildsmall: {template}"


def load_demo(demo: DemoContext) -> None:
    """A year of rounds, reports and events in the demo collaborations."""
    load_demo_situation(demo.samordnare)
