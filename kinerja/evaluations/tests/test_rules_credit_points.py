"""Credit points of functional positions (domain.md §3.3):
``AK = (months / 12) × predicate % × yearly coefficient of the jenjang``, rounded half up to two
decimals. The expected values below are worked out by hand, not by the formula."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kinerja.evaluations.models import CreditCoefficient
from kinerja.evaluations.rules import credit_points, credit_rules

SB, B, BP, KM, SK = "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"

COEFFICIENTS = {
    "pemula": D("3.75"),
    "ahli_pertama": D("12.5"),
    "ahli_muda": D("25"),
    "ahli_madya": D("37.5"),
    "ahli_utama": D("50"),
    "terampil": D("5"),
    "mahir": D("12.5"),
    "penyelia": D("25"),
}
PERCENTS = {SB: D("150"), B: D("100"), BP: D("75"), KM: D("50"), SK: D("25")}


@pytest.fixture
def rules(db):
    return credit_rules(2026)


def test_the_percents_and_coefficients_of_2026_are_those_of_the_domain(rules):
    assert rules.percent == PERCENTS
    assert rules.coefficient == COEFFICIENTS


# (jenjang, predicate, AK for 12 months, AK for 6 months). Worked by hand: e.g. Ahli Madya,
# Butuh Perbaikan: 37.5 × 75 % = 28.125 → 28.13 a year; half of it, 14.0625 → 14.06.
TABLE = [
    # Pemula: 3.75 a year (PermenPANRB 1/2023). Baik 3.75 → 1.875 → 1.88 for six months;
    # Sangat Baik 5.625 → 5.63 (half up), half of it 2.8125 → 2.81.
    ("pemula", SB, "5.63", "2.81"),
    ("pemula", B, "3.75", "1.88"),
    ("pemula", BP, "2.81", "1.41"),  # 2.8125; 1.40625
    ("pemula", KM, "1.88", "0.94"),  # 1.875; 0.9375
    ("pemula", SK, "0.94", "0.47"),  # 0.9375; 0.46875
    ("ahli_pertama", SB, "18.75", "9.38"),
    ("ahli_pertama", B, "12.50", "6.25"),
    ("ahli_pertama", BP, "9.38", "4.69"),
    ("ahli_pertama", KM, "6.25", "3.13"),
    ("ahli_pertama", SK, "3.13", "1.56"),
    ("ahli_muda", SB, "37.50", "18.75"),
    ("ahli_muda", B, "25.00", "12.50"),
    ("ahli_muda", BP, "18.75", "9.38"),
    ("ahli_muda", KM, "12.50", "6.25"),
    ("ahli_muda", SK, "6.25", "3.13"),
    ("ahli_madya", SB, "56.25", "28.13"),
    ("ahli_madya", B, "37.50", "18.75"),
    ("ahli_madya", BP, "28.13", "14.06"),
    ("ahli_madya", KM, "18.75", "9.38"),
    ("ahli_madya", SK, "9.38", "4.69"),
    ("ahli_utama", SB, "75.00", "37.50"),
    ("ahli_utama", B, "50.00", "25.00"),
    ("ahli_utama", BP, "37.50", "18.75"),
    ("ahli_utama", KM, "25.00", "12.50"),
    ("ahli_utama", SK, "12.50", "6.25"),
    ("terampil", SB, "7.50", "3.75"),
    ("terampil", B, "5.00", "2.50"),
    ("terampil", BP, "3.75", "1.88"),
    ("terampil", KM, "2.50", "1.25"),
    ("terampil", SK, "1.25", "0.63"),
    ("mahir", SB, "18.75", "9.38"),
    ("mahir", B, "12.50", "6.25"),
    ("mahir", BP, "9.38", "4.69"),
    ("mahir", KM, "6.25", "3.13"),
    ("mahir", SK, "3.13", "1.56"),
    ("penyelia", SB, "37.50", "18.75"),
    ("penyelia", B, "25.00", "12.50"),
    ("penyelia", BP, "18.75", "9.38"),
    ("penyelia", KM, "12.50", "6.25"),
    ("penyelia", SK, "6.25", "3.13"),
]


@pytest.mark.parametrize(
    ("level", "predicate", "year_ak", "half_year_ak"),
    TABLE,
    ids=[f"{level}-{predicate}" for level, predicate, *_ in TABLE],
)
def test_credit_points_of_every_jenjang_and_predicate(
    rules, level, predicate, year_ak, half_year_ak
):
    def ak(months):
        return credit_points(level=level, predicate=predicate, months=months, rules=rules)

    assert ak(12) == D(year_ak)
    assert ak(6) == D(half_year_ak)
    assert str(ak(12)) == year_ak  # two decimals, also for whole numbers


def test_the_table_covers_every_jenjang_and_predicate():
    assert {(level, predicate) for level, predicate, *_ in TABLE} == {
        (level, predicate) for level in COEFFICIENTS for predicate in PERCENTS
    }


# (months, AK of an Ahli Pertama rated Baik): 12.5 × months / 12.
MONTHS = [
    (0, "0.00"),
    (1, "1.04"),  # 1.0417
    (2, "2.08"),  # the example of domain.md §3.3: 2.0833
    (3, "3.13"),  # 3.125, half up
    (5, "5.21"),  # 5.2083
    (7, "7.29"),  # 7.2917
    (11, "11.46"),  # 11.4583
    (12, "12.50"),
]


@pytest.mark.parametrize(("months", "expected"), MONTHS)
def test_credit_points_grow_with_the_months_worked(rules, months, expected):
    assert credit_points(level="ahli_pertama", predicate=B, months=months, rules=rules) == D(
        expected
    )


def test_the_example_of_the_domain(rules):
    ak = credit_points(level="ahli_pertama", predicate="Baik", months=2, rules=rules)
    assert ak == D("2.08")


def test_twelve_months_give_the_whole_yearly_coefficient_times_the_percent(rules):
    assert credit_points(level="ahli_madya", predicate=SB, months=12, rules=rules) == D("56.25")
    assert credit_points(level="terampil", predicate=B, months=12, rules=rules) == D("5.00")


@pytest.mark.parametrize(
    "level", ["utama", "madya", "pratama", "", "pelaksana", "Ahli Pertama", "AHLI_PERTAMA"]
)
def test_a_position_without_a_coefficient_has_no_credit_points(rules, level):
    assert credit_points(level=level, predicate=B, months=12, rules=rules) is None


def test_an_unknown_predicate_has_no_credit_points(rules):
    assert credit_points(level="ahli_muda", predicate="Cukup", months=12, rules=rules) is None


def test_a_new_coefficient_from_2027_applies_from_2027_only(db):
    # A year's coefficients are read as one table: the new regulation has a row per jenjang.
    for level, coefficient in COEFFICIENTS.items():
        new = D("15") if level == "ahli_pertama" else coefficient
        CreditCoefficient.objects.create(valid_from=2027, level=level, coefficient=new)

    def ak(year, level="ahli_pertama"):
        return credit_points(level=level, predicate=B, months=12, rules=credit_rules(year))

    assert ak(2026) == D("12.50")
    assert ak(2027) == D("15.00")
    assert ak(2031) == D("15.00")
    assert ak(2027, "ahli_muda") == D("25.00")
    assert credit_rules(2026).coefficient == COEFFICIENTS
