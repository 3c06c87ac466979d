"""Template tags of the shared layout: the current period of a table, the one year picker."""

from __future__ import annotations

from django import template
from django.utils import timezone

from kinerja.core.periods import Period, quarter_of

register = template.Library()


@register.filter
def is_current(period: Period | None) -> bool:
    """Whether today (WIB) lies in ``period``: the column a table scrolls to."""
    if period is None:
        return False
    return period.start <= timezone.localdate() <= period.end


@register.simple_tag
def current_quarter(year: int) -> int | None:
    """This quarter's number when ``year`` is this year, else None."""
    today = timezone.localdate()
    return quarter_of(today.month) if today.year == year else None
