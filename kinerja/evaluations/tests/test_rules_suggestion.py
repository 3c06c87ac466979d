"""The suggested results rating from measured achievement, and the unit head's results rating
from the organisation predicate (domain.md §3.1: the rater's choice stands; defaults: 'above'
from 110 %, 'meets' from 90 %; Istimewa → above, Baik → meets, others → below)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kinerja.evaluations.models import EvaluationSetting
from kinerja.evaluations.rules import evaluation_setting, head_results_rating, suggest_results

CAP = D("120")


@pytest.fixture
def setting(db):
    return evaluation_setting(2026)


def test_the_thresholds_of_2026_are_110_and_90(setting):
    assert (setting.suggest_above_from, setting.suggest_meets_from) == (D("110"), D("90"))


# (what the row shows, achievements (%; None = not measured), suggested rating, mean, measured,
# indicators)
ROWS = [
    ("no indicators", [], None, None, 0, 0),
    ("no measured indicator", [None, None], None, None, 0, 2),
    ("exactly 110", ["110"], "above", "110.00", 1, 1),
    ("just below 110", ["109.99"], "meets", "109.99", 1, 1),
    ("exactly 90", ["90"], "meets", "90.00", 1, 1),
    ("just below 90", ["89.99"], "below", "89.99", 1, 1),
    ("nothing achieved", ["0"], "below", "0.00", 1, 1),
    ("a mean of exactly 110", ["100", "120"], "above", "110.00", 2, 2),
    ("a mean just below 110", ["100", "119.98"], "meets", "109.99", 2, 2),
    ("a mean of exactly 90", ["80", "100"], "meets", "90.00", 2, 2),
    ("a mean just below 90", ["80", "99.98"], "below", "89.99", 2, 2),
    ("a mean rounded to two decimals", ["100", "100", "100.01"], "meets", "100.00", 3, 3),
    ("a mean rounded half up", ["100", "100.01"], "meets", "100.01", 2, 2),  # 100.005
    ("unmeasured indicators are left out", [None, "110", "70"], "meets", "90.00", 2, 3),
    ("exactly at the cap", ["120"], "above", "120.00", 1, 1),
    ("above the cap counts as the cap", ["150"], "above", "120.00", 1, 1),
    ("the cap turns above into meets", ["140", "80"], "meets", "100.00", 2, 2),
    ("the cap turns meets into below", ["200", "0", "100"], "below", "73.33", 3, 3),
]


@pytest.mark.parametrize(
    ("achievements", "rating", "mean", "measured", "indicators"),
    [r[1:] for r in ROWS],
    ids=[r[0] for r in ROWS],
)
def test_the_suggested_results_rating(setting, achievements, rating, mean, measured, indicators):
    suggestion = suggest_results(
        [D(a) if a is not None else None for a in achievements], setting, CAP
    )
    assert suggestion.rating == rating
    assert suggestion.mean_pct == (D(mean) if mean is not None else None)
    assert str(suggestion.mean_pct) == str(mean)
    assert (suggestion.measured, suggestion.indicators) == (measured, indicators)
    assert (suggestion.above_from, suggestion.meets_from) == (D("110"), D("90"))


def test_the_suggestion_records_its_basis_as_json(setting):
    suggestion = suggest_results([D("95"), None, D("130")], setting, CAP)
    assert suggestion.as_json() == {
        "rating": "meets",
        "mean_pct": "107.50",
        "measured": 2,
        "indicators": 3,
        "above_from": "110.00",
        "meets_from": "90.00",
    }


def test_no_suggestion_is_recorded_as_json_with_nulls(setting):
    assert suggest_results([None], setting, CAP).as_json()["rating"] is None
    assert suggest_results([None], setting, CAP).as_json()["mean_pct"] is None


def test_a_lower_cap_applies(setting):
    assert suggest_results([D("115")], setting, D("100")).mean_pct == D("100.00")
    assert suggest_results([D("115")], setting, D("100")).rating == "meets"


def test_new_thresholds_from_2027_apply_from_2027_only(db):
    EvaluationSetting.objects.create(
        valid_from=2027, suggest_above_from=D("105"), suggest_meets_from=D("85")
    )

    assert suggest_results([D("106")], evaluation_setting(2026), CAP).rating == "meets"
    assert suggest_results([D("106")], evaluation_setting(2027), CAP).rating == "above"
    assert suggest_results([D("86")], evaluation_setting(2026), CAP).rating == "below"
    assert suggest_results([D("86")], evaluation_setting(2028), CAP).rating == "meets"


def test_before_any_setting_the_model_defaults_apply(db):
    setting = evaluation_setting(2021)
    assert (setting.suggest_above_from, setting.suggest_meets_from) == (110, 90)
    assert head_results_rating("Istimewa", setting) is None


# (organisation predicate, the unit head's results rating)
HEAD = [
    ("Istimewa", "above"),
    ("Baik", "meets"),
    ("Butuh Perbaikan", "below"),
    ("Kurang", "below"),
    ("Sangat Kurang", "below"),
]


@pytest.mark.parametrize(("org_predicate", "rating"), HEAD)
def test_the_unit_heads_results_rating_follows_the_organisation_predicate(
    setting, org_predicate, rating
):
    assert head_results_rating(org_predicate, setting) == rating


def test_an_unknown_organisation_predicate_gives_no_head_rating(setting):
    assert head_results_rating("Cukup", setting) is None
