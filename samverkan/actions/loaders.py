"""The action plans' demo content, run by core through the app registry (after the analysis demo)."""

from __future__ import annotations

from samverkan.core.registry import DemoContext


def load_demo(demo: DemoContext) -> None:
    """Malå's 2020–2022 plan with its follow-ups, and Älvdalen's plan tied to its analysed causes."""
    from samverkan.actions.demo import load_demo_plans

    load_demo_plans(demo.samordnare)
