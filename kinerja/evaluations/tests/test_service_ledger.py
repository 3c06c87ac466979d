"""The credit-point ledger, month by month (kinerja/evaluations/ledger.py): every periodic and
annual rating of a functional employee's plan is an entry of months × percentage ×
coefficient ÷ 12; each calendar month counts once, over transfers and entrants.

The employee is a Perawat Terampil (coefficient 5 a year); a transfer moves her to Mahir
(12.5). Expected points are worked by hand: e.g. 3 months Baik as Terampil = 3 × 100 % × 5 ÷
12 = 1.25; 2 months Baik as Mahir = 2 × 12.5 ÷ 12 = 2.0833 → 2.08."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from kinerja.evaluations.ledger import ledger_refresh
from kinerja.evaluations.models import CreditEntry, Evaluation
from kinerja.evaluations.rules import predicate_for
from kinerja.evaluations.services import rhythm_set
from kinerja.skp import services as skp_services
from kinerja.skp.models import SkpState

from .ledger_support import ledger, plan_from, rate, transfer
from .support import ANNUAL, YEAR

pytestmark = pytest.mark.django_db

Q1, Q2, Q3, Q4 = (f"{YEAR}-Q{n}" for n in range(1, 5))


def d(month: int, day: int) -> date:
    return date(YEAR, month, day)


def total(employee) -> D:
    return sum((e.points for e in CreditEntry.objects.filter(employee=employee)), D(0))


def months(employee) -> int:
    return sum(e.months for e in CreditEntry.objects.filter(employee=employee))


def test_four_quarters_and_the_year_count_twelve_months_once(cast):
    skp = plan_from(cast)
    rate(cast, skp, Q1)
    rate(cast, skp, Q2, "Sangat Baik")
    rate(cast, skp, Q3)
    rate(cast, skp, Q4)
    annual = rate(cast, skp, ANNUAL)
    assert ledger(skp.employee) == [
        (Q1, 3, 1, 3, "Baik", D("1.25")),
        (Q2, 3, 4, 6, "Sangat Baik", D("1.88")),  # 3 × 150 % × 5 ÷ 12 = 1.875
        (Q3, 3, 7, 9, "Baik", D("1.25")),
        (Q4, 3, 10, 12, "Baik", D("1.25")),
    ]  # the annual rating finds every month counted: no entry of its own
    annual.refresh_from_db()
    assert (annual.months, annual.credit_points) == (12, D("5.63"))


def test_a_year_rated_only_annually_counts_its_twelve_months(cast):
    skp = plan_from(cast)
    annual = rate(cast, skp, ANNUAL)
    assert ledger(skp.employee) == [(ANNUAL, 12, 1, 12, "Baik", D("5.00"))]
    assert annual.credit_entry.coefficient == D("5")
    assert annual.credit_points == D("5.00")


def test_the_annual_rating_counts_only_the_months_no_periodic_rating_covers(cast):
    skp = plan_from(cast)
    rate(cast, skp, Q2, "Sangat Baik")
    rate(cast, skp, ANNUAL)
    # Q2: 3 × 150 % × 5 ÷ 12 = 1.875 → 1.88; the year: the other 9 months, 9 × 5 ÷ 12 = 3.75
    assert ledger(skp.employee) == [
        (ANNUAL, 9, 1, 12, "Baik", D("3.75")),
        (Q2, 3, 4, 6, "Sangat Baik", D("1.88")),
    ]
    assert months(skp.employee) == 12


def test_an_entrant_on_15_march_counts_from_april(cast):
    skp = plan_from(cast, start=d(3, 15))
    assert (skp.starts_on, skp.tmt_sk_number) == (d(3, 15), "800/1/BKPSDM")
    with pytest.raises(ValidationError) as refused:
        rate(cast, skp, Q1)  # the plan counts no month of Q1
    assert "period" in refused.value.message_dict
    rate(cast, skp, Q2)
    annual = rate(cast, skp, ANNUAL)
    assert ledger(skp.employee) == [
        (Q2, 3, 4, 6, "Baik", D("1.25")),
        (ANNUAL, 6, 7, 12, "Baik", D("2.50")),
    ]
    assert months(skp.employee) == 9
    assert (annual.months, annual.credit_points) == (9, D("3.75"))  # 9 × 5 ÷ 12


def test_an_entrant_on_1_march_counts_march(cast):
    skp = plan_from(cast, start=d(3, 1))
    rate(cast, skp, Q1)
    assert ledger(skp.employee) == [(Q1, 1, 3, 3, "Baik", D("0.42"))]  # 5 ÷ 12 = 0.4167


@pytest.mark.parametrize(
    ("on", "old_q3_months", "new_q3_months"),
    [(d(7, 1), 0, 3), (d(7, 15), 1, 2)],
    ids=["transfer 1 July", "transfer 15 July"],
)
def test_a_transfer_counts_the_transfer_month_once(cast, on, old_q3_months, new_q3_months):
    old = plan_from(cast)
    rate(cast, old, Q1)
    rate(cast, old, Q2)
    new = transfer(cast, old, on)
    old.refresh_from_db()
    assert (old.state, old.ends_on, old.end_reason) == (SkpState.CLOSED, on, "transfer")
    assert (new.starts_on, new.tmt_sk_number, new.previous_id) == (on, "821/7/2025", old.pk)
    if old_q3_months:
        rate(cast, old, Q3)  # a closed plan is rated for its own months
        old.refresh_from_db()
        assert old.state == SkpState.CLOSED  # and stays closed
    else:
        with pytest.raises(ValidationError):
            rate(cast, old, Q3)
    rate(cast, new, Q3)
    rate(cast, new, Q4)
    entries = {(e.skp_id, e.period): e for e in CreditEntry.objects.filter(employee=old.employee)}
    assert entries[(new.pk, Q3)].months == new_q3_months
    assert entries[(new.pk, Q3)].coefficient == D("12.5")
    if old_q3_months:
        assert entries[(old.pk, Q3)].months == old_q3_months
        assert entries[(old.pk, Q3)].points == D("0.42")
    assert months(old.employee) == 12
    # 6 months Terampil (2.50) [+ July Terampil 0.42] + Mahir months × 12.5 ÷ 12, per entry
    mahir = {3: D("3.13"), 2: D("2.08")}[new_q3_months] + D("3.13")
    assert total(old.employee) == D("2.50") + (D("0.42") if old_q3_months else 0) + mahir


def test_a_closed_plan_rated_annually_first_gives_months_to_a_later_periodic_rating(cast):
    old = plan_from(cast)
    transfer(cast, old, d(7, 15))
    annual = rate(cast, old, ANNUAL)
    assert ledger(old.employee) == [(ANNUAL, 7, 1, 7, "Baik", D("2.92"))]  # 7 × 5 ÷ 12 = 2.9167
    rate(cast, old, Q1, "Sangat Baik")
    assert ledger(old.employee) == [
        (Q1, 3, 1, 3, "Sangat Baik", D("1.88")),
        (ANNUAL, 4, 4, 7, "Baik", D("1.67")),  # 4 × 5 ÷ 12 = 1.6667
    ]
    annual.refresh_from_db()
    assert (annual.months, annual.credit_points) == (7, D("3.55"))
    old.refresh_from_db()
    assert old.state == SkpState.CLOSED


def test_death_on_10_october_counts_october(cast):
    skp = plan_from(cast)
    skp_services.skp_end(skp=skp, by=cast.pengelola, on=d(10, 10), reason="death")
    rate(cast, skp, ANNUAL)
    assert ledger(skp.employee) == [(ANNUAL, 10, 1, 10, "Baik", D("4.17"))]  # 10 × 5 ÷ 12


def test_a_changed_predicate_changes_the_entry_and_refreshing_twice_changes_nothing(cast):
    skp = plan_from(cast)
    q1 = rate(cast, skp, Q1, "Butuh Perbaikan")
    assert ledger(skp.employee) == [(Q1, 3, 1, 3, "Butuh Perbaikan", D("0.94"))]  # 0.9375
    Evaluation.objects.filter(pk=q1.pk).update(
        results_rating="above", predicate=predicate_for("above", "above", YEAR)
    )
    q1.refresh_from_db()
    ledger_refresh(q1)
    ledger_refresh(q1)
    assert ledger(skp.employee) == [(Q1, 3, 1, 3, "Sangat Baik", D("1.88"))]
    q1.refresh_from_db()
    assert (q1.months, q1.credit_points) == (3, D("1.88"))


def test_a_position_without_a_coefficient_has_no_entry(cast):
    position = cast.positions["perawat"]
    position.kind, position.level = "pelaksana", ""
    position.save()
    skp = plan_from(cast)
    annual = rate(cast, skp, ANNUAL)
    assert not CreditEntry.objects.exists()
    assert annual.credit_points is None
    assert annual.months == 12


def test_the_example_of_the_issue_january_february_baik_as_ahli_pertama(cast):
    rhythm_set(agency=cast.dinkes, year=YEAR, rhythm="monthly", by=cast.pengelola)
    position = cast.positions["perawat"]
    position.level = "ahli_pertama"
    position.save()
    skp = plan_from(cast)
    rate(cast, skp, f"{YEAR}-01")
    rate(cast, skp, f"{YEAR}-02")
    assert total(skp.employee) == D("2.08")  # 1.04 + 1.04, each 12.5 ÷ 12 = 1.0417


# A year month by month (monthly rhythm): entry on 15 March as Terampil (5 a year), a transfer
# on 15 July to Mahir (12.5 a year). (month, the plan that counts it, coefficient, points):
# one month Baik is 5 ÷ 12 = 0.4167 → 0.42, or 12.5 ÷ 12 = 1.0417 → 1.04.
YEAR_BY_MONTH = [
    (1, None, None, None),
    (2, None, None, None),
    (3, None, None, None),  # TMT 15 March: from April
    (4, "first", "5.00", "0.42"),
    (5, "first", "5.00", "0.42"),
    (6, "first", "5.00", "0.42"),
    (7, "first", "5.00", "0.42"),  # the transfer on the 15th leaves July to the first plan
    (8, "second", "12.50", "1.04"),
    (9, "second", "12.50", "1.04"),
    (10, "second", "12.50", "1.04"),
    (11, "second", "12.50", "1.04"),
    (12, "second", "12.50", "1.04"),
]


def test_a_year_month_by_month_entry_in_march_and_transfer_in_july(cast):
    rhythm_set(agency=cast.dinkes, year=YEAR, rhythm="monthly", by=cast.pengelola)
    first = plan_from(cast, start=d(3, 15))
    with pytest.raises(ValidationError):
        rate(cast, first, f"{YEAR}-03")  # before the TMT's first counted month
    for month in (4, 5, 6, 7):
        rate(cast, first, f"{YEAR}-{month:02d}")
    second = transfer(cast, first, d(7, 15))
    with pytest.raises(ValidationError):
        rate(cast, first, f"{YEAR}-08")  # the second plan's month
    for month in (8, 9, 10, 11, 12):
        rate(cast, second, f"{YEAR}-{month:02d}")
    rate(cast, first, ANNUAL)  # every month of both plans is counted already: no entry
    rate(cast, second, ANNUAL)
    plans = {first.pk: "first", second.pk: "second"}
    counted = {m: [] for m in range(1, 13)}
    for entry in CreditEntry.objects.filter(employee=first.employee):
        for month in range(entry.first_month, entry.last_month + 1):
            counted[month].append(
                (plans[entry.skp_id], f"{entry.coefficient}", f"{entry.points:.2f}")
            )
    for month, plan, coefficient, points in YEAR_BY_MONTH:
        assert counted[month] == ([(plan, coefficient, points)] if plan else []), month
    assert total(first.employee) == D("6.88")  # 4 × 0.42 + 5 × 1.04
