"""Production installs are reproducible: ``requirements.lock`` (pip-compile with hashes, see
docs/operations.md) pins every runtime dependency of ``pyproject.toml`` — and what they need —
to one version inside the declared range, each with its hashes, so that ``pip install
--require-hashes -r requirements.lock`` installs exactly what was tested."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[3]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)")


def pins() -> dict[str, tuple[str, int]]:
    """Each pinned package of the lock file: its version and how many hashes it carries."""
    found: dict[str, tuple[str, int]] = {}
    current = None
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match[1])
            found[current] = (match[2], 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[current]
            found[current] = (version, hashes + 1)
    return found


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(text) for text in project["dependencies"]]


def test_every_runtime_dependency_is_pinned_inside_its_range():
    locked = pins()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in requirements.lock: run pip-compile"
        version, _hashes = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}=={version} is outside {requirement.specifier}: run pip-compile"
        )


def test_every_pinned_package_carries_its_hashes():
    locked = pins()
    assert len(locked) >= len(declared())
    assert all(hashes >= 1 for _version, hashes in locked.values()), [
        name for name, (_v, hashes) in locked.items() if hashes < 1
    ]
