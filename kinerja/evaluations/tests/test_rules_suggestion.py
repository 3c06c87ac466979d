"""The suggested results rating by the definitions of PermenPANRB 6/2022 (``rules.py``:
``suggest_results``), and the unit head's results rating from the organisation predicate.

Each result's achievement is the mean of its measured indicators (each capped at 120 %): above
expectation from 110 %, meets it from 90 %, below it under 90 %. "above" needs no main result
below and more than half of the results counted above (the measured main results plus the
additional ones above); "meets" allows at most 25 % of the measured main results below;
otherwise "below". An additional result can raise the rating, never sink it."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import translation

from kinerja.evaluations.models import EvaluationSetting
from kinerja.evaluations.rules import (
    ResultAchievement,
    evaluation_setting,
    head_results_rating,
    suggest_results,
)

CAP = D("120")


@pytest.fixture(autouse=True)
def _english():
    """The msgids (the Indonesian catalogue follows them)."""
    with translation.override("en"):
        yield


@pytest.fixture
def setting(db):
    return evaluation_setting(2026)


def main(*pcts, name="Utama"):
    return ResultAchievement("utama", name, tuple(D(p) if p is not None else None for p in pcts))


def extra(*pcts, name="Tambahan"):
    return ResultAchievement("tambahan", name, tuple(D(p) if p is not None else None for p in pcts))


def test_the_parameters_of_2026(setting):
    assert (setting.suggest_above_from, setting.suggest_meets_from) == (D("110"), D("90"))
    assert (setting.suggest_below_max_share, setting.case_minimum) == (D("25"), 20)


# --- One result: its achievement and its class (each threshold, the cap, the mean) ------------

# (what the row shows, the indicators' achievements, the result's achievement, its rating)
ONE = [
    ("exactly 110 is above", ["110"], "110.00", "above"),
    ("just below 110 meets", ["109.99"], "109.99", "meets"),
    ("exactly 90 meets", ["90"], "90.00", "meets"),
    ("just below 90 is below", ["89.99"], "89.99", "below"),
    ("nothing achieved is below", ["0"], "0.00", "below"),
    ("above the cap counts as the cap", ["150"], "120.00", "above"),
    ("the mean of the indicators", ["110", "100"], "105.00", "meets"),
    ("the cap before the mean", ["200", "0", "100"], "73.33", "below"),
    ("a mean rounded half up", ["100", "100.01"], "100.01", "meets"),
    ("unmeasured indicators left out", [None, "110", "70"], "90.00", "meets"),
    ("no measured indicator", [None, None], None, None),
]


@pytest.mark.parametrize(
    ("pcts", "achievement", "rating"), [r[1:] for r in ONE], ids=[r[0] for r in ONE]
)
def test_a_results_achievement_and_class(setting, pcts, achievement, rating):
    suggestion = suggest_results([main(*pcts)], setting, CAP)
    (result,) = suggestion.results
    assert result.achievement == (D(achievement) if achievement else None)
    assert result.rating == rating
    assert suggestion.rating == rating  # one main result decides alone


# --- The rule over the results (every row of the definition and its boundaries) --------------

A, M, B = "120", "100", "70"  # a result above, meeting, below expectation

# (what the row shows, main results, additional results, suggested rating)
RULE = [
    ("no results", [], [], None),
    ("no measured main result", [None], [A], None),
    ("only additional results", [], [A, A], None),
    ("all main above", [A, A], [], "above"),
    ("issue: four main at 120 and one at 70 is not above", [A, A, A, A, B], [], "meets"),
    ("issue: two main at 100 and an additional at 0", [M, M], ["0"], "meets"),
    ("more than half above", [A, A, M], [], "above"),
    ("exactly half above is not most", [A, M], [], "meets"),
    ("less than half above", [A, M, M], [], "meets"),
    ("no main above", [M, M, M], [], "meets"),
    ("one main below of four: 25 % is a small part", [M, M, M, B], [], "meets"),
    ("one main below of three: 33 % is too many", [M, M, B], [], "below"),
    ("two main below of eight: 25 %", [M] * 6 + [B, B], [], "meets"),
    ("two main below of seven: 28.6 %", [M] * 5 + [B, B], [], "below"),
    ("one main below of one", [B], [], "below"),
    ("all main below", [B, B], [], "below"),
    ("one main below stops above however many above", [A, A, A, A, A, A, A, B], [], "meets"),
    ("an additional above raises meets to above", [A, M], [A], "above"),
    ("two additional above raise with no main above", [M], [A, A], "above"),
    ("one additional above is not enough for one main meeting", [M], [A], "meets"),
    ("an additional above never lifts a main below", [A, A, A, B], [A], "meets"),
    ("an additional above never lifts below", [M, B], [A, A, A], "below"),
    ("an additional meeting is not counted", [A, M], [M], "meets"),
    ("an additional below never sinks above", [A, A], [B, "0"], "above"),
    ("an additional below never sinks meets", [M], ["0"], "meets"),
    ("an unmeasured additional is ignored", [A], [None], "above"),
    ("an unmeasured main is not counted", [A, None], [], "above"),
]


@pytest.mark.parametrize(
    ("mains", "extras", "rating"), [r[1:] for r in RULE], ids=[r[0] for r in RULE]
)
def test_the_suggestion_follows_the_definitions(setting, mains, extras, rating):
    results = [main(p) for p in mains] + [extra(p) for p in extras]
    assert suggest_results(results, setting, CAP).rating == rating


# (what the row shows, main results, additional results, the reasons)
REASONS = [
    ("no suggestion", [None], [], [
        "No main result has a measured value yet, so there is no suggestion.",
    ]),
    ("above", [A, A, A, M], [], [
        "No main result is below expectation.",
        "3 of 4 results are above expectation (more than half).",
    ]),
    ("above with one of one", [A], [], [
        "No main result is below expectation.",
        "1 of 1 results is above expectation (more than half).",
    ]),
    ("meets, not enough above", [A, M], [], [
        "No main result is below expectation.",
        "Only 1 of 2 results is above expectation ('above' needs more than half).",
    ]),
    ("meets with a main below", [A, A, A, A, B], [], [
        "1 of 5 main results is below expectation (at most 25 % allowed for 'meets').",
    ]),
    ("below", [M, B, B], [], [
        "2 of 3 main results are below expectation (more than the 25 % allowed for 'meets').",
    ]),
    ("raised by the additional result", [M], [A, A], [
        "No main result is below expectation.",
        "2 of 3 results are above expectation (more than half).",
        "The additional result 'Tambahan' is above expectation and raises the rating.",
        "The additional result 'Tambahan' is above expectation and raises the rating.",
    ]),
    ("an additional below is named and ignored", [M, M], ["0"], [
        "No main result is below expectation.",
        "Only 0 of 2 results are above expectation ('above' needs more than half).",
        "The additional result 'Tambahan' is below expectation; an additional result never "
        "lowers the rating.",
    ]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mains", "extras", "reasons"), [r[1:] for r in REASONS], ids=[r[0] for r in REASONS]
)
def test_one_sentence_per_rule_that_decided(setting, mains, extras, reasons):
    results = [main(p) for p in mains] + [extra(p) for p in extras]
    assert list(suggest_results(results, setting, CAP).reasons) == reasons


def test_the_reasons_are_translated(setting):
    with translation.override("id"):
        reasons = suggest_results([main(M), main(B)], setting, CAP).reasons
    assert reasons and all(isinstance(r, str) for r in reasons)


def test_the_suggestion_records_its_numbers_and_reasons_as_json(setting):
    results = [main("95", None, name="Layanan"), main("130"), extra("0", name="Rapat")]
    assert suggest_results(results, setting, CAP).as_json() == {
        "rating": "meets",
        "mean_pct": "71.67",  # every measured indicator, capped: (95 + 120 + 0) / 3
        "measured": 3,
        "indicators": 4,
        "above_from": "110.00",
        "meets_from": "90.00",
        "below_max_share": "25.00",
        "main_measured": 2,
        "main_above": 1,
        "main_below": 0,
        "additional_above": 0,
        "results": [
            {"kind": "utama", "name": "Layanan", "achievement": "95.00", "rating": "meets"},
            {"kind": "utama", "name": "Utama", "achievement": "120.00", "rating": "above"},
            {"kind": "tambahan", "name": "Rapat", "achievement": "0.00", "rating": "below"},
        ],
        "reasons": [
            "No main result is below expectation.",
            "Only 1 of 2 results is above expectation ('above' needs more than half).",
            "The additional result 'Rapat' is below expectation; an additional result never "
            "lowers the rating.",
        ],
    }


def test_no_suggestion_is_recorded_as_json_with_nulls(setting):
    assert suggest_results([main(None)], setting, CAP).as_json()["rating"] is None
    assert suggest_results([main(None)], setting, CAP).as_json()["mean_pct"] is None


def test_a_lower_cap_applies(setting):
    assert suggest_results([main("115")], setting, D("100")).results[0].achievement == D("100")
    assert suggest_results([main("115")], setting, D("100")).rating == "meets"


def test_new_parameters_from_2027_apply_from_2027_only(db):
    EvaluationSetting.objects.create(
        valid_from=2027,
        suggest_above_from=D("105"),
        suggest_meets_from=D("85"),
        suggest_below_max_share=D("34"),
    )
    assert suggest_results([main("106")], evaluation_setting(2026), CAP).rating == "meets"
    assert suggest_results([main("106")], evaluation_setting(2027), CAP).rating == "above"
    assert suggest_results([main("86")], evaluation_setting(2026), CAP).rating == "below"
    assert suggest_results([main("86")], evaluation_setting(2028), CAP).rating == "meets"
    one_of_three = [main(M), main(M), main(B)]
    assert suggest_results(one_of_three, evaluation_setting(2026), CAP).rating == "below"
    assert suggest_results(one_of_three, evaluation_setting(2027), CAP).rating == "meets"


def test_the_share_is_written_in_the_readers_language(db):
    EvaluationSetting.objects.create(valid_from=2027, suggest_below_max_share=D("12.5"))
    with translation.override("id"):
        (reason,) = suggest_results([main(M), main(B)], evaluation_setting(2027), CAP).reasons
    assert "12,5" in reason


def test_before_any_setting_the_model_defaults_apply(db):
    setting = evaluation_setting(2021)
    assert (setting.suggest_above_from, setting.suggest_meets_from) == (110, 90)
    assert (setting.suggest_below_max_share, setting.case_minimum) == (25, 20)
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
