"""The distribution curve (domain.md §3.2, SE MenPANRB 3/2023): for each organisation predicate
a distribution that keeps every constraint gives no warning, and one that breaks exactly one
constraint gives exactly one warning, naming it — under both readings of "sebagian besar"
(``more_than_half``, the default, and ``most_frequent``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.translation import override

from kinerja.evaluations.models import CurveRule, EvaluationSetting
from kinerja.evaluations.rules import (
    curve_majority_text,
    curve_rule_text,
    curve_rules,
    curve_warnings,
    evaluation_setting,
)

HALF, FREQUENT = "more_than_half", "most_frequent"
READINGS = [HALF, FREQUENT]

SB, B, BP, KM, SK = "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"
ISTIMEWA, BAIK, BUTUH, KURANG, SANGAT_KURANG = (
    "Istimewa",
    "Baik",
    "Butuh Perbaikan",
    "Kurang",
    "Sangat Kurang",
)

# The table of domain.md §3.2 as constraints: organisation predicate → (employee predicates,
# rule, value).
CONSTRAINTS = {
    ISTIMEWA: [((SB,), "most", 0), ((SB,), "max_pct", 70)],
    BAIK: [((B,), "most", 0), ((B,), "max_pct", 70), ((BP, KM), "min_count", 1)],
    BUTUH: [((SB,), "max_pct", 10), ((BP,), "min_pct", 60)],
    KURANG: [((SB,), "max_pct", 10), ((BP,), "min_pct", 10), ((KM,), "min_pct", 60)],
    SANGAT_KURANG: [((SB,), "max_count", 0), ((BP, KM), "min_pct", 10), ((SK,), "min_pct", 60)],
}


@pytest.fixture
def rules(db):
    return curve_rules(2026)


def test_the_curve_of_2026_is_the_table_of_the_domain(rules):
    assert {
        org: [(tuple(r.predicate_list), r.rule, r.value) for r in org_rules]
        for org, org_rules in rules.items()
    } == CONSTRAINTS


# (what the row shows, organisation predicate, employees per predicate)
FINE = [
    ("Istimewa, Sangat Baik the most at 60 %", ISTIMEWA, {SB: 6, B: 3, BP: 1}),
    ("Istimewa, exactly 70 % Sangat Baik", ISTIMEWA, {SB: 7, B: 3}),
    ("Istimewa, exactly 70 of 100 Sangat Baik", ISTIMEWA, {SB: 70, B: 20, BP: 5, KM: 5}),
    ("Baik, Baik the most, one BP and one K/M", BAIK, {SB: 2, B: 6, BP: 1, KM: 1}),
    ("Baik, exactly 70 % Baik and one K/M", BAIK, {SB: 2, B: 7, KM: 1}),
    ("Baik, one BP is enough", BAIK, {SB: 1, B: 3, BP: 1}),
    ("Butuh Perbaikan, exactly 10 % SB and 60 % BP", BUTUH, {SB: 1, B: 3, BP: 6}),
    ("Butuh Perbaikan, all BP", BUTUH, {BP: 5}),
    ("Butuh Perbaikan, exactly 60 of 100 BP", BUTUH, {SB: 10, B: 30, BP: 60}),
    ("Kurang, exactly 10 % SB, 10 % BP, 60 % K/M", KURANG, {SB: 1, B: 2, BP: 1, KM: 6}),
    ("Kurang, no SB", KURANG, {BP: 2, KM: 7, SK: 1}),
    ("Sangat Kurang, 10 % BP and 60 % SK", SANGAT_KURANG, {B: 3, BP: 1, SK: 6}),
    ("Sangat Kurang, 10 % K/M and 90 % SK", SANGAT_KURANG, {KM: 1, SK: 9}),
    ("Sangat Kurang, 5 % BP + 5 % K/M", SANGAT_KURANG, {B: 3, BP: 1, KM: 1, SK: 15}),
    ("a unit with no employees", ISTIMEWA, {}),
    ("a unit with no rated employees", SANGAT_KURANG, {SB: 0, SK: 0}),
]


@pytest.mark.parametrize("majority", READINGS)
@pytest.mark.parametrize(("org", "counts"), [r[1:] for r in FINE], ids=[r[0] for r in FINE])
def test_a_distribution_within_the_curve_gives_no_warning(rules, org, counts, majority):
    assert curve_warnings(org, counts, rules, majority) == []


@pytest.mark.parametrize("majority", READINGS)
@pytest.mark.parametrize("org", list(CONSTRAINTS))
def test_a_unit_with_no_employees_gives_no_warning(rules, org, majority):
    assert curve_warnings(org, {}, rules, majority) == []


# (what the row shows, organisation predicate, employees per predicate, the constraint broken
# (predicates, rule), its actual share or count, the English message) — read "most frequent";
# the rows of the "most" rule read "more than half" are in MORE_THAN_HALF below.
BROKEN = [
    (
        "Istimewa, Baik more frequent than Sangat Baik", ISTIMEWA, {SB: 4, B: 5, BP: 1},
        (SB,), "most", Decimal(4),
        "Sangat Baik should be the most frequent predicate (now 4).",
    ),
    (
        "Istimewa, Sangat Baik tied with Baik", ISTIMEWA, {SB: 5, B: 5},
        (SB,), "most", Decimal(5),
        "Sangat Baik should be the most frequent predicate (now 5).",
    ),
    (
        "Istimewa, 80 % Sangat Baik", ISTIMEWA, {SB: 8, B: 2},
        (SB,), "max_pct", Decimal("80.0"),
        "At most 70 % may be Sangat Baik (now 80.0 %).",
    ),
    (
        "Istimewa, 71 % Sangat Baik", ISTIMEWA, {SB: 71, B: 29},
        (SB,), "max_pct", Decimal("71.0"),
        "At most 70 % may be Sangat Baik (now 71.0 %).",
    ),
    (
        "Istimewa, all Sangat Baik", ISTIMEWA, {SB: 3},
        (SB,), "max_pct", Decimal("100.0"),
        "At most 70 % may be Sangat Baik (now 100.0 %).",
    ),
    (
        "Baik, Sangat Baik more frequent than Baik", BAIK, {SB: 5, B: 4, BP: 1},
        (B,), "most", Decimal(4),
        "Baik should be the most frequent predicate (now 4).",
    ),
    (
        "Baik, 80 % Baik", BAIK, {SB: 1, B: 8, BP: 1},
        (B,), "max_pct", Decimal("80.0"),
        "At most 70 % may be Baik (now 80.0 %).",
    ),
    (
        "Baik, nobody in BP or K/M", BAIK, {SB: 3, B: 7},
        (BP, KM), "min_count", Decimal(0),
        "At least 1 employee(s) should be Butuh Perbaikan + Kurang/Misconduct (now 0).",
    ),
    (
        "Baik, only Sangat Kurang below Baik", BAIK, {SB: 3, B: 6, SK: 1},
        (BP, KM), "min_count", Decimal(0),
        "At least 1 employee(s) should be Butuh Perbaikan + Kurang/Misconduct (now 0).",
    ),
    (
        "Butuh Perbaikan, 20 % Sangat Baik", BUTUH, {SB: 2, B: 2, BP: 6},
        (SB,), "max_pct", Decimal("20.0"),
        "At most 10 % may be Sangat Baik (now 20.0 %).",
    ),
    (
        "Butuh Perbaikan, 50 % BP", BUTUH, {SB: 1, B: 4, BP: 5},
        (BP,), "min_pct", Decimal("50.0"),
        "At least 60 % should be Butuh Perbaikan (now 50.0 %).",
    ),
    (
        "Butuh Perbaikan, 59 % BP", BUTUH, {B: 41, BP: 59},
        (BP,), "min_pct", Decimal("59.0"),
        "At least 60 % should be Butuh Perbaikan (now 59.0 %).",
    ),
    (
        "Kurang, 20 % Sangat Baik", KURANG, {SB: 2, B: 1, BP: 1, KM: 6},
        (SB,), "max_pct", Decimal("20.0"),
        "At most 10 % may be Sangat Baik (now 20.0 %).",
    ),
    (
        "Kurang, no BP", KURANG, {SB: 1, B: 2, KM: 7},
        (BP,), "min_pct", Decimal("0.0"),
        "At least 10 % should be Butuh Perbaikan (now 0.0 %).",
    ),
    (
        "Kurang, 50 % K/M", KURANG, {SB: 1, B: 2, BP: 2, KM: 5},
        (KM,), "min_pct", Decimal("50.0"),
        "At least 60 % should be Kurang/Misconduct (now 50.0 %).",
    ),
    (
        "Sangat Kurang, one Sangat Baik", SANGAT_KURANG, {SB: 1, B: 2, BP: 1, SK: 6},
        (SB,), "max_count", Decimal(1),
        "At most 0 employee(s) may be Sangat Baik (now 1).",
    ),
    (
        "Sangat Kurang, no BP or K/M", SANGAT_KURANG, {B: 4, SK: 6},
        (BP, KM), "min_pct", Decimal("0.0"),
        "At least 10 % should be Butuh Perbaikan + Kurang/Misconduct (now 0.0 %).",
    ),
    (
        "Sangat Kurang, 50 % Sangat Kurang", SANGAT_KURANG, {B: 3, KM: 2, SK: 5},
        (SK,), "min_pct", Decimal("50.0"),
        "At least 60 % should be Sangat Kurang (now 50.0 %).",
    ),
]  # fmt: skip


#: The "most" rows of BROKEN read "more than half": (actual share, message).
MORE_THAN_HALF = {
    "Istimewa, Baik more frequent than Sangat Baik": (
        Decimal("40.0"), "More than half should be Sangat Baik (now 40.0 %).",
    ),
    "Istimewa, Sangat Baik tied with Baik": (
        Decimal("50.0"), "More than half should be Sangat Baik (now 50.0 %).",
    ),
    "Baik, Sangat Baik more frequent than Baik": (
        Decimal("40.0"), "More than half should be Baik (now 40.0 %).",
    ),
}  # fmt: skip


def _reading(row, majority):
    label, org, counts, predicates, rule, actual, message = row
    if majority == HALF and label in MORE_THAN_HALF:
        actual, message = MORE_THAN_HALF[label]
    return org, counts, predicates, rule, actual, message, majority


@pytest.mark.parametrize(
    ("org", "counts", "predicates", "rule", "actual", "message", "majority"),
    [_reading(r, m) for r in BROKEN for m in READINGS],
    ids=[f"{r[0]} ({m})" for r in BROKEN for m in READINGS],
)
def test_breaking_one_constraint_gives_one_warning_naming_it(
    rules, org, counts, predicates, rule, actual, message, majority
):
    with override("en"):
        warnings = curve_warnings(org, counts, rules, majority)

    assert len(warnings) == 1
    (warning,) = warnings
    assert (warning.org_predicate, warning.predicates, warning.rule) == (org, predicates, rule)
    assert warning.value == {(p, r): v for p, r, v in CONSTRAINTS[org]}[(predicates, rule)]
    assert warning.actual == actual
    assert str(actual) in warning.message
    assert warning.message == message


def test_every_constraint_of_the_table_has_a_breaking_row():
    broken = {(r[1], r[3], r[4]) for r in BROKEN}
    assert broken == {(org, p, r) for org, cs in CONSTRAINTS.items() for p, r, _ in cs}
    assert set(MORE_THAN_HALF) == {r[0] for r in BROKEN if r[4] == "most"}


# The readings differ (the example first): (what the row shows, organisation
# predicate, counts, rules broken read "more than half", rules broken read "most frequent")
DIFFER = [
    ("Istimewa at 40 % SB, 30 % B, 30 % BP", ISTIMEWA, {SB: 4, B: 3, BP: 3}, ["most"], []),
    ("Baik at 45 % B, 35 % SB, 20 % BP", BAIK, {B: 9, SB: 7, BP: 4}, ["most"], []),
    ("Istimewa at 50 % SB, 50 % B (a tie)", ISTIMEWA, {SB: 5, B: 5}, ["most"], ["most"]),
    ("Istimewa at 60 % SB", ISTIMEWA, {SB: 6, B: 4}, [], []),
]


@pytest.mark.parametrize(
    ("org", "counts", "half", "frequent"), [r[1:] for r in DIFFER], ids=[r[0] for r in DIFFER]
)
def test_the_reading_of_sebagian_besar_decides_the_most_rule(rules, org, counts, half, frequent):
    assert [w.rule for w in curve_warnings(org, counts, rules, HALF)] == half
    assert [w.rule for w in curve_warnings(org, counts, rules, FREQUENT)] == frequent


def test_the_reading_is_a_parameter_of_the_year_more_than_half_by_default(db):
    assert evaluation_setting(2026).curve_majority == HALF
    EvaluationSetting.objects.create(valid_from=2027, curve_majority=FREQUENT)
    assert (evaluation_setting(2026).curve_majority, evaluation_setting(2027).curve_majority) == (
        HALF,
        FREQUENT,
    )
    with override("en"):
        assert "more than half" in curve_majority_text(HALF)
        assert "more frequent than any other" in curve_majority_text(FREQUENT)
        rule = curve_rules(2026)[ISTIMEWA][0]
        assert curve_rule_text(rule, HALF) == "more than half Sangat Baik"
        assert curve_rule_text(rule, FREQUENT) == "Sangat Baik is the most frequent predicate"


def test_a_share_just_above_the_maximum_warns_although_it_shows_rounded(rules):
    # 145 of 207 is 70.05 %, which rounds to 70.0 % for display but is more than 70 %.
    with override("en"):
        warnings = curve_warnings(ISTIMEWA, {SB: 145, B: 62}, rules)
    assert [(w.rule, w.predicates) for w in warnings] == [("max_pct", (SB,))]


def test_a_share_just_below_the_minimum_warns_although_it_shows_rounded(rules):
    # 241 of 402 is 59.95 %, which rounds to 60.0 % for display but is less than 60 %.
    with override("en"):
        warnings = curve_warnings(BUTUH, {BP: 241, B: 161}, rules)
    assert [(w.rule, w.predicates) for w in warnings] == [("min_pct", (BP,))]


def test_a_unit_breaking_several_constraints_gets_a_warning_for_each(rules):
    warnings = curve_warnings(SANGAT_KURANG, {SB: 5, B: 5}, rules)
    assert [(w.predicates, w.rule) for w in warnings] == [
        ((SB,), "max_count"),
        ((BP, KM), "min_pct"),
        ((SK,), "min_pct"),
    ]


def test_an_organisation_predicate_without_rules_gives_no_warning(rules):
    assert curve_warnings("Unknown", {SB: 10}, rules) == []


def test_a_new_curve_from_2027_applies_from_2027_only(db):
    CurveRule.objects.create(
        valid_from=2027, org_predicate=ISTIMEWA, predicates=SB, rule="max_pct", value=80
    )
    counts = {SB: 8, B: 2}

    assert [w.rule for w in curve_warnings(ISTIMEWA, counts, curve_rules(2026))] == ["max_pct"]
    assert curve_warnings(ISTIMEWA, counts, curve_rules(2027)) == []
    # The rows of 2027 replace the whole curve, not only the Istimewa rules.
    assert curve_warnings(BAIK, {SB: 10}, curve_rules(2027)) == []
