"""POST /api/v1/skp/{id}/evaluations (``evaluation_create``): the rater rates a period and
gets the quadrant's predicate, the suggestion from measured achievement beside the choice, the
year's credit points and objection deadline, the curve's warnings; a period rated twice, a plan
not approved and bad input refused; only the rater rates; those who cannot see the plan get not
found (the rating and its reading), anonymous callers are asked to authenticate."""

from decimal import Decimal

import pytest
from django.utils import timezone

from kinerja.evaluations import services
from kinerja.evaluations.models import Evaluation
from kinerja.skp.models import Skp, SkpState
from kinerja.skp.tests.api_support import fields
from kinerja.skp.tests.factories import approved_plan, verified_realisation

from .api_support import rate
from .support import ANNUAL, YEAR

pytestmark = pytest.mark.django_db


# (…, credit points of the quarter for a Terampil: 3 months × percent × 5 ÷ 12, the ledger)
@pytest.mark.parametrize(
    ("results", "behaviour", "predicate", "points"),
    [
        ("above", "above", "Sangat Baik", 1.88),  # 1.875
        ("meets", "above", "Baik", 1.25),
        ("below", "meets", "Butuh Perbaikan", 0.94),  # 0.9375
        ("above", "below", "Kurang/Misconduct", 0.63),  # 0.625
        ("below", "below", "Sangat Kurang", 0.31),  # 0.3125
    ],
)
def test_the_rater_rates_a_quarter_and_gets_the_quadrants_predicate(
    api, cast, plan, results, behaviour, predicate, points
):
    response = rate(api, cast.rater, plan, results=results, behaviour=behaviour)
    assert response.status_code == 201, response.content
    evaluation = response.json()
    assert (evaluation["period"], evaluation["predicate"], evaluation["state"]) == (
        "2026-Q1",
        predicate,
        "rated",
    )
    assert (evaluation["results_rating"], evaluation["behaviour_rating"]) == (results, behaviour)
    assert evaluation["annual"] is False
    assert (evaluation["months"], evaluation["credit_points"]) == (3, points)
    assert evaluation["objection_deadline"] is None and evaluation["objection"] is None
    assert evaluation["rated_by"] == cast.employees["rater"].nip
    assert evaluation["curve_warnings"] == []
    assert Skp.objects.get(pk=plan.pk).state == SkpState.EVALUATING
    shown = api.get(cast.employee, f"/api/v1/skp/{plan.pk}").json()["evaluations"]
    assert shown == [
        {"id": evaluation["id"], "period": "2026-Q1", "predicate": predicate, "state": "rated"}
    ]


def test_the_suggestion_from_measured_achievement_is_kept_beside_the_choice(api, cast, plan):

    count_iki, quality = plan.results.get().indicators.order_by("number")
    verified_realisation(iki=count_iki, period="2026-Q1", value="330", by=cast.employee)
    verified_realisation(iki=quality, period="2026-Q1", value="85", by=cast.employee)
    evaluation = rate(api, cast.rater, plan, results="above", behaviour="meets").json()
    assert evaluation["suggested_results_rating"] == "meets"
    assert evaluation["suggestion"]["mean_pct"] == "105.00"
    assert evaluation["results_rating"] == "above"


def test_the_annual_rating_gives_credit_points_and_an_objection_deadline(api, cast):
    plan = approved_plan(cast, year=YEAR)  # last year's: the year is open for rating
    response = rate(api, cast.rater, plan, period=ANNUAL)
    assert response.status_code == 201, response.content
    evaluation = response.json()
    assert (evaluation["annual"], evaluation["predicate"], evaluation["months"]) == (
        True,
        "Baik",
        12,
    )
    # Perawat Terampil: coefficient 5, Baik 100 %, 12 months
    assert evaluation["credit_points"] == 5
    assert evaluation["objection_deadline"] is not None
    assert Skp.objects.get(pk=plan.pk).state == SkpState.RATED
    assert Evaluation.objects.get().credit_points == Decimal("5")


def test_the_curve_warns_the_rater_without_blocking(api, cast, plan):
    services.org_predicate_set(
        unit=plan.unit, period="2026-Q1", predicate="Kurang", by=cast.rater_superior
    )
    response = rate(api, cast.rater, plan, results="above", behaviour="above")
    assert response.status_code == 201
    warnings = response.json()["curve_warnings"]
    assert "At most 10 % may be Sangat Baik (now 100.0 %)." in warnings
    assert Evaluation.objects.get().predicate == "Sangat Baik"


def test_a_period_already_rated_is_a_conflict(api, cast, plan):
    assert rate(api, cast.rater, plan).status_code == 201
    response = rate(api, cast.rater, plan, period="2026-q1", results="above")
    assert response.status_code == 409
    assert response.json()["error"] == "TW I 2026 is already rated."
    assert Evaluation.objects.get().results_rating == "meets"


def test_a_plan_that_is_not_approved_cannot_be_rated(api, cast):
    from kinerja.skp import services as skp_services

    draft = skp_services.skp_create(
        employee=cast.employees["employee"], year=2026, by=cast.employee
    )
    response = rate(api, cast.rater, draft)
    assert response.status_code == 409
    assert "an approved plan is rated" in response.json()["error"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period": "2026-Q5"}, "period"),
        ({"period": "Q1-2026"}, "period"),
        ({"period": "2025-Q1"}, "period"),
        ({"period": "2026-03"}, "period"),  # DINKES evaluates quarterly
        ({"period": "2026\x00"}, "period"),
        ({"period": None}, "period"),
        ({"results": "excellent"}, "results_rating"),
        ({"behaviour": ""}, "behaviour_rating"),
        ({"note": "Bagus\x00"}, "note"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(api, cast, plan, changes, field):
    response = rate(api, cast.rater, plan, **changes)
    assert response.status_code == 422, response.content
    assert fields(response) == [field]
    assert not Evaluation.objects.exists()
    assert Skp.objects.get(pk=plan.pk).state == SkpState.APPROVED


def test_the_employee_never_rates_their_own_plan(api, cast, plan):
    response = rate(api, cast.employee, plan)
    assert response.status_code == 403
    assert response.json()["error"] == "Only the plan's rater rates it."
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("who", ["rater_superior", "head", "pengelola", "admin", "auditor"])
def test_only_the_rater_rates(api, cast, plan, who):
    assert rate(api, cast.users[who], plan).status_code == 403


@pytest.mark.parametrize("who", ["outsider", "colleague", "other_head"])
def test_those_who_cannot_see_the_plan_get_not_found(api, cast, plan, who):
    assert rate(api, cast.users[who], plan).status_code == 404
    evaluation = rate(api, cast.rater, plan).json()
    response = api.get(cast.users[who], f"/api/v1/evaluations/{evaluation['id']}")
    assert response.status_code == 404
    assert response.json() == {"error": "Evaluation not found."}


def test_anonymous_is_asked_to_authenticate(api, cast, plan):
    assert rate(api, None, plan).status_code == 401
    assert api.get(None, "/api/v1/evaluations/1").status_code == 401


def test_a_unit_heads_other_results_rating_is_a_422_naming_the_rule(api, cast):
    from kinerja.skp.tests.factories import approved_plan

    head_plan = approved_plan(cast, "rater")
    services.org_predicate_set(
        unit=head_plan.unit, period="2026-Q1", predicate="Baik", by=cast.rater_superior
    )
    response = rate(api, cast.rater_superior, head_plan, results="above")
    assert response.status_code == 422
    assert fields(response) == ["results_rating"]
    assert "organisation predicate Baik" in response.content.decode()
    response = rate(api, cast.rater_superior, head_plan, results="meets")
    assert response.status_code == 201
    assert response.json()["results_rating"] == "meets"


def test_a_unit_head_without_the_units_organisation_predicate_is_a_409(api, cast):
    from kinerja.skp.tests.factories import approved_plan

    head_plan = approved_plan(cast, "rater")
    response = rate(api, cast.rater_superior, head_plan, results="meets")
    assert response.status_code == 409
    assert response.json() == {
        "error": "Set the organisation predicate of UPTD Puskesmas Plaju for TW I 2026 first."
    }


# --- Too early: a period is rated once it has ended (evaluations.lifecycle) ----------------------


def test_the_year_still_running_is_refused_with_the_day_it_opens_and_ends(api, cast):
    this_year = timezone.localdate().year  # its annual rating opens on 1 January next
    plan = approved_plan(cast, year=this_year)
    response = rate(api, cast.rater, plan, period=str(this_year))
    assert response.status_code == 409, response.content
    assert response.json() == {
        "error": f"{this_year} can be rated from 01/01/{this_year + 1}; "
        f"the period ends on 31/12/{this_year}."
    }
    assert not Evaluation.objects.exists()
    assert Skp.objects.get(pk=plan.pk).state == SkpState.APPROVED


def test_a_quarter_still_running_is_refused_with_409_not_422(api, cast):
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    plan = approved_plan(cast, year=today.year)
    response = rate(api, cast.rater, plan, period=f"{today.year}-Q{quarter}")
    assert response.status_code == 409, response.content
    assert "can be rated from" in response.json()["error"]
    assert not Evaluation.objects.exists()
