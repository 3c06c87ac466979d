"""The shape of the code (docs/architecture.md): small modules, small functions, no import of
another part of Kinerja hidden inside a function. The layers themselves are import-linter's
contract (`pyproject.toml`), run by `make test`."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the kinerja package
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60


def _source_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not {"migrations", "tests", "testing"} & set(path.relative_to(ROOT).parts)
        and path.name != "conftest.py"
    )


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT.parent))


MODULES = _source_modules()


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def test_no_source_module_is_over_600_lines():
    long = {
        _name(p): n for p in MODULES if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_60_lines():
    long = {}
    for path in MODULES:
        for node in _functions(ast.parse(path.read_text())):
            key = f"{_name(path)}:{node.name}"
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                long[key] = length
    assert long == {}


def _imports_inside_functions(tree: ast.AST):
    for function in _functions(tree):
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield node.module, node.lineno
            elif isinstance(node, ast.ImportFrom) and node.level:
                yield "." * node.level + (node.module or ""), node.lineno
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield alias.name, node.lineno


def test_no_part_of_kinerja_is_imported_inside_a_function():
    hidden = [
        f"{_name(path)}:{line} imports {module}"
        for path in MODULES
        for module, line in _imports_inside_functions(ast.parse(path.read_text()))
        if module.startswith(("kinerja", "."))
    ]
    assert hidden == []
