"""Rating a period (``services/rating.py``: ``evaluation_rate``): the suggestion kept beside
the rater's choice, nobody but the rater rates (the regional administrator records the head of
region's rating of a JPT), a period outside the agency's rhythm refused, the year's credit
points for a functional position."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kinerja.core.models import AuditRecord
from kinerja.evaluations import services
from kinerja.skp import services as skp_services
from kinerja.skp.models import SkpState
from kinerja.skp.tests.factories import approved_plan, verified_realisation

from .support import WIB, annual_rated_at, jpt_plan

pytestmark = pytest.mark.django_db


def test_the_rating_keeps_the_suggestion_beside_the_raters_choice(cast):
    skp = approved_plan(cast)
    iki_count, iki_quality = skp.results.get().indicators.order_by("number")
    verified_realisation(iki=iki_count, period="2026-Q1", value="330", by=cast.employee)
    verified_realisation(iki=iki_quality, period="2026-Q1", value="85", by=cast.employee)
    services.self_assess(skp=skp, by=cast.employee, period="2026-Q1", text="Target tercapai")
    evaluation = services.evaluation_rate(
        skp=skp, by=cast.rater, period="2026-Q1", results_rating="meets", behaviour_rating="above"
    )
    # 1200 patients a year → 300 in a quarter: 330 → 110 %; 85 within 80–90 → 100 %;
    # mean 105 % → "meets" (above from 110)
    assert evaluation.suggestion["mean_pct"] == "105.00"
    assert evaluation.suggested_results == "meets"
    assert evaluation.predicate == "Baik"
    skp.refresh_from_db()
    assert skp.state == SkpState.EVALUATING
    with pytest.raises(ValidationError):
        services.self_assess(skp=skp, by=cast.employee, period="2026-Q1", text="Terlambat")


@pytest.mark.parametrize(
    "who", ["employee", "rater_superior", "colleague", "pengelola", "admin", "outsider"]
)
def test_nobody_but_the_rater_rates(cast, who):
    skp = approved_plan(cast)
    with pytest.raises(PermissionDenied):
        services.evaluation_rate(
            skp=skp,
            by=cast.users[who],
            period="2026-Q1",
            results_rating="meets",
            behaviour_rating="meets",
        )


def test_a_period_outside_the_agencys_rhythm_is_refused(cast):
    skp = approved_plan(cast)
    with pytest.raises(ValidationError) as error:
        services.evaluation_rate(
            skp=skp,
            by=cast.rater,
            period="2026-03",
            results_rating="meets",
            behaviour_rating="meets",
        )
    assert "period" in error.value.message_dict
    services.rhythm_set(agency=cast.dinkes, year=2026, rhythm="monthly", by=cast.pengelola)
    services.evaluation_rate(
        skp=skp, by=cast.rater, period="2026-03", results_rating="meets", behaviour_rating="meets"
    )


def test_the_annual_rating_gives_credit_points_to_a_functional_position(cast):
    evaluation = annual_rated_at(cast, datetime(2027, 1, 4, 9, tzinfo=WIB))
    # Perawat Terampil (coefficient 5), Butuh Perbaikan (75 %), 12 months → 3.75
    assert evaluation.credit_points == Decimal("3.75")
    assert evaluation.skp.state == SkpState.RATED


def test_the_head_of_regions_rating_of_a_jpt_is_recorded_by_the_regional_administrator(cast):
    skp = jpt_plan(cast)
    with pytest.raises(PermissionDenied):
        services.evaluation_rate(
            skp=skp,
            by=cast.head,
            period="2026-Q1",
            results_rating="above",
            behaviour_rating="above",
        )
    # the head of the agency heads its unit: the results follow the organisation predicate
    services.org_predicate_set(unit=skp.unit, period="2026-Q1", predicate="Istimewa", by=cast.admin)
    evaluation = services.evaluation_rate(
        skp=skp, by=cast.admin, period="2026-Q1", results_rating="above", behaviour_rating="above"
    )
    assert (evaluation.rated_by, evaluation.recorded_by) == (None, cast.admin)
    assert evaluation.predicate == "Sangat Baik"


# (the moment of rating TW I 2026, accepted?, recorded as late?) — open from 1 April, due 5 April
WINDOW = [
    (datetime(2026, 3, 31, 23, 59, tzinfo=WIB), False, None),
    (datetime(2026, 4, 1, 0, 0, tzinfo=WIB), True, None),
    (datetime(2026, 4, 5, 23, 59, tzinfo=WIB), True, None),
    (datetime(2026, 4, 6, 0, 0, tzinfo=WIB), True, True),  # never rated: still rated, late
]


@pytest.mark.parametrize(("when", "accepted", "late"), WINDOW)
def test_a_period_is_rated_once_open_and_late_when_past_its_deadline(cast, when, accepted, late):
    skp = approved_plan(cast)
    rate = {"skp": skp, "by": cast.rater, "period": "2026-Q1", "results_rating": "meets",
            "behaviour_rating": "meets", "now": when}  # fmt: skip
    if not accepted:
        with translation.override("en"), pytest.raises(ValidationError) as error:
            services.evaluation_rate(**rate)
        assert error.value.messages == [
            "TW I 2026 can be rated from 01/04/2026; the period ends on 31/03/2026."
        ]
        assert not hasattr(error.value, "error_dict")  # no field: a 409 in the API
        return
    services.evaluation_rate(**rate)
    assert AuditRecord.objects.filter(action="rate").get().after.get("late") == late


@pytest.mark.parametrize("annual_state", [SkpState.RATED, SkpState.OBJECTED, SkpState.FINAL])
def test_the_last_quarter_is_rated_after_the_annual_rating_and_the_plan_keeps_its_state(
    cast, annual_state
):
    # TW IV and the year open the same day (1 January): the annual rating may come first
    evaluation = annual_rated_at(cast, datetime(2027, 1, 4, 9, tzinfo=WIB))
    skp = evaluation.skp
    if annual_state != SkpState.RATED:
        skp_services.transition(skp, annual_state, cast.rater, "annual rating followed up")
    q4 = services.evaluation_rate(
        skp=skp, by=cast.rater, period="2026-Q4", results_rating="meets",
        behaviour_rating="meets", now=datetime(2027, 1, 5, 9, tzinfo=WIB),
    )  # fmt: skip
    skp.refresh_from_db()
    assert skp.state == annual_state
    # each month counted once: TW IV's 3 months Baik (1,25), the year's other 9 Butuh Perbaikan
    # (9 ÷ 12 × 75 % × 5 = 2,8125 → 2,81)
    assert (q4.credit_entry.months, q4.credit_entry.points) == (3, Decimal("1.25"))
    evaluation.refresh_from_db()
    assert (evaluation.credit_entry.months, evaluation.credit_entry.points) == (9, Decimal("2.81"))


def test_the_annual_rating_itself_is_given_once(cast):
    evaluation = annual_rated_at(cast, datetime(2027, 1, 4, 9, tzinfo=WIB))
    with pytest.raises(ValidationError):
        services.evaluation_rate(
            skp=evaluation.skp, by=cast.rater, period="2026", results_rating="meets",
            behaviour_rating="meets", now=datetime(2027, 1, 5, 9, tzinfo=WIB),
        )  # fmt: skip
