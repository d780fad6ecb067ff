"""The app registry: core runs what the apps above it declare, each once, in app order, importing none."""

from __future__ import annotations

import ast
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from samverkan.core import registry
from samverkan.core.demo import ADMIN_EMAIL, DEMO_COLLABORATIONS, load_demo

CORE = Path(registry.__file__).parent


@pytest.fixture
def calls(monkeypatch):
    """Replace every app's reference and demo loader by one that records its call."""
    made: list[tuple[str, object]] = []

    def recorder(name, result=None):
        def record(*args):
            made.append((name, *args))
            return result

        return record

    monkeypatch.setattr("samverkan.situation.loaders.load_reference", recorder("situation", "mall X"))
    monkeypatch.setattr("samverkan.indicators.loaders.load_reference", recorder("indicators"))
    for app in ("agreements", "situation", "indicators"):
        monkeypatch.setattr(f"samverkan.{app}.loaders.load_demo", recorder(f"{app} demo"))
    return made


def test_apps_are_read_in_installed_apps_order():
    labels = [config.label for config in registry.samverkan_apps()]
    names = [
        name.removeprefix("samverkan.") for name in settings.INSTALLED_APPS if name.startswith("samverkan.")
    ]
    assert labels == names
    # The floors' order: statistics below the lägesbild that reads them.
    assert labels[:4] == ["core", "agreements", "indicators", "situation"]
    assert registry.bench_scenario_modules() == [
        "samverkan.core.bench_scenarios",
        "samverkan.indicators.bench_scenarios",
        "samverkan.situation.bench_scenarios",
        "samverkan.actions.bench_followup",
        "samverkan.meetings.bench_scenarios",
        "samverkan.reports.bench_scenarios",
        "samverkan.portal.bench_scenarios",
    ]


@pytest.mark.django_db
def test_load_reference_runs_core_then_each_app_once_in_order(calls):
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert calls == [("indicators",), ("situation",)]
    assert re.fullmatch(
        r"21 län, 290 kommuner, \d+ polisregioner; \d+ nya polisområden; mall X\.\n", out.getvalue()
    )


@pytest.mark.django_db
def test_load_reference_prints_the_same_summary_as_before():
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert re.fullmatch(
        r"21 län, 290 kommuner, \d+ polisregioner; \d+ nya polisområden; lägesbildsmall: .+ \(v\d+\)\.\n",
        out.getvalue(),
    )


@pytest.mark.django_db
def test_demo_runs_the_apps_reference_then_demo_loaders_once_in_order(calls, monkeypatch, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("SAMVERKAN_DEMO_PASSWORD", "demo-losenord-123")
    load_demo()
    assert [call[0] for call in calls] == [
        "indicators",
        "situation",
        "agreements demo",
        "indicators demo",
        "situation demo",
    ]
    demos = [call[1] for call in calls[2:]]
    assert demos[0] is demos[1] is demos[2]  # one context, shared
    context = demos[0]
    assert isinstance(context, registry.DemoContext)
    assert context.admin.email == ADMIN_EMAIL
    assert set(context.samordnare) == {spec.name for spec in DEMO_COLLABORATIONS}
    assert context.samordnare["Malå kommun och LPO Skellefteå"].email == "karin.lindqvist@mala.example.org"
    # The county reader comes after the apps' content, as before.
    assert get_user_model().objects.order_by("-pk").first().email == "sara.dahl@lansstyrelsen.example.org"


def test_core_imports_no_app_above_it():
    """The ground floor: core's modules import core, Django and libraries, never another Samverkan app."""
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name.startswith("samverkan.") and not re.match(r"samverkan\.core(\.|$)", name):
                    offenders.append(f"{path.relative_to(CORE)}:{node.lineno} {name}")
    assert offenders == []
