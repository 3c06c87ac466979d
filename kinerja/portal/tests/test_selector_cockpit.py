"""The home pages' reads (``kinerja.portal.cockpit``): which period is open for rating, which
band is slipping, the indicators of the cockpit slipping first with their 12-month sparklines,
a ratee on track or slipping by the suggested results rating — and a cockpit whose queries do
not grow with the number of employees or indicators."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.core.actors import SYSTEM
from kinerja.core.periods import Period
from kinerja.core.rules import achievement_rules
from kinerja.organizations.scope import scope_for
from kinerja.portal.cockpit.common import (
    ended_period,
    is_slipping,
    last_twelve_months,
    rating_period,
)
from kinerja.portal.cockpit.indicators import indicator_panel
from kinerja.portal.cockpit.leader import leader_cockpit
from kinerja.portal.cockpit.personal import team_home, team_status
from kinerja.skp import services as skp_services
from kinerja.strategy import services
from kinerja.strategy.tests.support import SELECTOR_YEAR, monthly_values, selector_indicator
from kinerja.testing.factories import EmployeeFactory

from .support import approved_plan

YEAR = SELECTOR_YEAR  # wholly in the past
TODAY = date(YEAR, 12, 10)
QUARTERS = Period.all_of(YEAR, "quarter")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(YEAR, 2, 10), None),  # nothing ended yet
        (date(YEAR, 3, 31), None),  # the first quarter ends that day
        (date(YEAR, 4, 1), f"{YEAR}-Q1"),
        (date(YEAR, 7, 1), f"{YEAR}-Q2"),
        (date(YEAR, 12, 10), f"{YEAR}-Q3"),
        (date(YEAR + 1, 1, 2), f"{YEAR}-Q4"),
    ],
)
def test_the_latest_ended_period(today, expected):
    found = ended_period(QUARTERS, today)
    assert (str(found) if found else None) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(YEAR, 1, 15), f"{YEAR - 1}-Q4"),  # none of this year has ended: last year's last
        (date(YEAR, 4, 1), f"{YEAR}-Q1"),
        (date(YEAR, 12, 10), f"{YEAR}-Q3"),
    ],
)
def test_the_period_open_for_rating_follows_the_agencys_rhythm(cast, today, expected):
    assert str(rating_period(cast.dinkes, today)) == expected


def test_the_sparkline_covers_the_twelve_months_up_to_today_across_the_year_end():
    months = last_twelve_months(date(2026, 3, 5))
    assert months[0] == (2025, 4) and months[-1] == (2026, 3) and len(months) == 12


@pytest.mark.parametrize(
    ("pct", "slipping"),
    [("120", False), ("91", False), ("76", False), ("75.99", True), ("40", True), (None, False)],
)
def test_an_achievement_below_the_two_highest_bands_is_slipping(db, pct, slipping):
    rules = achievement_rules(YEAR)
    band = rules.band_for(D(pct) if pct is not None else None)
    assert is_slipping(band, rules) is slipping


@pytest.mark.parametrize(
    ("rating", "status"),
    [("above", "on_track"), ("meets", "on_track"), ("below", "slipping"), (None, "no_data")],
)
def test_a_ratee_is_slipping_when_the_suggested_results_rating_is_below_expectation(rating, status):
    assert team_status(rating) == status


def _indicator_at(cast, code: str, q4_value: str):
    """A monthly-sum indicator of DINKES with 30 a quarter as target: 10 a month through
    September, ``q4_value`` in October."""
    indicator = selector_indicator(cast.dinkes, code)
    services.target_set(
        by=SYSTEM, indicator=indicator, year=YEAR, value=D(120), quarters=[D(30)] * 4
    )
    monthly_values(indicator, {**dict.fromkeys(range(1, 10), "10"), 10: q4_value})
    return indicator


def test_the_cockpit_lists_slipping_indicators_first_with_their_last_twelve_months(cast):
    on_track = _indicator_at(cast, "IKU-01", "30")
    slipping = _indicator_at(cast, "IKU-02", "12")

    panel = indicator_panel([on_track, slipping], TODAY, viewer=cast.head)

    assert [r.indicator for r in panel.rows] == [slipping, on_track]
    first = panel.rows[0]
    assert first.slipping and str(first.latest.period) == f"{YEAR}-Q4"
    assert first.latest.achievement_pct == D(40)
    assert panel.rows[1].latest.achievement_pct == D(100) and not panel.rows[1].slipping
    assert first.sparkline[-3:] == [12.0, None, None]  # October, November, December
    assert first.sparkline[0] == 10.0  # January
    assert panel.months[0] == f"01/{YEAR}" and panel.months[-1] == f"12/{YEAR}"
    counts = {b.label: b.count for b in panel.bands}
    assert counts["Sangat Baik"] == 1 and counts["Sangat Kurang"] == 1


def test_early_in_the_year_the_cockpit_shows_last_years_last_quarter(cast):
    slipping = _indicator_at(cast, "IKU-02", "12")  # nothing yet in the next year

    panel = indicator_panel([slipping], date(YEAR + 1, 2, 10), viewer=cast.head)

    row = panel.rows[0]
    assert str(row.latest.period) == f"{YEAR}-Q4" and row.latest.achievement_pct == D(40)
    assert row.slipping
    # March to February: seven months of 10, October's 12, then nothing yet.
    assert row.sparkline == [10.0] * 7 + [12.0, None, None, None, None]


def test_in_january_a_rater_sees_last_years_last_quarter_and_its_values_to_verify(cast):
    last_year = timezone.localdate().year - 1
    skp = approved_plan(cast, last_year)
    iki, other = skp.results.get().indicators.order_by("number")
    q4 = f"{last_year}-Q4"
    entered = skp_services.realisation_record(iki=iki, period=q4, value="30", by=cast.employee)
    skp_services.realisation_verify(realisation=entered, by=cast.rater, accept=True)
    skp_services.realisation_record(iki=other, period=q4, value="85", by=cast.employee)
    people = [cast.employees["employee"], cast.employees["colleague"]]

    team = team_home(cast.rater, people, date(last_year + 1, 1, 15))

    assert str(team.period) == q4
    first, second = team.rows
    assert (first.employee, first.status, first.skp) == (people[0], "slipping", skp)
    assert [url for _what, url in first.waiting] == [reverse("skp:realisation", args=[skp.pk])]
    assert (second.employee, second.status) == (people[1], "no_plan")


def _queries_of_the_cockpit(cast, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        leader_cockpit(user, scope_for(user), TODAY)
    return len(queries)


def _grow(cast, start: int, n: int) -> None:
    for i in range(start, start + n):
        _indicator_at(cast, f"IKU-{i:02d}", "20")
        EmployeeFactory(unit=cast.units["pkm"])


@pytest.mark.parametrize("persona", ["head", "admin"])
def test_the_cockpit_makes_as_many_queries_for_30_indicators_and_employees_as_for_3(cast, persona):
    user = cast.users[persona]
    _grow(cast, 1, 3)
    _queries_of_the_cockpit(cast, user)  # the scope and the rule tables read once, then kept
    small = _queries_of_the_cockpit(cast, user)
    _grow(cast, 4, 27)
    assert _queries_of_the_cockpit(cast, user) == small
