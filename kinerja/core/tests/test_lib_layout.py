"""``{% load layout %}``: the current period of a wide table (the column it scrolls to)."""

from datetime import date

import pytest
from django.template import Context, Template
from django.utils import timezone

from kinerja.core.periods import Period
from kinerja.core.templatetags.layout import current_quarter, is_current


@pytest.fixture
def today(monkeypatch):
    def on(day: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)

    return on


def test_the_period_holding_today_is_current(today):
    today(date(2026, 12, 7))
    assert is_current(Period.of_quarter(2026, 4))
    assert is_current(Period.of_month(2026, 12))
    assert is_current(Period.of_year(2026))
    assert not is_current(Period.of_quarter(2026, 3))
    assert not is_current(Period.of_quarter(2025, 4))
    assert not is_current(None)


def test_the_first_and_last_day_belong_to_the_period(today):
    today(date(2026, 10, 1))
    assert is_current(Period.of_quarter(2026, 4))
    today(date(2026, 9, 30))
    assert not is_current(Period.of_quarter(2026, 4))


def test_the_current_quarter_only_in_this_year(today):
    today(date(2026, 5, 31))
    assert current_quarter(2026) == 2
    assert current_quarter(2025) is None


def test_the_tags_load_in_a_template(today):
    today(date(2026, 12, 7))
    html = Template(
        "{% load layout %}{% current_quarter 2026 as q %}{{ q }} {{ p|is_current|yesno:'y,n' }}"
    ).render(Context({"p": Period.of_quarter(2026, 1)}))
    assert html == "4 n"
