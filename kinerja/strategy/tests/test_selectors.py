"""``indicator_results`` and ``performance_tree``: achievement per month, quarter and year on
known data, formulas at each level, node averages, and a bounded number of queries."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.core.actors import SYSTEM
from kinerja.core.periods import Period
from kinerja.strategy import services
from kinerja.strategy.selectors import indicator_results, performance_tree, plan_for_year

pytestmark = pytest.mark.django_db

YEAR = 2025  # wholly in the past


def indicator(agency, code, target=None, **values):
    fields = {
        "code": code,
        "name": f"Indikator {code}",
        "unit_of_measure": "%",
        "polarity": "higher_is_better",
        "aggregation": "sum",
        **values,
    }
    return services.indicator_save(by=SYSTEM, agency=agency, values=fields)


def values(subject, monthly: dict[int, str]):
    for month, value in monthly.items():
        services.realisation_record(
            by=SYSTEM, indicator=subject, year=YEAR, month=month, value=D(value)
        )


def result(subject):
    return indicator_results([subject], YEAR)[subject.pk]


# --- Combining months --------------------------------------------------------------------------


def test_a_sum_indicator_adds_its_months_per_quarter_and_year(cast):
    visits = indicator(cast.dinkes, "IKU-01")
    services.target_set(
        by=SYSTEM, indicator=visits, year=YEAR, value=D(120), quarters=[D(30), D(30), D(30), D(30)]
    )
    values(visits, dict.fromkeys(range(1, 12), "10"))  # December missing

    outcome = result(visits)

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
    subject = indicator(cast.dinkes, "IKU-01", aggregation=aggregation)
    values(subject, {1: "10", 2: "20", 3: "60", 4: "40"})

    outcome = result(subject)

    assert outcome.quarters[0].realisation == first_quarter
    assert outcome.quarters[1].realisation == D(40)
    assert outcome.quarters[2].realisation is None
    assert outcome.annual.realisation == year


def test_a_quarterly_indicator_combines_its_quarter_months(cast):
    survey = indicator(
        cast.dinkes, "IKU-01", aggregation="average", period_type="quarterly", polarity="range"
    )
    services.target_set(by=SYSTEM, indicator=survey, year=YEAR, low=D(80), high=D(90))
    values(survey, {3: "82", 6: "86", 9: "91"})

    outcome = result(survey)

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
    subject = indicator(cast.dinkes, "IKU-01", polarity=polarity, aggregation="last", **options)
    services.target_set(by=SYSTEM, indicator=subject, year=YEAR, **target)
    values(subject, {1: value})

    annual = result(subject).annual

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
    subject = indicator(cast.dinkes, "IKU-01")
    if target is not None:
        services.target_set(by=SYSTEM, indicator=subject, year=YEAR, value=target)
    values(subject, monthly)

    annual = result(subject).annual

    assert (annual.achievement_pct, annual.band) == (None, None)


def test_the_current_value_of_a_corrected_month_counts(cast):
    subject = indicator(cast.dinkes, "IKU-01")
    values(subject, {1: "10"})
    values(subject, {1: "12"})

    outcome = result(subject)

    assert outcome.months[1] == D(12)
    assert outcome.current[1].value == D(12)
    assert outcome.current[1].superseded_at is None


def test_another_year_is_not_mixed_in(cast):
    subject = indicator(cast.dinkes, "IKU-01")
    services.target_set(by=SYSTEM, indicator=subject, year=YEAR - 1, value=D(10))
    values(subject, {1: "10"})

    outcome = indicator_results([subject], YEAR - 1)[subject.pk]

    assert outcome.annual.realisation is None
    assert outcome.target.value == D(10)
    assert result(subject).target is None


# --- Formulas ------------------------------------------------------------------------------------


@pytest.fixture
def referrals(cast):
    handled = indicator(cast.dinkes, "IKU-03")
    requests = indicator(cast.dinkes, "IKU-04")
    ratio = indicator(
        cast.dinkes, "IKU-05", data_source="formula", formula="{IKU-03} / {IKU-04} * 100",
        aggregation="average",
    )  # fmt: skip
    services.target_set(by=SYSTEM, indicator=ratio, year=YEAR, value=D(90), quarters=[D(90)] * 4)
    values(handled, {1: "9", 2: "1", 3: "50", 5: "4"})
    values(requests, {1: "10", 2: "90", 3: "100", 4: "7", 5: "0"})
    return handled, requests, ratio


def test_a_formula_is_evaluated_per_month_from_its_references(referrals):
    _handled, _requests, ratio = referrals

    months = result(ratio).months

    assert months[1] == D(90)
    assert round(months[2], 4) == D("1.1111")
    assert months[3] == D(50)
    assert months[4] is None  # a reference is missing
    assert months[5] is None  # division by zero: not measurable, never an error
    assert months[6] is None


def test_a_formula_is_a_ratio_of_sums_at_the_quarter_and_the_year_not_a_mean_of_ratios(referrals):
    _handled, _requests, ratio = referrals

    outcome = result(ratio)

    assert outcome.quarters[0].realisation == D(30)  # 60 / 200, not the mean 47.04
    assert outcome.quarters[0].achievement_pct == D("33.33")
    assert outcome.quarters[0].band.label == "Sangat Kurang"
    assert round(outcome.quarters[1].realisation, 4) == D("57.1429")  # 4 / 7
    assert round(outcome.annual.realisation, 4) == D("30.9179")  # 64 / 207 * 100
    assert outcome.annual.achievement_pct == D("34.35")


def test_a_formula_over_a_formula_is_evaluated_at_the_same_level(cast, referrals):
    doubled = indicator(
        cast.dinkes, "IKU-06", data_source="formula", formula="min({IKU-05} * 2, 100)"
    )

    outcome = result(doubled)

    assert outcome.quarters[0].realisation == D(60)
    assert outcome.months[1] == D(100)


def test_results_of_several_indicators_come_together(cast, referrals):
    handled, _requests, ratio = referrals

    outcome = indicator_results([ratio, handled], YEAR)

    assert set(outcome) == {ratio.pk, handled.pk}
    assert outcome[handled.pk].quarters[0].realisation == D(60)
    assert outcome[ratio.pk].quarters[0].realisation == D(30)
    assert indicator_results([], YEAR) == {}


# --- The tree -------------------------------------------------------------------------------------


@pytest.fixture
def tree_data(cast):
    """DINKES: T1 (mission 1) with S1.1 (100 %, 50 %) and S1.2 (90 %, not measurable);
    DUKCAPIL: T1 (mission 2) with S1.1 (60 %). Mission 3 has no goals."""
    plan = services.plan_save(by=SYSTEM,
        region=cast.dinkes.region, title="RPJMD", start_year=2025, end_year=2029,
        vision="Palembang maju", missions=["Pelayanan", "SDM", "Ekonomi"],
    )  # fmt: skip
    missions = {m.number: m for m in plan.missions.all()}

    def goal_with(agency, mission, targets):
        goal = services.goal_save(
            by=SYSTEM, agency=agency, mission=missions[mission], code="T1", text="T"
        )
        for code, rows in targets.items():
            target = services.strategic_target_save(by=SYSTEM, goal=goal, code=code, text=code)
            for ind_code, target_value, value in rows:
                subject = indicator(agency, ind_code, strategic_target=target, aggregation="last")
                if target_value is not None:
                    services.target_set(by=SYSTEM,
                        indicator=subject, year=YEAR, value=D(target_value),
                        quarters=[D(target_value)] * 4,
                    )  # fmt: skip
                values(subject, {2: value})

    goal_with(cast.dinkes, 1, {
        "S1.1": [("IKU-01", 100, "100"), ("IKU-02", 100, "50")],
        "S1.2": [("IKU-03", 100, "90"), ("IKU-04", None, "10")],
    })  # fmt: skip
    goal_with(cast.dukcapil, 2, {"S1.1": [("IKU-01", 100, "60")]})
    return plan


def nodes(node, kind):
    found = [node] if node.kind == kind else []
    return found + [n for child in node.children for n in nodes(child, kind)]


def test_each_node_shows_the_mean_of_the_indicators_below_it(cast, tree_data):
    root = performance_tree(cast.admin, plan=tree_data, period=Period(YEAR))

    assert (root.kind, root.obj) == ("vision", tree_data)
    assert [m.obj.number for m in root.children] == [1, 2, 3]
    first, second, third = root.children
    goal = first.children[0]
    s11, s12 = goal.children
    assert [(n.obj.code, n.achievement_pct, n.band.label) for n in s11.children] == [
        ("IKU-01", D(100), "Sangat Baik"), ("IKU-02", D(50), "Sangat Kurang"),
    ]  # fmt: skip
    assert (s11.achievement_pct, s11.band.label, s11.measured) == (D(75), "Cukup", 2)
    assert (s12.achievement_pct, s12.band.label, s12.measured) == (D(90), "Baik", 1)
    # the goal averages its three measurable indicators, not its two targets' means (82.5)
    assert (goal.achievement_pct, goal.band.label, goal.measured) == (D(80), "Baik", 3)
    assert (first.achievement_pct, second.achievement_pct) == (D(80), D(60))
    assert (third.achievement_pct, third.band, third.measured, third.children) == (
        None, None, 0, [],
    )  # fmt: skip
    assert (root.achievement_pct, root.band.label, root.measured) == (D(75), "Cukup", 4)
    not_measurable = s12.children[1]
    assert (not_measurable.result.achievement_pct, not_measurable.band) == (None, None)


def test_the_tree_of_a_quarter_uses_the_quarters_results(cast, tree_data):
    first_quarter = performance_tree(cast.admin, plan=tree_data, period=Period.of_quarter(YEAR, 1))
    second_quarter = performance_tree(cast.admin, plan=tree_data, period=Period.of_quarter(YEAR, 2))

    assert first_quarter.achievement_pct == D(75)  # February lies in TW I
    leaf = nodes(first_quarter, "indicator")[0]
    assert leaf.result.period == Period.of_quarter(YEAR, 1)
    assert second_quarter.achievement_pct is None
    assert second_quarter.measured == 0


@pytest.mark.parametrize(
    ("who", "agencies", "mean"),
    [
        ("admin", {"DINKES", "DUKCAPIL"}, D(75)),
        ("auditor", {"DINKES", "DUKCAPIL"}, D(75)),
        ("employee", {"DINKES"}, D(80)),
        ("head", {"DINKES"}, D(80)),
        ("outsider", {"DUKCAPIL"}, D(60)),
    ],
)
def test_the_tree_shows_only_the_goals_the_person_may_see(cast, tree_data, who, agencies, mean):
    root = performance_tree(getattr(cast, who), plan=tree_data, period=Period(YEAR))

    assert {n.obj.agency.code for n in nodes(root, "goal")} == agencies
    assert root.achievement_pct == mean
    assert len(root.children) == 3  # the missions are the region's, read by everyone


def test_the_tree_can_be_narrowed_to_agencies(cast, tree_data):
    root = performance_tree(
        cast.admin, plan=tree_data, period=Period(YEAR), agency_ids=[cast.dukcapil.pk]
    )

    assert {n.obj.agency.code for n in nodes(root, "goal")} == {"DUKCAPIL"}


def test_the_plan_for_a_year_is_the_one_covering_it(cast, tree_data):
    assert plan_for_year(cast.dinkes.region_id, 2027) == tree_data
    assert plan_for_year(None, 2029) == tree_data
    assert plan_for_year(cast.dinkes.region_id, 2030) is None


# --- Cost ---------------------------------------------------------------------------------------


def build(cast):
    """A plan with one goal and strategic target in each of the two agencies."""
    plan = services.plan_save(by=SYSTEM,
        region=cast.dinkes.region, title="RPJMD", start_year=2025, end_year=2029,
        vision="Palembang maju", missions=["Pelayanan", "SDM"],
    )  # fmt: skip
    targets = []
    for number, agency in enumerate([cast.dinkes, cast.dukcapil], start=1):
        goal = services.goal_save(
            by=SYSTEM, agency=agency, mission=plan.missions.get(number=number), code="T1", text="T"
        )
        targets.append(services.strategic_target_save(by=SYSTEM, goal=goal, code="S1", text="S"))
    return plan, targets


def add(targets, numbers) -> list:
    """Manual indicators IKU-nn under each target, with targets and three months, and a
    formula indicator over the first two."""
    subjects = []
    for target in targets:
        for n in numbers:
            subject = indicator(target.agency, f"IKU-{n:02d}", strategic_target=target)
            services.target_set(
                by=SYSTEM, indicator=subject, year=YEAR, value=D(30), quarters=[D(8)] * 4
            )
            values(subject, {1: "9", 2: "10", 3: str(n)})
            subjects.append(subject)
        if 2 in numbers:
            indicator(
                target.agency, "IKU-99", strategic_target=target, data_source="formula",
                formula="{IKU-01} / {IKU-02} * 100",
            )  # fmt: skip
    return subjects


def queries_of(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_the_tree_costs_the_same_queries_for_thirty_four_indicators_as_for_six(cast):
    plan, targets = build(cast)
    add(targets, [1, 2])

    def tree():
        # a fresh user object each time: its scope is not memoised between the two
        from kinerja.accounts.models import User

        return performance_tree(
            User.objects.get(pk=cast.auditor.pk), plan=plan, period=Period(YEAR)
        )

    small = queries_of(tree)
    add(targets, range(3, 17))
    large = queries_of(tree)

    assert len(nodes(tree(), "indicator")) == 34
    assert large == small


def test_thirty_four_indicators_make_a_bounded_number_of_queries(
    cast, django_assert_max_num_queries
):
    plan, targets = build(cast)
    subjects = add(targets, range(1, 17))

    # the person's scope, goals, targets, indicators, missions, the year's rules (read twice
    # today), the formulas' references, targets, quarterly targets and realisations
    with django_assert_max_num_queries(15):
        root = performance_tree(cast.auditor, plan=plan, period=Period(YEAR))
    with django_assert_max_num_queries(7):
        results = indicator_results(subjects, YEAR)

    leaves = nodes(root, "indicator")
    assert len(leaves) == 34 and len(results) == 32
    ratio = (D(9) + D(10) + D(1)) / (D(9) + D(10) + D(2)) * 100  # of the sums, not the months
    shown = ratio.quantize(D("0.0001"))  # values are shown to four decimals
    assert {n.result.realisation for n in leaves if n.obj.code == "IKU-99"} == {shown}
