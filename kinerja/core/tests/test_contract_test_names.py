"""Tests mirror the surface (docs/architecture.md, "Tests"): a newcomer finds the test of any
page by its URL name, of any API endpoint by its function, of any command by its name — and
every test module says by its name what kind of thing it tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import get_commands
from django.urls import URLPattern, URLResolver, get_resolver

from kinerja.api import api

ROOT = Path(__file__).resolve().parents[2]  # the kinerja package
APPS = sorted(p.parent.name for p in ROOT.glob("*/apps.py"))

#: What a test module may be about, after ``test_``.
KINDS = (
    "view",  # a page, by URL name: test_view_<url name>.py
    "endpoint",  # an API endpoint, by function: test_endpoint_<function>.py
    "service",  # operations: test_service_<operation or noun>.py
    "command",  # a management command: test_command_<command>.py
    "browser",  # a user journey in Chromium: test_browser_<journey>.py
    "rules",  # a regulation table or rule, row by row: test_rules_<rule>.py
    "selector",  # reads shared by pages: test_selector_<name>.py
    "model",  # a model's invariants and doors: test_model_<model>.py
    "lib",  # a building block (formula, NIP, numbers, periods, …): test_lib_<module>.py
    "contract",  # a rule about the whole code base: test_contract_<rule>.py
)
NAME = re.compile(rf"^test_({'|'.join(KINDS)})_[a-z0-9_]+\.py$")


def _test_modules() -> list[Path]:
    return sorted(ROOT.glob("*/tests/**/test_*.py"))


def _url_names() -> dict[str, set[str]]:
    """App → the names of its pages' URLs: the app is the URL's namespace (one per app), or
    for a URL outside any namespace the app of its view. The API is counted by endpoint."""
    names: dict[str, set[str]] = {}

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "api":
                    walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                module = pattern.callback.__module__.split(".")
                if module[0] == "kinerja":
                    names.setdefault(namespace or module[1], set()).add(pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def _endpoints() -> dict[str, set[str]]:
    """App → the functions of its API endpoints."""
    found: dict[str, set[str]] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                module = operation.view_func.__module__.split(".")
                found.setdefault(module[1], set()).add(operation.view_func.__name__)
    return found


def _commands() -> dict[str, set[str]]:
    """App → its management commands."""
    found: dict[str, set[str]] = {}
    for command, app in get_commands().items():
        if app.startswith("kinerja."):
            found.setdefault(app.split(".")[1], set()).add(command)
    return found


def _missing(expected: dict[str, set[str]], kind: str) -> list[str]:
    return sorted(
        f"kinerja/{app}/tests/test_{kind}_{name}.py"
        for app, names in expected.items()
        for name in names
        if not (ROOT / app / "tests" / f"test_{kind}_{name}.py").exists()
    )


def test_every_test_module_is_named_after_the_kind_of_thing_it_tests():
    assert [str(p.relative_to(ROOT)) for p in _test_modules() if not NAME.match(p.name)] == []


def test_every_page_has_a_test_module_named_after_its_url_name():
    assert _missing(_url_names(), "view") == []


def test_every_endpoint_has_a_test_module_named_after_its_function():
    assert _missing(_endpoints(), "endpoint") == []


def test_every_command_has_a_test_module_named_after_it():
    assert _missing(_commands(), "command") == []


@pytest.mark.parametrize("kind", ["view", "endpoint", "command"])
def test_no_test_module_names_a_page_endpoint_or_command_that_does_not_exist(kind):
    known = {"view": _url_names(), "endpoint": _endpoints(), "command": _commands()}[kind]
    stale = [
        str(p.relative_to(ROOT))
        for p in _test_modules()
        if p.name.startswith(f"test_{kind}_")
        and p.stem.removeprefix(f"test_{kind}_") not in known.get(p.parents[1].name, set())
        and not p.stem.removeprefix(f"test_{kind}_").startswith(
            tuple(f"{n}_" for n in known.get(p.parents[1].name, set()))
        )
    ]
    assert stale == []
