"""Regulation is data (docs/architecture.md, "Regulation is data: the rule tables"): every
year-versioned rule table is listed in the index with a reader that exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[3]  # the repository
INDEX = ROOT / "docs" / "architecture.md"
ROW = re.compile(r"^\| `(?P<table>\w+\.\w+)` \| `(?P<module>[\w/]+\.py):(?P<reader>\w+)` \| .+ \|$")


def _index() -> dict[str, tuple[str, str]]:
    rows = (ROW.match(line) for line in INDEX.read_text().splitlines())
    return {m["table"]: (m["module"], m["reader"]) for m in rows if m}


def _rule_tables() -> set[str]:
    return {
        f"{model._meta.app_label}.{model.__name__}"
        for model in apps.get_models()
        if model.__module__.startswith("kinerja.")
        and any(field.name == "valid_from" for field in model._meta.get_fields())
    }


def test_every_year_versioned_table_is_in_the_index_and_nothing_else_is():
    assert set(_index()) == _rule_tables()


def test_every_reader_named_in_the_index_exists():
    missing = []
    for table, (module, reader) in _index().items():
        path = ROOT / module
        tree = ast.parse(path.read_text()) if path.exists() else ast.Module(body=[])
        names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        if reader not in names:
            missing.append(f"{table}: {module}:{reader}")
    assert missing == []
