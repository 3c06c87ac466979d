"""Structural types for rows of the apps above core (and accounts), which the code below them
handles without importing their models: only what it reads of them is named here."""

from __future__ import annotations

from typing import Protocol


class Coded(Protocol):
    """A row known by its code: an agency, a unit, a stream."""

    @property
    def pk(self) -> int: ...

    @property
    def code(self) -> str: ...


class Person(Protocol):
    """An employee (:mod:`kinerja.organizations`), as far as core reads one."""

    @property
    def nip(self) -> str: ...
