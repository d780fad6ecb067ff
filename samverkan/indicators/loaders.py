"""The indicators' reference rows and demo statistics, run by core through the app registry."""

from __future__ import annotations

import logging

from samverkan.core.registry import DemoContext
from samverkan.indicators.defaults import ensure_police_indicators, ensure_type_mappings
from samverkan.indicators.demo import load_demo_statistics

logger = logging.getLogger(__name__)


def load_reference() -> None:
    """The police event type mappings and the police indicators (idempotent)."""
    ensure_type_mappings()
    ensure_police_indicators()


def load_demo(demo: DemoContext) -> None:
    """Real open data for the demo kommuner and a few invented series; each import is logged."""
    for note in load_demo_statistics(demo.admin):
        logger.info("Demostatistik: %s", note)
