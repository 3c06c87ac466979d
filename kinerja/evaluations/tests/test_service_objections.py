"""Objections (``services/objections.py``): filed within 14 days, decided by the rater's
superior, then final; a late one refused with the date the period ended."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kinerja.evaluations import services
from kinerja.evaluations.models import EvaluationState
from kinerja.skp.models import SkpState

from .support import WIB, annual_rated_at

pytestmark = pytest.mark.django_db


def test_an_objection_within_14_days_is_decided_by_the_raters_superior_then_final(cast):
    received = datetime(2027, 1, 1, 9, tzinfo=WIB)  # the year 2026 is rated from 1 January
    evaluation = annual_rated_at(cast, received)
    objection = services.objection_file(
        evaluation=evaluation,
        by=cast.employee,
        reason="Realisasi Desember belum dihitung",
        now=received + timedelta(days=14),
    )
    with pytest.raises(PermissionDenied):
        services.objection_decide(objection=objection, by=cast.rater, outcome="upheld", reason="x")
    services.objection_decide(
        objection=objection,
        by=cast.rater_superior,
        outcome="changed",
        reason="Data Desember lengkap",
        results_rating="meets",
        behaviour_rating="meets",
    )
    evaluation.refresh_from_db()
    assert (evaluation.predicate, evaluation.state) == ("Baik", EvaluationState.FINAL)
    assert evaluation.credit_points == Decimal("5")
    assert evaluation.skp.state == SkpState.FINAL
    objection.refresh_from_db()
    assert objection.before["predicate"] == "Butuh Perbaikan"
    with pytest.raises(ValidationError):
        services.objection_decide(
            objection=objection, by=cast.rater_superior, outcome="upheld", reason="x"
        )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.objection_file(
            evaluation=evaluation, by=cast.employee, reason="Lagi", now=received
        )
    assert "already objected" in str(error.value)


def test_a_late_objection_is_refused_with_the_date_it_ended(cast):
    received = datetime(2027, 1, 1, 9, tzinfo=WIB)  # the year 2026 is rated from 1 January
    evaluation = annual_rated_at(cast, received)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.objection_file(
            evaluation=evaluation,
            by=cast.employee,
            reason="x",
            now=datetime(2027, 1, 16, 0, 0, tzinfo=WIB),
        )
    assert "15/01/2027" in str(error.value)
