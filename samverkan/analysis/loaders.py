"""The analysis app's demo content, run by core through the app registry."""

from __future__ import annotations

from samverkan.analysis.demo import load_demo_analysis
from samverkan.core.registry import DemoContext


def load_demo(demo: DemoContext) -> None:
    """Älvdalen's two problems raised from its agreed joint picture, each with a cause analysis."""
    load_demo_analysis(demo.samordnare)
