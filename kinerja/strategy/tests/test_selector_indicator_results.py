"""``indicator_results`` (``kinerja.strategy.selectors``): achievement per month, quarter and
year on known data — months combined by the indicator's rule, achievement and band by its
polarity, corrected months, formulas evaluated per month and as ratios of sums at each level."""

from decimal import Decimal as D

import pytest

from kinerja.core.actors import SYSTEM
from kinerja.strategy import services
from kinerja.strategy.selectors import indicator_results

from .support import monthly_values, selector_indicator

pytestmark = pytest.mark.django_db


YEAR = 2025  # wholly in the past


def result_of(subject):
    return indicator_results([subject], YEAR)[subject.pk]


# --- Combining months --------------------------------------------------------------------------


def test_a_sum_indicator_adds_its_months_per_quarter_and_year(cast):
    visits = selector_indicator(cast.dinkes, "IKU-01")
    services.target_set(
        by=SYSTEM, indicator=visits, year=YEAR, value=D(120), quarters=[D(30), D(30), D(30), D(30)]
    )
    monthly_values(visits, dict.fromkeys(range(1, 12), "10"))  # December missing

    outcome = result_of(visits)

    assert outcome.months[1] == D(10) and outcome.months[12] is None
    assert [q.realisation for q in outcome.quarters] == [D(30), D(30), D(30), D(20)]
    assert [q.achievement_pct for q in outcome.quarters] == [D(100), D(100), D(100), D("66.67")]
    assert [q.band.label for q in outcome.quarters] == [
        "Sangat Baik", "Sangat Baik", "Sangat Baik", "Cukup",
    ]  # fmt: skip
    assert [str(q.period) for q in outcome.quarters] == [f"{YEAR}-Q{n}" for n in range(1, 5)]
    assert outcome.annual.realisation == D(110)
    assert outcome.annual.achievement_pct == D("91.67")
    assert outcome.annual.band.label == "Sangat Baik"
    assert outcome.annual.target.value == D(120)


@pytest.mark.parametrize(
    ("aggregation", "first_quarter", "year"),
    [
        ("sum", D(90), D(130)),
        ("average", D(30), D("32.5")),
        ("last", D(60), D(40)),
    ],
)
def test_months_combine_by_the_indicators_rule(cast, aggregation, first_quarter, year):
    subject = selector_indicator(cast.dinkes, "IKU-01", aggregation=aggregation)
    monthly_values(subject, {1: "10", 2: "20", 3: "60", 4: "40"})

    outcome = result_of(subject)

    assert outcome.quarters[0].realisation == first_quarter
    assert outcome.quarters[1].realisation == D(40)
    assert outcome.quarters[2].realisation is None
    assert outcome.annual.realisation == year


def test_a_quarterly_indicator_combines_its_quarter_months(cast):
    survey = selector_indicator(
        cast.dinkes, "IKU-01", aggregation="average", period_type="quarterly", polarity="range"
    )
    services.target_set(by=SYSTEM, indicator=survey, year=YEAR, low=D(80), high=D(90))
    monthly_values(survey, {3: "82", 6: "86", 9: "91"})

    outcome = result_of(survey)

    assert [q.realisation for q in outcome.quarters] == [D(82), D(86), D(91), None]
    assert all(q.achievement_pct is None for q in outcome.quarters)  # no quarterly targets
    assert round(outcome.annual.realisation, 4) == D("86.3333")
    assert outcome.annual.achievement_pct == D(100)


@pytest.mark.parametrize(
    ("polarity", "options", "target", "value", "pct", "band"),
    [
        ("higher_is_better", {}, {"value": D(100)}, "90", D(90), "Baik"),
        ("higher_is_better", {}, {"value": D(100)}, "91", D(91), "Sangat Baik"),
        ("higher_is_better", {}, {"value": D(100)}, "75.99", D("75.99"), "Cukup"),
        ("higher_is_better", {}, {"value": D(100)}, "60", D(60), "Kurang"),
        ("higher_is_better", {}, {"value": D(100)}, "50", D(50), "Sangat Kurang"),
        ("higher_is_better", {}, {"value": D(100)}, "200", D(120), "Sangat Baik"),  # the cap
        ("higher_is_better", {}, {"value": D(3)}, "1", D("33.33"), "Sangat Kurang"),
        ("lower_is_better", {}, {"value": D(8)}, "10", D(75), "Cukup"),
        ("lower_is_better", {}, {"value": D(15)}, "12", D(120), "Sangat Baik"),
        ("lower_is_better", {"lower_formula": "inverse"}, {"value": D(8)}, "10", D(80), "Baik"),
        ("range", {}, {"low": D(80), "high": D(90)}, "85", D(100), "Sangat Baik"),
        ("range", {}, {"low": D(80), "high": D(90)}, "70", D("87.5"), "Baik"),
        ("range", {}, {"low": D(80), "high": D(90)}, "99", D(90), "Baik"),
        (
            "range",
            {"range_above": "full"},
            {"low": D(80), "high": D(90)},
            "99",
            D(100),
            "Sangat Baik",
        ),
    ],
)
def test_achievement_and_band_follow_the_indicators_polarity(
    cast, polarity, options, target, value, pct, band
):
    subject = selector_indicator(
        cast.dinkes, "IKU-01", polarity=polarity, aggregation="last", **options
    )
    services.target_set(by=SYSTEM, indicator=subject, year=YEAR, **target)
    monthly_values(subject, {1: value})

    annual = result_of(subject).annual

    assert annual.achievement_pct == pct
    assert annual.band.label == band


@pytest.mark.parametrize(
    ("target", "monthly"),
    [
        (None, {1: "90"}),  # no target
        (D(0), {1: "90"}),  # a zero target
        (D(100), {}),  # no realisation
    ],
)
def test_not_measurable_is_none_with_no_band(cast, target, monthly):
    subject = selector_indicator(cast.dinkes, "IKU-01")
    if target is not None:
        services.target_set(by=SYSTEM, indicator=subject, year=YEAR, value=target)
    monthly_values(subject, monthly)

    annual = result_of(subject).annual

    assert (annual.achievement_pct, annual.band) == (None, None)


def test_the_current_value_of_a_corrected_month_counts(cast):
    subject = selector_indicator(cast.dinkes, "IKU-01")
    monthly_values(subject, {1: "10"})
    monthly_values(subject, {1: "12"})

    outcome = result_of(subject)

    assert outcome.months[1] == D(12)
    assert outcome.current[1].value == D(12)
    assert outcome.current[1].superseded_at is None


def test_another_year_is_not_mixed_in(cast):
    subject = selector_indicator(cast.dinkes, "IKU-01")
    services.target_set(by=SYSTEM, indicator=subject, year=YEAR - 1, value=D(10))
    monthly_values(subject, {1: "10"})

    outcome = indicator_results([subject], YEAR - 1)[subject.pk]

    assert outcome.annual.realisation is None
    assert outcome.target.value == D(10)
    assert result_of(subject).target is None


# --- Formulas ------------------------------------------------------------------------------------


@pytest.fixture
def referrals(cast):
    handled = selector_indicator(cast.dinkes, "IKU-03")
    requests = selector_indicator(cast.dinkes, "IKU-04")
    ratio = selector_indicator(
        cast.dinkes, "IKU-05", data_source="formula", formula="{IKU-03} / {IKU-04} * 100",
        aggregation="average",
    )  # fmt: skip
    services.target_set(by=SYSTEM, indicator=ratio, year=YEAR, value=D(90), quarters=[D(90)] * 4)
    monthly_values(handled, {1: "9", 2: "1", 3: "50", 5: "4"})
    monthly_values(requests, {1: "10", 2: "90", 3: "100", 4: "7", 5: "0"})
    return handled, requests, ratio


def test_a_formula_is_evaluated_per_month_from_its_references(referrals):
    _handled, _requests, ratio = referrals

    months = result_of(ratio).months

    assert months[1] == D(90)
    assert round(months[2], 4) == D("1.1111")
    assert months[3] == D(50)
    assert months[4] is None  # a reference is missing
    assert months[5] is None  # division by zero: not measurable, never an error
    assert months[6] is None


def test_a_formula_is_a_ratio_of_sums_at_the_quarter_and_the_year_not_a_mean_of_ratios(referrals):
    _handled, _requests, ratio = referrals

    outcome = result_of(ratio)

    assert outcome.quarters[0].realisation == D(30)  # 60 / 200, not the mean 47.04
    assert outcome.quarters[0].achievement_pct == D("33.33")
    assert outcome.quarters[0].band.label == "Sangat Kurang"
    assert round(outcome.quarters[1].realisation, 4) == D("57.1429")  # 4 / 7
    assert round(outcome.annual.realisation, 4) == D("30.9179")  # 64 / 207 * 100
    assert outcome.annual.achievement_pct == D("34.35")


def test_a_formula_over_a_formula_is_evaluated_at_the_same_level(cast, referrals):
    doubled = selector_indicator(
        cast.dinkes, "IKU-06", data_source="formula", formula="min({IKU-05} * 2, 100)"
    )

    outcome = result_of(doubled)

    assert outcome.quarters[0].realisation == D(60)
    assert outcome.months[1] == D(100)


def test_results_of_several_indicators_come_together(cast, referrals):
    handled, _requests, ratio = referrals

    outcome = indicator_results([ratio, handled], YEAR)

    assert set(outcome) == {ratio.pk, handled.pk}
    assert outcome[handled.pk].quarters[0].realisation == D(60)
    assert outcome[ratio.pk].quarters[0].realisation == D(30)
    assert indicator_results([], YEAR) == {}
