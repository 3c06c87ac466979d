"""Fixtures shared by the tests of core's pages."""

from __future__ import annotations

import pytest

from kinerja.core.notifications import notify


@pytest.fixture
def notes(cast):
    """The employee's notification (with a link) and two notifications of other people."""
    mine = notify(users=[cast.employee], title="Respon lambat", body="p90 28 menit", link="/x/")
    theirs = notify(users=[cast.colleague, cast.admin], title="Milik orang lain")
    return mine[0], theirs
