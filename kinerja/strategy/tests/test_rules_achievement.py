"""The achievement rules of domain.md §2, row by row (table-driven)."""

from decimal import Decimal as D

import pytest

from kinerja.core.rules import AchievementRules, Band
from kinerja.strategy.achievement import achievement_pct, combine, rounded

HIGHER, LOWER, RANGE = "higher_is_better", "lower_is_better", "range"


@pytest.mark.parametrize(
    ("realisation", "target", "expected"),
    [
        (D("90"), D("100"), D("90")),  # R / T × 100
        (D("100"), D("100"), D("100")),
        (D("110"), D("100"), D("110")),
        (D("150"), D("100"), D("120")),  # capped
        (D("0"), D("100"), D("0")),
        (D("1"), D("3"), D("33.33")),
        (D("-5"), D("100"), D("-5")),  # no floor
    ],
)
def test_higher_is_better_is_realisation_over_target(realisation, target, expected):
    pct = achievement_pct(polarity=HIGHER, realisation=realisation, target=target)
    assert rounded(pct) == expected


@pytest.mark.parametrize(
    ("realisation", "target", "expected"),
    [
        (D("8"), D("8"), D("100")),  # (2 − R/T) × 100
        (D("6"), D("8"), D("120")),  # 125, capped
        (D("7"), D("8"), D("112.5")),
        (D("10"), D("8"), D("75")),
        (D("16"), D("8"), D("0")),
        (D("24"), D("8"), D("-100")),  # three times the target: no floor
        (D("0"), D("8"), D("120")),  # 200, capped
        (D("12"), D("15"), D("120")),
        (D("18"), D("15"), D("80")),
    ],
)
def test_lower_is_better_uses_two_minus_the_ratio(realisation, target, expected):
    pct = achievement_pct(polarity=LOWER, realisation=realisation, target=target)
    assert rounded(pct) == expected


@pytest.mark.parametrize(
    ("realisation", "target", "expected"),
    [
        (D("10"), D("8"), D("80")),  # T / R × 100
        (D("8"), D("8"), D("100")),
        (D("6"), D("8"), D("120")),  # 133.33, capped
        (D("0"), D("8"), D("120")),  # nothing left to improve: the cap
    ],
)
def test_lower_is_better_with_the_inverse_formula_where_the_indicator_says_so(
    realisation, target, expected
):
    pct = achievement_pct(
        polarity=LOWER, realisation=realisation, target=target, lower_formula="inverse"
    )
    assert rounded(pct) == expected


@pytest.mark.parametrize(
    ("realisation", "range_above", "expected"),
    [
        (D("80"), "penalize", D("100")),  # inside, at the lower bound
        (D("85"), "penalize", D("100")),
        (D("90"), "penalize", D("100")),  # inside, at the upper bound
        (D("72"), "penalize", D("90")),  # below: R / lo × 100
        (D("0"), "penalize", D("0")),
        (D("99"), "penalize", D("90")),  # above: (2 − R/hi) × 100
        (D("180"), "penalize", D("0")),
        (D("99"), "full", D("100")),  # above, where the indicator says exceeding is no fault
        (D("72"), "full", D("90")),
    ],
)
def test_a_target_range_gives_100_inside_and_the_matching_formula_outside(
    realisation, range_above, expected
):
    pct = achievement_pct(
        polarity=RANGE, realisation=realisation, low=D("80"), high=D("90"), range_above=range_above
    )
    assert rounded(pct) == expected


@pytest.mark.parametrize(
    ("polarity", "kwargs"),
    [
        (HIGHER, {"realisation": D("5"), "target": D("0")}),  # zero target
        (LOWER, {"realisation": D("5"), "target": D("0")}),
        (HIGHER, {"realisation": D("5"), "target": None}),  # missing target
        (HIGHER, {"realisation": None, "target": D("5")}),  # missing realisation
        (LOWER, {"realisation": None, "target": D("5")}),
        (RANGE, {"realisation": None, "low": D("1"), "high": D("2")}),
        (RANGE, {"realisation": D("5"), "low": None, "high": D("2")}),  # incomplete range
        (RANGE, {"realisation": D("-1"), "low": D("0"), "high": D("2")}),  # below a zero bound
        (RANGE, {"realisation": D("3"), "low": D("-2"), "high": D("0")}),  # above a zero bound
    ],
)
def test_a_zero_or_missing_target_or_realisation_is_not_measurable(polarity, kwargs):
    assert achievement_pct(polarity=polarity, **kwargs) is None


@pytest.mark.parametrize("cap", [D("100"), D("120"), D("150")])
def test_the_cap_is_a_parameter(cap):
    pct = achievement_pct(polarity=HIGHER, realisation=D("200"), target=D("100"), cap=cap)
    assert pct == cap


DEFAULT_BANDS = AchievementRules(
    year=2026,
    cap_pct=D("120"),
    bands=(
        Band("Sangat Baik", D("91"), "#1e7b34"),
        Band("Baik", D("76"), "#5e9c2f"),
        Band("Cukup", D("66"), "#c9a227"),
        Band("Kurang", D("51"), "#d9822b"),
        Band("Sangat Kurang", None, "#b3261e"),
    ),
)


@pytest.mark.parametrize(
    ("pct", "label"),
    [
        (D("120"), "Sangat Baik"),
        (D("91"), "Sangat Baik"),  # ≥ 91
        (D("90.99"), "Baik"),
        (D("90"), "Baik"),  # 76–90
        (D("76"), "Baik"),
        (D("75.99"), "Cukup"),
        (D("75"), "Cukup"),  # 66–75
        (D("66"), "Cukup"),
        (D("65"), "Kurang"),  # 51–65
        (D("51"), "Kurang"),
        (D("50.99"), "Sangat Kurang"),
        (D("50"), "Sangat Kurang"),  # ≤ 50
        (D("0"), "Sangat Kurang"),
        (D("-100"), "Sangat Kurang"),
    ],
)
def test_each_achievement_falls_in_its_band(pct, label):
    assert DEFAULT_BANDS.band_for(pct).label == label


def test_not_measurable_has_no_band():
    assert DEFAULT_BANDS.band_for(None) is None


@pytest.mark.parametrize(
    ("values", "how", "expected"),
    [
        ([D("1"), D("2"), D("3")], "sum", D("6")),
        ([D("1"), None, D("3")], "sum", D("4")),
        ([D("1"), D("2"), D("6")], "average", D("3")),
        ([D("1"), None, D("3")], "average", D("2")),  # months without a value are left out
        ([D("1"), D("2"), D("3")], "last", D("3")),
        ([D("1"), D("2"), None], "last", D("2")),  # the last month that has a value
        ([None, None, None], "sum", None),
        ([], "average", None),
    ],
)
def test_months_combine_by_the_indicators_rule(values, how, expected):
    assert combine(values, how) == expected


def test_rounding_is_half_up_to_two_decimals():
    assert rounded(D("90.005")) == D("90.01")
    assert rounded(D("90.004")) == D("90.00")
    assert rounded(None) is None
