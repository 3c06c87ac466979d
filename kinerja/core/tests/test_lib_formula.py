"""The formula language of formula indicators: values, "not measurable", refusals, cycles."""

import builtins
from decimal import Decimal

import pytest
from django.utils import translation

from kinerja.core.formula import (
    MAX_DEPTH,
    MAX_LENGTH,
    FormulaError,
    check_no_cycle,
    check_references,
    find_cycle,
    normalize_code,
    parse,
)

D = Decimal
VALUES = {"A": D("10"), "B": D("4"), "C": D("0"), "IKU-01": D("45"), "IKU-02": D("50")}


@pytest.fixture(autouse=True)
def english():
    # The messages are asserted in their English source form, whatever the default language.
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # numbers
        ("12", D("12")),
        ("0.5", D("0.5")),
        ("007.250", D("7.25")),
        ("123456789012345678901234567", D("123456789012345678901234567")),
        # precedence and associativity
        ("1 + 2 * 3", D("7")),
        ("(1 + 2) * 3", D("9")),
        ("8 / 4 / 2", D("1")),
        ("8 / (4 / 2)", D("4")),
        ("10 - 4 - 3", D("3")),
        ("10 - (4 - 3)", D("9")),
        ("2 * 3 / 4", D("1.5")),
        ("1 + 2 - 3 + 4", D("4")),
        # unary signs
        ("-5", D("-5")),
        ("+5", D("5")),
        ("-(2 + 3)", D("-5")),
        ("--5", D("5")),
        ("- + - 5", D("5")),
        ("2 * -3", D("-6")),
        ("-2 * -3", D("6")),
        ("1 - -1", D("2")),
        # exact decimals
        ("0.1 + 0.2", D("0.3")),
        ("1 / 3 * 3", D("0.9999999999999999999999999999")),  # 28 digits, not rounded
        ("1 / 8", D("0.125")),
        ("2 / 3", D("0.6666666666666666666666666667")),
        # whitespace anywhere
        ("  1\t+\n2  ", D("3")),
        ("1+2*3", D("7")),
        # min and max
        ("min(3)", D("3")),
        ("min(3, 1, 2)", D("1")),
        ("max(3, 1, 2, 7, -8)", D("7")),
        ("MAX(1, 2)", D("2")),
        ("min(max(1, 2), max(0, 1.5))", D("1.5")),
        ("max({A}, {B}) - min({A}, {B})", D("6")),
        # if with each comparison
        ("if({A} < {B}, 1, 2)", D("2")),
        ("if({A} <= 10, 1, 2)", D("1")),
        ("if({A} > {B}, 1, 2)", D("1")),
        ("if({A} >= 11, 1, 2)", D("2")),
        ("if({A} == 10.0, 1, 2)", D("1")),
        ("if({A} != 10, 1, 2)", D("2")),
        # and, or, not and grouped conditions
        ("if({A} > 1 and {B} > 1, 1, 2)", D("1")),
        ("if({A} > 1 and {B} > 5, 1, 2)", D("2")),
        ("if({A} > 50 or {B} > 1, 1, 2)", D("1")),
        ("if({A} > 50 or {B} > 50, 1, 2)", D("2")),
        ("if(not {A} > 50, 1, 2)", D("1")),
        ("if(not not {A} > 50, 1, 2)", D("2")),
        ("if(NOT {A} > 1 OR {B} == 4, 1, 2)", D("1")),
        ("if({A} > 1 and ({B} > 5 or {C} == 0), 1, 2)", D("1")),
        ("if(({A} > 1 and {B} > 5) or {C} == 1, 1, 2)", D("2")),
        ("if({A} > 1 or {B} > 1 and {C} > 1, 1, 2)", D("1")),  # and binds tighter
        ("if({A} + 1 > {B} * 2, {A} - {B}, 0)", D("6")),
        # references and nesting
        ("{IKU-01} / {IKU-02} * 100", D("90")),
        ("{iku-01} / {Iku-02} * 100", D("90")),
        ("{ A } * 2", D("20")),
        ("({A} + {B}) / 2", D("7")),
        ("if({B} == 0, 0, {A} / {B})", D("2.5")),
        ("if({A} > 5, if({B} > 5, 1, 2), 3)", D("2")),
        ("max(0, min(100, {IKU-01} / {IKU-02} * 100 + 20))", D("100")),
    ],
)
def test_a_formula_evaluates_to_its_exact_decimal_value(text, expected):
    result = parse(text).evaluate(VALUES)

    assert isinstance(result, Decimal)
    assert result == expected


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("1 / 0", {}),
        ("0 / 0", {}),
        ("{A} / {C}", VALUES),
        ("{A} / ({B} - 4)", VALUES),
        ("1 + 2 / (3 - 3) * 4", {}),
        ("min(1, 2 / 0)", {}),
        ("if(1 / 0 > 1, 1, 2)", {}),
        ("if({A} > 1, {A} / {C}, 0)", VALUES),
        ("{A} + {MISSING}", VALUES),
        ("{A}", {"A": None}),
        ("{A} * 0", {"A": None}),
        ("max({A}, {B})", {"A": D("1")}),
        ("if({A} > 1, 1, 2)", {}),
        ("if({A} > 1 and {B} > 1, 1, 2)", {"A": D("5")}),
        ("{A}", {"A": D("NaN")}),
        ("{A} + 1", {"A": D("Infinity")}),
    ],
)
def test_division_by_zero_or_a_missing_value_makes_the_formula_not_measurable(text, values):
    assert parse(text).evaluate(values) is None


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("if({B} == 0, 0, {A} / {B})", {"A": D("5"), "B": D("0")}, D("0")),
        ("if({B} != 0, {A} / {B}, -1)", {"A": D("5"), "B": D("0")}, D("-1")),
        ("if({A} > 1, 7, {MISSING})", {"A": D("5")}, D("7")),
        ("if({A} > 1 or {MISSING} > 1, 1, 2)", {"A": D("5")}, D("1")),
        ("if({A} > 9 and 1 / 0 > 1, 1, 2)", {"A": D("5")}, D("2")),
    ],
)
def test_if_and_or_evaluate_only_the_path_they_take(text, values, expected):
    assert parse(text).evaluate(values) == expected


@pytest.mark.parametrize(
    ("text", "references"),
    [
        ("1 + 2", set()),
        ("{IKU-01} / {IKU-02} * 100", {"IKU-01", "IKU-02"}),
        ("{a} + {A} + {b.c_d-9}", {"A", "B.C_D-9"}),
        ("if({X} > 0, {Y}, max({Z}, 1))", {"X", "Y", "Z"}),
        ("{" + "Q" * 40 + "}", {"Q" * 40}),
    ],
)
def test_references_are_collected_in_upper_case(text, references):
    formula = parse(text)

    assert formula.references == frozenset(references)
    assert formula.text == text


@pytest.mark.parametrize(
    ("raw", "expected"), [("iku-01", "IKU-01"), (" Ss.2_a ", "SS.2_A"), ("A", "A")]
)
def test_normalize_code_gives_the_stored_upper_case_code(raw, expected):
    assert normalize_code(raw) == expected


def test_a_lower_case_reference_reads_the_upper_case_value():
    assert parse("{iku-01} * 2").evaluate({"IKU-01": D("3")}) == D("6")


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("", "The formula is empty.", None),
        ("   \t\n ", "The formula is empty.", None),
        ("1 +", "ends too early", 3),
        ("1 +   ", "ends too early", 3),
        ("min(1,", "Unbalanced parentheses", 3),
        ("(1 + 2", "Unbalanced parentheses", 0),
        ("((1) + 2", "Unbalanced parentheses", 0),
        ("1 + 2)", "Unbalanced parentheses", 5),
        ("{}", "An indicator code is missing between the braces", 0),
        ("1 + { }", "An indicator code is missing between the braces", 4),
        ("{A B}", "'A B' at position 1 is not an indicator code", 0),
        ("{A/B}", "is not an indicator code", 0),
        ("{" + "Q" * 41 + "}", "is not an indicator code", 0),
        ("{A}{B}", "Unexpected '{B}' at position 4; an operator", 3),
        ("2 3", "Unexpected '3' at position 3", 2),
        ("{A", "The '{' at position 1 is not closed", 0),
        ("A}", "Unexpected character '}' at position 2.", 1),
        ("2 ** 3", "Unexpected '*' at position 4.", 3),
        ("2 ^ 3", "Unexpected character '^' at position 3.", 2),
        ("1 % 2", "Unexpected character '%' at position 3.", 2),
        ("1 @ 2", "Unexpected character '@' at position 3.", 2),
        ("sqrt(4)", "Unknown function 'sqrt'; use min, max or if.", 0),
        ("1 + abs(-1)", "Unknown function 'abs'", 4),
        ("IKU01 + 1", "Unknown name 'IKU01' at position 1", 0),
        ("if(1, 2)", "if() needs 3 arguments", 0),
        ("if()", "if() needs 3 arguments", 0),
        ("if({A} > 1, 2, 3, 4)", "if() needs 3 arguments", 0),
        ("if(1, 2, 3)", "The first argument of if() at position 4 must be a comparison", 3),
        ("if({A} > 1, {B} > 1, 3)", "Comparisons are only allowed as the condition of if()", 16),
        ("{A} > 1", "Comparisons are only allowed as the condition of if()", 4),
        ("({A} > 1)", "Comparisons are only allowed as the condition of if()", 5),
        ("1 + ({A} > 1)", "Comparisons are only allowed as the condition of if()", 9),
        ("-({A} > 1)", "Comparisons are only allowed as the condition of if()", 6),
        ("{A} > 1 and {B} > 1", "Comparisons are only allowed as the condition of if()", 8),
        ("max(1, {A} > 1)", "Comparisons are only allowed as the condition of if()", 11),
        ("1 < 2 < 3", "Unexpected '<' at position 7.", 6),
        ("if({A} = 1, 1, 2)", "compare with ==", 7),
        ("if({A} > 1 and 2, 1, 2)", "'and' at position 12 works on comparisons", 11),
        ("if(not 1, 1, 2)", "'not' at position 4 works on comparisons", 3),
        ("min()", "min() needs at least one value", 0),
        ("MAX()", "max() needs at least one value", 0),
        ("1, 2", "Unexpected ',' at position 2.", 1),
        ("1.", "Unexpected character '.' at position 2.", 1),
        (".5", "Unexpected character '.' at position 1.", 0),
        ("1e3", "Unexpected 'e3' at position 2", 1),
        # Python is not the formula language
        ("__import__('os')", "Unexpected character ''' at position 12.", 11),
        ("open('x')", "Unexpected character '''", 5),
        ("1; 2", "Unexpected character ';' at position 2.", 1),
        ("a.b", "Unexpected character '.' at position 2.", 1),
        ("lambda: 1", "Unexpected character ':' at position 7.", 6),
        ("[1]", "Unexpected character '['", 0),
        ("'x'", "Unexpected character '''", 0),
        ("1 if 1 else 2", "Unexpected 'if' at position 3", 2),
        ('exec("1")', "Unexpected character '\"'", 5),
        ("x", "Unknown name 'x'", 0),
        ("{A}.__class__", "Unexpected character '.'", 3),
        # only ASCII digits are numbers
        ("١٢", "Unexpected character '١' at position 1.", 0),
        ("1 + ５", "Unexpected character '５' at position 5.", 4),
        ("1 + ²", "Unexpected character '²'", 4),
        # limits
        ("1" * (MAX_LENGTH + 1), "The formula is longer than 500 characters.", None),
        ("1 +" * 200 + " 1", "The formula is longer than 500 characters.", None),
        ("(" * 200 + "1" + ")" * 200, "more than 30 levels deep (position 31)", MAX_DEPTH),
        ("min(" * 31 + "1" + ")" * 31, "more than 30 levels deep", 4 * MAX_DEPTH + 3),
    ],
)
def test_anything_that_is_not_a_formula_is_refused_with_a_precise_message(text, message, position):
    with pytest.raises(FormulaError) as caught:
        parse(text)

    assert message in caught.value.message
    assert str(caught.value) == caught.value.message
    assert caught.value.position == position


@pytest.mark.parametrize(
    "text",
    [
        "(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH,
        "min(" * MAX_DEPTH + "{A}" + ")" * MAX_DEPTH,
        "if({A} > 0, " * (MAX_DEPTH - 1) + "1" + ", 0)" * (MAX_DEPTH - 1),
        "1" + "+1" * ((MAX_LENGTH - 1) // 2),
        "-" * (MAX_LENGTH - 1) + "1",
        "if(" + "not " * 120 + "{A} > 0, 1, 0)",
    ],
)
def test_formulas_at_the_limits_parse_and_evaluate_without_recursion_errors(text):
    assert len(text) <= MAX_LENGTH
    assert isinstance(parse(text).evaluate(VALUES), Decimal)


def test_a_formula_of_exactly_the_maximum_length_is_accepted():
    text = "1" * MAX_LENGTH

    assert parse(text).evaluate({}) == D(text)


def test_evaluation_never_hands_the_text_to_python(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("Python was asked to run formula text")

    # The parser is built at import time; parsing and evaluating must not need these at all.
    with monkeypatch.context() as patched:
        for name in ("eval", "exec", "compile"):
            patched.setattr(builtins, name, refuse)

        formula = parse("if({A} > 1, max({A}, 2) / {B}, -1)")
        value = formula.evaluate(VALUES)
        with pytest.raises(FormulaError) as caught:
            parse("__import__('os').system('true')")

    assert value == D("2.5")
    assert caught.value.position == 11


@pytest.mark.parametrize(
    ("text", "known", "message", "position"),
    [
        ("{A} + {Z} + {Y}", ["A", "B"], "Unknown indicator code Y.", 12),
        ("{a} + {z}", ["a"], "Unknown indicator code Z.", 6),
    ],
)
def test_check_references_names_the_first_unknown_code(text, known, message, position):
    with pytest.raises(FormulaError) as caught:
        check_references(parse(text), known)

    assert caught.value.message == message
    assert caught.value.position == position


@pytest.mark.parametrize(
    ("text", "known"),
    [("1 + 2", []), ("{A} + {b}", ["a", "B", "C"]), ("{IKU-01}", {"iku-01"})],
)
def test_check_references_accepts_known_codes(text, known):
    assert check_references(parse(text), known) is None


@pytest.mark.parametrize(
    ("graph", "start", "cycle"),
    [
        ({}, "A", None),
        ({"A": []}, "A", None),
        ({"A": ["B", "C"], "B": ["C"], "C": []}, "A", None),
        ({"A": ["A"]}, "A", ["A", "A"]),
        ({"A": ["B"], "B": ["A"]}, "A", ["A", "B", "A"]),
        ({"A": ["B"], "B": ["C"], "C": ["A"]}, "A", ["A", "B", "C", "A"]),
        ({"A": ["X", "B"], "X": [], "B": ["C"], "C": ["A"]}, "A", ["A", "B", "C", "A"]),
        ({"A": ["B"], "B": ["C"], "C": ["B"]}, "A", None),  # a cycle that misses A
        ({"A": ["B"], "B": ["B"]}, "A", None),
        ({"A": frozenset({"B"}), "B": (c for c in ["A"])}, "A", ["A", "B", "A"]),
    ],
)
def test_find_cycle_returns_the_path_back_to_the_start(graph, start, cycle):
    assert find_cycle(graph, start) == cycle


def test_find_cycle_follows_a_long_chain_without_recursion():
    n = 10_000
    chain = {f"N{i}": [f"N{i + 1}"] for i in range(n)}

    assert find_cycle(chain, "N0") is None

    chain[f"N{n}"] = ["N0"]
    cycle = find_cycle(chain, "N0")
    assert cycle is not None
    assert len(cycle) == n + 2
    assert cycle[0] == cycle[-1] == "N0"


@pytest.mark.parametrize(
    ("code", "text", "graph", "message"),
    [
        ("A", "{a} + 1", {}, "The formula refers back to A: A → A."),
        ("a", "{B} * 2", {"B": ["C"], "C": ["A"]}, "The formula refers back to A: A → B → C → A."),
    ],
)
def test_check_no_cycle_refuses_a_formula_that_leads_back_to_itself(code, text, graph, message):
    with pytest.raises(FormulaError) as caught:
        check_no_cycle(code, parse(text), graph)

    assert caught.value.message == message
    assert caught.value.position == 0


def test_check_no_cycle_uses_the_new_formula_instead_of_the_stored_one():
    graph = {"A": ["B"], "B": ["C"]}

    assert check_no_cycle("A", parse("{C} + 1"), graph) is None
    assert check_no_cycle("C", parse("{D}"), graph) is None
