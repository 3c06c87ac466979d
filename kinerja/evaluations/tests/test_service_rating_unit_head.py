"""The unit head's results rating (``services/rating.py:evaluation_rate`` through
``selectors.head_results_required``): for a plan whose employee heads the plan's unit, the
results rating IS the one the year's table maps the unit's organisation predicate of the period
to (default Istimewa → above, Baik → meets, otherwise below); another one is refused on
``results_rating`` with the rule, and no organisation predicate yet is a conflict."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kinerja.evaluations import services
from kinerja.evaluations.models import Evaluation, EvaluationSetting

from .support import Q1, plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The msgids (the Indonesian catalogue follows them)."""
    with translation.override("en"):
        yield


# (organisation predicate, the unit head's results rating, a rating refused)
MAPPING = [
    ("Istimewa", "above", "meets"),
    ("Baik", "meets", "above"),
    ("Butuh Perbaikan", "below", "meets"),
    ("Kurang", "below", "above"),
    ("Sangat Kurang", "below", "meets"),
]


def _set_org(cast, skp, predicate: str, period: str = Q1):
    services.org_predicate_set(
        unit=skp.unit, period=period, predicate=predicate, by=cast.rater_superior
    )


def _rate(cast, skp, results: str, period: str = Q1):
    return services.evaluation_rate(
        skp=skp, by=cast.rater_superior, period=period,
        results_rating=results, behaviour_rating="meets",
    )  # fmt: skip


@pytest.mark.parametrize(("org", "rating", "other"), MAPPING)
def test_the_unit_heads_results_rating_is_the_organisation_predicates(cast, org, rating, other):
    head_plan = plan(cast, "rater")  # the head of the Puskesmas, rated by the Kepala Bidang
    _set_org(cast, head_plan, org)
    evaluation = _rate(cast, head_plan, rating)
    assert evaluation.results_rating == rating
    assert evaluation.suggestion["basis"] == "organisation"
    assert evaluation.suggested_results == rating


@pytest.mark.parametrize(("org", "rating", "other"), MAPPING)
def test_another_results_rating_is_refused_with_the_rule(cast, org, rating, other):
    head_plan = plan(cast, "rater")
    _set_org(cast, head_plan, org)
    with pytest.raises(ValidationError) as caught:
        _rate(cast, head_plan, other)
    (message,) = caught.value.message_dict["results_rating"]
    assert "heads UPTD Puskesmas Plaju, so the results rating is" in message
    assert f"organisation predicate {org} for TW I" in message
    assert not Evaluation.objects.exists()


def test_without_an_organisation_predicate_the_head_is_not_rated_yet(cast):
    head_plan = plan(cast, "rater")
    with pytest.raises(ValidationError) as caught:
        _rate(cast, head_plan, "meets")
    assert caught.value.message_dict == {
        "org_predicate": [
            f"Set the organisation predicate of UPTD Puskesmas Plaju for TW I {head_plan.year} "
            "first."
        ]
    }
    assert not Evaluation.objects.exists()


def test_the_predicate_of_another_period_does_not_count(cast):
    head_plan = plan(cast, "rater")
    _set_org(cast, head_plan, "Istimewa", period=Q1.replace("Q1", "Q2"))
    with pytest.raises(ValidationError) as caught:
        _rate(cast, head_plan, "above")
    assert "org_predicate" in caught.value.message_dict


def test_the_years_table_decides(cast):
    head_plan = plan(cast, "rater")
    EvaluationSetting.objects.create(
        valid_from=head_plan.year, head_rating_by_org={"Istimewa": "meets"}
    )
    _set_org(cast, head_plan, "Istimewa")
    assert _rate(cast, head_plan, "meets").results_rating == "meets"


def test_a_predicate_the_table_does_not_map_is_a_conflict_that_says_so(cast):
    head_plan = plan(cast, "rater")
    EvaluationSetting.objects.create(valid_from=head_plan.year, head_rating_by_org={})
    _set_org(cast, head_plan, "Baik")
    with pytest.raises(ValidationError) as caught:
        _rate(cast, head_plan, "meets")
    assert caught.value.message_dict == {
        "org_predicate": [
            "The year's table gives no results rating for the organisation predicate Baik."
        ]
    }


def test_an_employee_who_heads_no_unit_is_rated_freely(cast):
    skp = plan(cast)
    _set_org(cast, skp, "Istimewa")
    evaluation = services.evaluation_rate(
        skp=skp, by=cast.rater, period=Q1, results_rating="below", behaviour_rating="meets"
    )
    assert evaluation.results_rating == "below"
