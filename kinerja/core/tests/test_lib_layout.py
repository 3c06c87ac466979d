"""``{% load layout %}``: the current period of a wide table (the column it scrolls to)."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from kinerja.core.periods import Period
from kinerja.core.templatetags.layout import current_quarter, is_current, iso_dates


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


def test_the_year_picker_offers_the_years_around_this_one_and_the_year_shown(today):
    today(date(2026, 12, 7))
    html = Template('{% load layout %}{% year_field 2026 "pick" %}').render(Context())
    assert '<label for="pick">' in html and '<select id="pick" name="year">' in html
    assert re.findall(r'<option value="(\d+)"', html) == [str(y) for y in range(2021, 2028)]
    assert '<option value="2026" selected>' in html
    old = Template("{% load layout %}{% year_field 2015 %}").render(Context())
    assert '<option value="2015" selected>' in old and 'id="year-select"' in old


def test_every_page_that_takes_a_year_uses_the_one_picker():
    """No template writes its own year field: ``{% year_field %}`` is the one picker."""
    root = Path(__file__).resolve().parents[2]
    own = [
        str(path.relative_to(root))
        for path in root.glob("*/templates/**/*.html")
        if re.search(r'<(input|select)(?![^>]*type="hidden")[^>]*name="year"', path.read_text())
        and path.name != "_year_field.html"
    ]
    assert own == []


def test_stored_iso_days_are_shown_as_tables_write_dates():
    with translation.override("id"):
        assert iso_dates(["2026-12-07", "2026-12", "2026-Q4"]) == [
            "07/12/2026",
            "2026-12",
            "2026-Q4",
        ]
    assert iso_dates(None) == []
