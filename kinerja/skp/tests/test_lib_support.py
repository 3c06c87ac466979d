"""The sample plans the page tests build through the services (``tests/support.py``) read
as intended."""

from __future__ import annotations

import pytest

from kinerja.skp.models import SkpState

from .support import approved

pytestmark = pytest.mark.django_db


def test_the_sample_plan_is_approved_with_two_indicators_per_result(cast):
    skp = approved(cast, results=2)
    assert skp.state == SkpState.APPROVED
    assert skp.rater == cast.employees["rater"]
    assert [r.indicators.count() for r in skp.results.all()] == [2, 2]
