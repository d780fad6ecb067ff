"""The floors of the layout hold (ARCHITECTURE.md): an app imports core and apps earlier in the cycle,
never a later one; views and API modules read through selectors, never around them."""

from __future__ import annotations

import ast
from pathlib import Path

import samverkan

PACKAGE = Path(samverkan.__file__).parent
# Bottom-up. The top floor (api, portal, bench) may import any app; nothing imports the top floor.
FLOORS = [
    "core",
    "agreements",
    "indicators",
    "situation",
    "analysis",
    "actions",
    "meetings",
    "surveys",
    "reports",
]
TOP = {"api", "portal", "bench"}


def python_files(app: str | None = None):
    root = PACKAGE / app if app else PACKAGE
    for path in sorted(root.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def sources(app: str | None = None) -> list[tuple[Path, str]]:
    """(path relative to the package, source) of every module, or of one app's."""
    return [(path.relative_to(PACKAGE), path.read_text()) for path in python_files(app)]


def imported_modules(source: str):
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "samverkan" else None


def upward_imports(files: list[tuple[Path, str]]) -> list[str]:
    found = []
    rank = {app: floor for floor, app in enumerate(FLOORS)}
    for relative, source in files:
        app = relative.parts[0]
        if app not in rank:
            continue
        for line, module in imported_modules(source):
            target = app_of(module)
            if target is None or target == app:
                continue
            if target in TOP or rank.get(target, len(FLOORS)) > rank[app]:
                found.append(f"{relative}:{line} imports {module}")
    return found


def test_no_app_imports_a_later_floor():
    assert upward_imports(sources()) == []


def test_the_floor_rule_can_fail():
    probe = [(Path("core/probe.py"), "from samverkan.situation import models\n")]
    assert upward_imports(probe) == ["core/probe.py:1 imports samverkan.situation"]


# --- Reads go through selectors -------------------------------------------------------------------------


def levelled_models() -> set[str]:
    from django.apps import apps

    from samverkan.core.models import ConfidentialContent

    return {m.__name__ for m in apps.get_models() if issubclass(m, ConfidentialContent)}


def is_read_layer(relative: Path) -> bool:
    """Views and API modules of every app: the places that must not scope or audit by hand."""
    parts = relative.parts
    return (
        parts[0] == "api"
        or any(part in ("views", "api") for part in parts[1:-1])
        or relative.name in ("views.py", "api.py")
    )


def hand_scoped_reads(files: list[tuple[Path, str]]) -> list[str]:
    levelled = levelled_models()
    found = []
    for relative, source in files:
        if not is_read_layer(relative):
            continue
        for node in ast.walk(ast.parse(source)):
            where = f"{relative}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Name) and node.id in ("get_object_or_404", "record_reads"):
                found.append(f"{where} uses {node.id}")
            elif (
                isinstance(node, ast.Attribute)
                and node.attr in ("objects", "_default_manager")
                and isinstance(node.value, ast.Name)
                and node.value.id in levelled
            ):
                found.append(f"{where} reads {node.value.id}.objects")
            elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "membership_roles":
                found.append(f"{where} filters by membership_roles")
    return sorted(found, key=lambda entry: (entry.split(":")[0], int(entry.split(":")[1].split()[0])))


def test_views_and_api_modules_read_only_through_selectors():
    assert hand_scoped_reads(sources()) == []


def test_the_read_rule_can_fail():
    probe = [
        (
            Path("situation/views/probe.py"),
            "from django.shortcuts import get_object_or_404\nfrom samverkan.core.models import Notice\n"
            "Notice.objects.all()\nget_object_or_404(Notice, pk=1)\n",
        )
    ]
    assert hand_scoped_reads(probe) == [
        "situation/views/probe.py:3 reads Notice.objects",
        "situation/views/probe.py:4 uses get_object_or_404",
    ]
