"""Working time: the hours between two instants that fall inside the region's working hours,
on working days that are neither national public holidays (the maintained ``holidays``
package, Indonesia) nor the region's own days off.

All arithmetic is in whole milliseconds, so that a duration is the same on every database and
every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

from .models import DayOff, WorkingHours

MS_PER_DAY = 86_400_000


@lru_cache(maxsize=64)
def national_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("ID", years=year).keys())


@dataclass(frozen=True)
class WorkCalendar:
    weekdays: frozenset[int]  # ISO: Monday = 1
    starts: time
    ends: time
    national: bool
    days_off: frozenset[date]
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(settings.TIME_ZONE))

    def is_working_day(self, day: date) -> bool:
        if day.isoweekday() not in self.weekdays or day in self.days_off:
            return False
        return not (self.national and day in national_holidays(day.year))

    def working_ms(self, start: datetime, end: datetime) -> int:
        """Milliseconds of working time from ``start`` to ``end`` (0 when end ≤ start)."""
        return self.working_us(start, end) // 1000

    def working_us(self, start: datetime, end: datetime) -> int:
        """Microseconds of working time from ``start`` to ``end`` (0 when end ≤ start)."""
        if end <= start:
            return 0
        local_start, local_end = start.astimezone(self.zone), end.astimezone(self.zone)
        total = 0
        day = local_start.date()
        last = local_end.date()
        while day <= last:
            if self.is_working_day(day):
                open_ = datetime.combine(day, self.starts, self.zone)
                close = datetime.combine(day, self.ends, self.zone)
                lo, hi = max(open_, local_start), min(close, local_end)
                if hi > lo:
                    total += _us(hi - lo)
            day += timedelta(days=1)
        return total


def _us(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _ms(delta: timedelta) -> int:
    return _us(delta) // 1000


def elapsed_ms(start: datetime, end: datetime) -> int:
    """Calendar milliseconds from ``start`` to ``end`` (sub-millisecond parts dropped)."""
    return _ms(end - start)


def elapsed_us(start: datetime, end: datetime) -> int:
    return _us(end - start)


def load_calendar() -> WorkCalendar:
    """The calendar as configured now (two queries)."""
    hours = WorkingHours.objects.first()
    weekdays = frozenset(int(d) for d in (hours.weekdays if hours else "1,2,3,4,5").split(",") if d)
    return WorkCalendar(
        weekdays=weekdays,
        starts=hours.starts if hours else time(8),
        ends=hours.ends if hours else time(16),
        national=hours.national_holidays if hours else True,
        days_off=frozenset(DayOff.objects.values_list("date", flat=True)),
    )
