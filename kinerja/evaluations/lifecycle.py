"""The life of an evaluation period: each period of the agency's rhythm (a month, a quarter,
a semester) and the year are *upcoming*, *open* for rating, then *closed* after their deadline.

* A period opens on the day after it ends — or ``rating_opens_days_before`` days earlier where
  the year's ``SkpCalendar`` says so (default 0). The year opens on the day after 31 December
  (minus the same days).
* It closes after its deadline: a periodic evaluation is due by the ``periodic_deadline_day``
  of the next month (31 December → 5 January of the next year), the annual one by
  ``annual_deadline_month/day`` of the next year. The deadline day itself is still open.
* A period never rated may still be rated after its deadline (the deadline binds the rater;
  refusing would leave the employee without a rating); a rated period changes after its
  deadline only by a correction (:mod:`.services.correction`).

Every date is the region's (WIB): a moment is read with :func:`today_of`. Pure functions, and
one reader (:func:`period_window`, which reads the plan year's calendar).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from kinerja.core.periods import Period
from kinerja.skp.models import Skp, SkpCalendar
from kinerja.skp.rules import annual_deadline, periodic_deadline, rating_opens, skp_calendar

UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"


@dataclass(frozen=True)
class PeriodWindow:
    """When ``period`` may be rated (``opens_on``), until when it is due (``deadline``, still
    open that day), and its ``state`` on the day asked."""

    period: Period
    opens_on: date
    deadline: date
    state: str

    @property
    def upcoming(self) -> bool:
        return self.state == UPCOMING

    @property
    def is_open(self) -> bool:
        return self.state == OPEN

    @property
    def closed(self) -> bool:
        return self.state == CLOSED


def today_of(now: datetime | None = None) -> date:
    """The region's date (WIB) of the moment ``now`` (default: now)."""
    return timezone.localtime(now).date() if now is not None else timezone.localdate()


def deadline_of(period: Period, cal: SkpCalendar) -> date:
    """The last day to rate ``period``: the periodic or the annual deadline."""
    if period.annual:
        return annual_deadline(period.year, cal)
    return periodic_deadline(period.end, cal)


def state_on(opens_on: date, deadline: date, today: date) -> str:
    if today < opens_on:
        return UPCOMING
    return OPEN if today <= deadline else CLOSED


def window(period: Period, cal: SkpCalendar, today: date) -> PeriodWindow:
    """The window of ``period`` under the calendar ``cal`` (the one of the period's year), on
    ``today``."""
    opens_on = rating_opens(period.end, cal)
    deadline = deadline_of(period, cal)
    return PeriodWindow(period, opens_on, deadline, state_on(opens_on, deadline, today))


def period_window(skp: Skp, period: Period, today: date | None = None) -> PeriodWindow:
    """The window of ``period`` of ``skp`` under the calendar of the plan's year (one query),
    on ``today`` (default: the region's today)."""
    return window(period, skp_calendar(skp.year), today or today_of())


def day(value: date) -> str:
    """A date as people write it here: 31/12/2026."""
    return value.strftime("%d/%m/%Y")
