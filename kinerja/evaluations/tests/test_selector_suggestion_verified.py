"""The suggestion uses only verified values (``selectors.suggestion_for``): a value awaiting
verification or returned is listed without an achievement and moves nothing."""

from __future__ import annotations

import pytest

from kinerja.core.periods import parse_period
from kinerja.evaluations.selectors import suggestion_for
from kinerja.skp import services as skp_services
from kinerja.skp.tests.factories import verified_realisation

from .support import Q1, plan

pytestmark = pytest.mark.django_db


def _plan_with_a_low_value(cast, decision):
    """The count verified at 330 (110 %); the quality at 0 (far below 80–90), awaiting
    verification (``decision`` None), returned (False) or verified (True)."""
    skp = plan(cast)
    count, quality = skp.results.get().indicators.order_by("number")
    verified_realisation(iki=count, period=Q1, value="330", by=cast.employee)
    low = skp_services.realisation_record(iki=quality, period=Q1, value="0", by=cast.employee)
    if decision is not None:
        skp_services.realisation_verify(
            realisation=low, by=cast.rater, accept=decision, note="Nol?"
        )
    return skp, quality


@pytest.mark.parametrize("decision", [None, False])
def test_an_unverified_value_is_not_used(cast, decision):
    skp, quality = _plan_with_a_low_value(cast, decision)
    suggestion = suggestion_for(skp, parse_period(Q1), viewer=cast.rater)
    detail = next(d for d in suggestion["indicators_detail"] if d["iki"] == quality.pk)
    assert (detail["value"], detail["achievement"]) == ("0.0000", None)
    assert suggestion["mean_pct"] == "110.00"  # the count alone


def test_a_verified_value_is_used(cast):
    skp, quality = _plan_with_a_low_value(cast, True)
    suggestion = suggestion_for(skp, parse_period(Q1), viewer=cast.rater)
    detail = next(d for d in suggestion["indicators_detail"] if d["iki"] == quality.pk)
    assert detail["achievement"] is not None
    assert suggestion["mean_pct"] != "110.00"
