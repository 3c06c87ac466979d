"""``performance_tree`` and ``plan_for_year`` (``kinerja.strategy.selectors``): node averages
of the indicators below, a quarter's results, only the goals the person may see, narrowed to
agencies; a bounded number of queries (with ``indicator_results``) for thirty-four indicators as
for six."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.core.actors import SYSTEM
from kinerja.core.periods import Period
from kinerja.strategy import services
from kinerja.strategy.selectors import indicator_results, performance_tree, plan_for_year

from .support import monthly_values, selector_indicator

pytestmark = pytest.mark.django_db


YEAR = 2025  # wholly in the past


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
                subject = selector_indicator(
                    agency, ind_code, strategic_target=target, aggregation="last"
                )
                if target_value is not None:
                    services.target_set(by=SYSTEM,
                        indicator=subject, year=YEAR, value=D(target_value),
                        quarters=[D(target_value)] * 4,
                    )  # fmt: skip
                monthly_values(subject, {2: value})

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
            subject = selector_indicator(target.agency, f"IKU-{n:02d}", strategic_target=target)
            services.target_set(
                by=SYSTEM, indicator=subject, year=YEAR, value=D(30), quarters=[D(8)] * 4
            )
            monthly_values(subject, {1: "9", 2: "10", 3: str(n)})
            subjects.append(subject)
        if 2 in numbers:
            selector_indicator(
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
