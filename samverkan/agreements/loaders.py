"""The agreements' demo content, run by core through the app registry."""

from __future__ import annotations

from samverkan.agreements.demo import load_demo_agreements
from samverkan.core.registry import DemoContext


def load_demo(demo: DemoContext) -> None:
    """The demo collaborations' agreements, groups and citizen promises."""
    load_demo_agreements(demo.samordnare)
