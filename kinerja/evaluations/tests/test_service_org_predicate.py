"""The organisation predicate (``services/org_predicate.py``: ``org_predicate_set``): set by
the leader above the unit, and the unit's curve warns when it is broken."""

import pytest
from django.core.exceptions import PermissionDenied

from kinerja.evaluations import services
from kinerja.evaluations.selectors import unit_curve
from kinerja.skp.tests.factories import approved_plan

pytestmark = pytest.mark.django_db


def test_the_unit_curve_warns_when_the_org_predicate_is_broken(cast):
    skp = approved_plan(cast)
    services.evaluation_rate(
        skp=skp, by=cast.rater, period="2026-Q1", results_rating="above", behaviour_rating="above"
    )
    unit = skp.unit
    with pytest.raises(PermissionDenied):
        services.org_predicate_set(
            unit=unit, period="2026-Q1", predicate="Kurang", by=cast.employee
        )
    services.org_predicate_set(
        unit=unit, period="2026-Q1", predicate="Kurang", by=cast.rater_superior
    )
    curve = unit_curve(unit, "2026-Q1")
    assert curve.counts == {"Sangat Baik": 1}
    assert {w.rule for w in curve.warnings} == {"max_pct", "min_pct"}
