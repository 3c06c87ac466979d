"""The employee predicate from the results and behaviour ratings: the quadrant of domain.md §3.1,
read from the year-versioned table the migration loads (valid from 2022)."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from kinerja.evaluations.models import QuadrantCell
from kinerja.evaluations.rules import predicate_for, quadrant

SB, B, BP, KM, SK = "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"

# (results, behaviour, predicate): domain.md §3.1, row by row (results ↓, behaviour →).
QUADRANT = [
    ("above", "below", KM),
    ("above", "meets", B),
    ("above", "above", SB),
    ("meets", "below", KM),
    ("meets", "meets", B),
    ("meets", "above", B),
    ("below", "below", SK),
    ("below", "meets", BP),
    ("below", "above", BP),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("results", "behaviour", "predicate"), QUADRANT)
def test_the_predicate_of_2026_is_the_quadrant_cell(results, behaviour, predicate):
    assert predicate_for(results, behaviour, 2026) == predicate


@pytest.mark.django_db
def test_the_quadrant_of_2026_has_exactly_the_nine_cells_of_the_domain():
    assert quadrant(2026) == {(r, b): p for r, b, p in QUADRANT}


@pytest.mark.django_db
def test_a_given_table_is_used_without_reading_the_database(django_assert_num_queries):
    table = quadrant(2026)
    with django_assert_num_queries(0):
        assert predicate_for("above", "above", 2026, table) == SB


@pytest.mark.django_db
def test_a_new_quadrant_from_2027_changes_2027_but_not_2026():
    for results, behaviour, predicate in QUADRANT:
        if (results, behaviour) == ("meets", "above"):
            predicate = SB
        QuadrantCell.objects.create(
            valid_from=2027, results=results, behaviour=behaviour, predicate=predicate
        )

    assert predicate_for("meets", "above", 2026) == B
    assert predicate_for("meets", "above", 2027) == SB
    assert predicate_for("meets", "above", 2030) == SB
    # The other cells of 2027 are as before.
    assert predicate_for("below", "below", 2027) == SK
    assert predicate_for("above", "meets", 2027) == B


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("results", "behaviour"),
    [("excellent", "above"), ("above", "excellent"), ("", ""), ("Above", "above")],
)
def test_an_unknown_combination_raises_value_error(results, behaviour):
    with override("en"), pytest.raises(ValueError, match="No predicate is defined"):
        predicate_for(results, behaviour, 2026, quadrant(2026))


@pytest.mark.django_db
def test_a_year_before_any_quadrant_has_no_predicate():
    with pytest.raises(ValueError):
        predicate_for("meets", "meets", 2021)
