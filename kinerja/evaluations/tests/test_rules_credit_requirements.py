"""The cumulative credit points each jenjang needs for the next rank and the next jenjang
(``evaluations.CreditRequirement``, defaults valid from 2022; PermenPANRB 1/2023 as restated by
BKN for PerBKN 3/2023), row by row, and what the ledger says is still needed."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kinerja.evaluations.ledger import _needed
from kinerja.evaluations.models import CreditRequirement
from kinerja.evaluations.rules import credit_requirements

pytestmark = pytest.mark.django_db

# (jenjang, for the next rank, for the next jenjang: None at the top of its category)
TABLE = [
    ("pemula", "15", "15"),
    ("terampil", "20", "60"),
    ("mahir", "50", "100"),
    ("penyelia", "100", None),
    ("ahli_pertama", "50", "100"),
    ("ahli_muda", "100", "200"),
    ("ahli_madya", "150", "450"),
    ("ahli_utama", "200", None),
]


@pytest.mark.parametrize(("level", "rank", "jenjang"), TABLE, ids=[t[0] for t in TABLE])
def test_every_jenjang_needs_its_points(level, rank, jenjang):
    row = credit_requirements(2026)[level]
    assert row.for_rank == D(rank)
    assert row.for_level == (D(jenjang) if jenjang else None)


def test_the_table_has_every_functional_jenjang_and_nothing_else():
    assert set(credit_requirements(2026)) == {level for level, *_ in TABLE}


@pytest.mark.parametrize(
    ("level", "running", "rank_left", "level_left"),
    [
        ("ahli_pertama", "37.5", "12.5", "62.5"),
        ("ahli_pertama", "120", "0", "0"),
        ("penyelia", "80", "20", None),
    ],
)
def test_what_is_still_needed(level, running, rank_left, level_left):
    needed = _needed(level, D(running), 2026)
    assert needed.rank_left == D(rank_left)
    assert needed.level_left == (D(level_left) if level_left else None)


def test_a_new_regulation_is_a_whole_new_set_from_its_year():
    for level, rank, jenjang in TABLE:
        CreditRequirement.objects.create(
            valid_from=2028, level=level, for_rank=D("120") if level == "ahli_muda" else D(rank),
            for_level=D(jenjang) if jenjang else None,
        )  # fmt: skip
    assert credit_requirements(2027)["ahli_muda"].for_rank == D("100")
    assert credit_requirements(2028)["ahli_muda"].for_rank == D("120")
    assert credit_requirements(2028)["ahli_madya"].for_level == D("450")


def test_a_position_without_a_row_needs_nothing():
    assert _needed("pratama", D("10"), 2026) is None
