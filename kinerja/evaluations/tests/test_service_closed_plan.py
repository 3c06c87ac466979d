"""A plan closed by a transfer keeps its state ("closed") through what follows its annual
rating — an objection, its decision, the annual closing — while its evaluation moves on
(rated → under objection → final)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from kinerja.evaluations import services
from kinerja.evaluations.models import EvaluationState
from kinerja.skp.models import SkpState

from .ledger_support import plan_from, rate, transfer
from .support import ANNUAL, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_and_rated(cast):
    old = plan_from(cast)
    transfer(cast, old, date(YEAR, 7, 15))
    return rate(cast, old, ANNUAL, "Butuh Perbaikan")


def test_an_objection_and_its_decision_leave_the_closed_plan_closed(cast, closed_and_rated):
    evaluation = closed_and_rated
    objection = services.objection_file(
        evaluation=evaluation, by=cast.employee, reason="Data Juli belum masuk"
    )
    evaluation.refresh_from_db()
    assert (evaluation.skp.state, evaluation.state) == (SkpState.CLOSED, EvaluationState.OBJECTED)
    services.objection_decide(
        objection=objection, by=cast.rater_superior, outcome="changed", reason="Data Juli masuk",
        results_rating="meets", behaviour_rating="meets",
    )  # fmt: skip
    evaluation.refresh_from_db()
    assert (evaluation.skp.state, evaluation.state) == (SkpState.CLOSED, EvaluationState.FINAL)
    assert evaluation.predicate == "Baik"


def test_the_annual_closing_makes_the_evaluation_final_and_leaves_the_plan_closed(
    cast, closed_and_rated
):
    evaluation = closed_and_rated
    later = evaluation.delivered_at + timedelta(days=30)
    services.annual_close(year=YEAR, by=cast.admin, now=max(later, timezone.now()))
    evaluation.refresh_from_db()
    assert (evaluation.skp.state, evaluation.state) == (SkpState.CLOSED, EvaluationState.FINAL)
