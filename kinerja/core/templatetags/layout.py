"""Template tags of the shared layout: the current period of a table, the one year picker."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django import template
from django.utils import formats, timezone

from kinerja.core.periods import Period, quarter_of

register = template.Library()


@register.filter
def is_current(period: Period | None) -> bool:
    """Whether today (WIB) lies in ``period``: the column a table scrolls to."""
    if period is None:
        return False
    return period.start <= timezone.localdate() <= period.end


@register.filter
def iso_dates(values: Iterable[object] | None) -> list[str]:
    """Stored ISO days (``2026-12-07``) as a table writes dates (07/12/2026); other values
    (a month, a quarter) as they are."""
    shown = []
    for value in values or []:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            shown.append(str(value))
        else:
            shown.append(formats.date_format(day, "SHORT_DATE_FORMAT"))
    return shown


@register.simple_tag
def current_quarter(year: int) -> int | None:
    """This quarter's number when ``year`` is this year, else None."""
    today = timezone.localdate()
    return quarter_of(today.month) if today.year == year else None


#: The years the year picker offers around this one (and always the year shown).
YEARS_BACK, YEARS_AHEAD = 5, 1


@register.inclusion_tag("core/_year_field.html")
def year_field(year: int, field_id: str = "year-select") -> dict[str, object]:
    """The one year picker of every page that takes ``?year=``: a labelled ``<select>`` of
    the years around this one, ``year`` selected (inside the page's own GET form)."""
    this = timezone.localdate().year
    years = sorted(set(range(this - YEARS_BACK, this + YEARS_AHEAD + 1)) | {int(year)})
    return {"year": int(year), "years": years, "field_id": field_id}
