"""Each calendar month counts once (docs/architecture.md, "Credit points: months counted
once"): a month counts for the plan that holds the position on its first day. A TMT on the
1st counts its month, a later TMT counts from the next month; a plan that ends counts up to
the month before its successor's first month."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja.evaluations.rules import month_runs, months_of

Y = 2026
ALL = list(range(1, 13))

# (case, starts_on, ends_on, months counted)
TABLE = [
    ("whole year", date(Y, 1, 1), None, ALL),
    ("whole year, ended 31 Dec", date(Y, 1, 1), date(Y, 12, 31), ALL),
    ("entry 1 March", date(Y, 3, 1), None, list(range(3, 13))),
    ("entry 15 March", date(Y, 3, 15), None, list(range(4, 13))),
    ("entry 2 January", date(Y, 1, 2), None, list(range(2, 13))),
    ("entry 1 December", date(Y, 12, 1), None, [12]),
    ("entry 15 December", date(Y, 12, 15), None, []),
    ("old plan, transfer 1 July", date(Y, 1, 1), date(Y, 7, 1), list(range(1, 7))),
    ("new plan, transfer 1 July", date(Y, 7, 1), None, list(range(7, 13))),
    ("old plan, transfer 15 July", date(Y, 1, 1), date(Y, 7, 15), list(range(1, 8))),
    ("new plan, transfer 15 July", date(Y, 7, 15), None, list(range(8, 13))),
    ("death 10 October", date(Y, 1, 1), date(Y, 10, 10), list(range(1, 11))),
    ("retirement, TMT pension 1 November", date(Y, 1, 1), date(Y, 11, 1), list(range(1, 11))),
    ("entry 15 March, transfer 15 July", date(Y, 3, 15), date(Y, 7, 15), [4, 5, 6, 7]),
    ("transfer on 1 January", date(Y, 1, 1), date(Y, 1, 1), []),
]


@pytest.mark.parametrize(("case", "start", "end", "expected"), TABLE, ids=[t[0] for t in TABLE])
def test_the_months_a_plan_counts(case, start, end, expected):
    assert months_of(start, end, Y) == expected


# Chains of plans: each plan ends on the day the next one starts (skp_transfer).
CHAINS = [
    ("one plan", [date(Y, 1, 1)]),
    ("transfer 1 July", [date(Y, 1, 1), date(Y, 7, 1)]),
    ("transfer 15 July", [date(Y, 1, 1), date(Y, 7, 15)]),
    ("two transfers", [date(Y, 1, 1), date(Y, 3, 20), date(Y, 3, 28)]),
    ("monthly moves on the 1st", [date(Y, m, 1) for m in ALL]),
    ("moves mid-month", [date(Y, 1, 1), date(Y, 2, 14), date(Y, 6, 30), date(Y, 12, 31)]),
]


@pytest.mark.parametrize(("case", "starts"), CHAINS, ids=[c[0] for c in CHAINS])
def test_consecutive_plans_never_overlap_and_cover_the_year_once(case, starts):
    ends = [*starts[1:], None]
    counted = [m for start, end in zip(starts, ends, strict=True) for m in months_of(start, end, Y)]
    assert sorted(counted) == ALL
    assert len(counted) == 12


def test_an_entrant_and_a_transfer_count_their_months_once():
    entry, transfer = date(Y, 3, 15), date(Y, 7, 15)
    first, second = months_of(entry, transfer, Y), months_of(transfer, None, Y)
    assert first == [4, 5, 6, 7]
    assert second == [8, 9, 10, 11, 12]
    assert not set(first) & set(second)


@pytest.mark.parametrize(
    ("months", "runs"),
    [
        ([], []),
        ([3], [(3, 3)]),
        ([1, 2, 3, 7, 8], [(1, 3), (7, 8)]),
        ([12, 1, 11], [(1, 1), (11, 12)]),
    ],
)
def test_month_runs(months, runs):
    assert month_runs(months) == runs
