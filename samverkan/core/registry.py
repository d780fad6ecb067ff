"""What the apps above core contribute to it, declared on their AppConfig and read here.

Core is the ground floor and imports no app above it. An app that adds reference rows, demo content,
benchmark scenarios or panels on the collaboration home subclasses ``SamverkanAppConfig`` and names
them by dotted path (imported only when used, so declaring costs nothing at start-up)::

    class MeetingsConfig(registry.SamverkanAppConfig):
        name = "samverkan.meetings"
        label = "meetings"
        reference_loader = "samverkan.meetings.loaders.load_reference"
        demo_loader = "samverkan.meetings.loaders.load_demo"
        bench_scenarios = "samverkan.meetings.bench_scenarios"
        home_panels = ("samverkan.meetings.panels.next_meeting",)

The contracts:

- ``reference_loader``: ``() -> str | None``. Creates the app's shipped rows, idempotently; a text it
  returns joins the summary ``samverkan load_reference`` prints.
- ``demo_loader``: ``(DemoContext) -> None``. Adds the app's demo content, idempotently.
- ``bench_scenarios``: a module that registers scenarios with ``samverkan.core.bench.scenario``.
- ``home_panels``: functions ``(request, collaboration) -> samverkan.core.panels.Panel | None``.
- ``retention_rules``: ``() -> list[samverkan.core.retention.RetentionRule]`` (gallring).
- ``page_contributions``: ``(slot, dotted path)`` pairs: a later app's part of an earlier app's page
  (the earlier app must not import the later one). The page names a slot in its template with
  ``{% load contributions %}{% contributions "situation.picture_version.area" version=… area=… %}``;
  each function ``(request, **values) -> str`` returns safe HTML for that place, or "" (a reader without
  the right gets nothing, so the function checks permissions itself).

An apps.py imports the module (``from samverkan.core import registry``), not the class: Django takes
the one AppConfig subclass an apps.py defines, and an imported second one would make it choose none.

Apps are read in INSTALLED_APPS order (core, agreements, situation, …, indicators, …): loaders run in
that order, and panels are then placed by their cycle step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DemoContext:
    """What the core demo hands to each app's demo loader."""

    admin: Any  # the demo superuser
    # The first samordnare of each demo collaboration, by the collaboration's name.
    samordnare: dict[str, Any] = field(default_factory=dict)


class SamverkanAppConfig(AppConfig):
    """An app of Samverkan: what it contributes to the foundation (every attribute optional)."""

    reference_loader: ClassVar[str | None] = None
    demo_loader: ClassVar[str | None] = None
    bench_scenarios: ClassVar[str | None] = None
    home_panels: ClassVar[tuple[str, ...]] = ()
    retention_rules: ClassVar[str | None] = None
    page_contributions: ClassVar[tuple[tuple[str, str], ...]] = ()


def samverkan_apps() -> Iterator[SamverkanAppConfig]:
    """The installed Samverkan apps, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if isinstance(config, SamverkanAppConfig):
            yield config


def run_reference_loaders() -> list[str]:
    """Run every app's reference loader once, in app order; the summary texts they return."""
    texts = []
    for config in samverkan_apps():
        if config.reference_loader:
            text = import_string(config.reference_loader)()
            if text:
                texts.append(text)
    return texts


def run_demo_loaders(demo: DemoContext) -> None:
    """Run every app's demo loader once, in app order."""
    for config in samverkan_apps():
        if config.demo_loader:
            import_string(config.demo_loader)(demo)


def bench_scenario_modules() -> list[str]:
    """The modules that register benchmark scenarios, in app order."""
    return [config.bench_scenarios for config in samverkan_apps() if config.bench_scenarios]


def home_panel_functions() -> list[Callable[..., Any]]:
    """The functions that build panels of the collaboration home (``core.panels.PanelFunction``), in app
    order."""
    functions: list[Callable[..., Any]] = []
    for config in samverkan_apps():
        functions.extend(import_string(path) for path in config.home_panels)
    return functions


def page_contribution_functions(slot: str) -> list[Callable[..., Any]]:
    """The functions that draw into ``slot`` of an earlier app's page, in app order."""
    return [
        import_string(path)
        for config in samverkan_apps()
        for name, path in config.page_contributions
        if name == slot
    ]
