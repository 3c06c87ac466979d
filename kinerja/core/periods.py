"""Periods of the performance year, one type for every app: the year (``2026``), a semester
(``2026-S1``), a quarter (``2026-Q2``, *triwulan* I–IV) or a month (``2026-05``).

Organisational performance keeps realisations per month and reports quarters and the year
(a quarterly indicator reports in the quarter's last month, a yearly one in December); the
evaluation of employees follows the agency's rhythm — months, quarters or semesters — and the
year. Which kinds a door accepts is the caller's choice (``parse_period(text, kinds=…)``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MIN_YEAR, MAX_YEAR = 2000, 2100

YEAR, SEMESTER, QUARTER, MONTH = "year", "semester", "quarter", "month"
#: How many months one period of each kind spans.
SPAN = {MONTH: 1, QUARTER: 3, SEMESTER: 6, YEAR: 12}
#: The kinds organisational performance uses (no semesters).
ORGANISATION_KINDS = frozenset({YEAR, QUARTER, MONTH})
ALL_KINDS = frozenset(SPAN)

_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|[Qq](?P<quarter>\d)|[Ss](?P<semester>\d)))?$"
)


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    """``kind`` is one of year, semester, quarter, month; ``index`` counts from 1 within the
    year (the month's number for a month)."""

    year: int
    kind: str = YEAR
    index: int = 1

    # --- constructors

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(year)

    @classmethod
    def of_semester(cls, year: int, semester: int) -> Period:
        return cls(year, SEMESTER, semester)

    @classmethod
    def of_quarter(cls, year: int, quarter: int) -> Period:
        return cls(year, QUARTER, quarter)

    @classmethod
    def of_month(cls, year: int, month: int) -> Period:
        return cls(year, MONTH, month)

    @classmethod
    def all_of(cls, year: int, kind: str) -> list[Period]:
        """Every period of ``kind`` in ``year``, in order."""
        return [cls(year, kind, i) for i in range(1, 12 // SPAN[kind] + 1)]

    # --- what it covers

    @property
    def annual(self) -> bool:
        return self.kind == YEAR

    @property
    def month(self) -> int | None:
        """The month's number, for a month; ``None`` otherwise."""
        return self.index if self.kind == MONTH else None

    @property
    def quarter(self) -> int | None:
        """The quarter, for a quarter or a month; ``None`` for a semester or the year."""
        if self.kind == QUARTER:
            return self.index
        if self.kind == MONTH:
            return quarter_of(self.index)
        return None

    @property
    def months(self) -> list[int]:
        """The months of the year this period covers."""
        span = SPAN[self.kind]
        first = (self.index - 1) * span + 1
        return list(range(first, first + span))

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        month = self.months[-1]
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    # --- how it is written

    def __str__(self) -> str:
        if self.kind == MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.kind == QUARTER:
            return f"{self.year}-Q{self.index}"
        if self.kind == SEMESTER:
            return f"{self.year}-S{self.index}"
        return str(self.year)

    @property
    def label(self) -> str:
        """How people write it: 'TW II 2026', 'Semester I 2026', '03/2026', '2026'."""
        if self.kind == MONTH:
            return f"{self.index:02d}/{self.year}"
        if self.kind == QUARTER:
            return f"TW {ROMAN[self.index]} {self.year}"
        if self.kind == SEMESTER:
            return f"Semester {ROMAN[self.index]} {self.year}"
        return str(self.year)


def _format_message(kinds: frozenset[str]) -> str:
    if SEMESTER in kinds:
        return _("Write the period as YYYY, YYYY-Sn, YYYY-Qn or YYYY-MM, e.g. 2026-Q1.")
    return _("Write the period as YYYY, YYYY-Qn or YYYY-MM, e.g. 2026-03.")


def parse_period(text: str, *, kinds: Iterable[str] = ORGANISATION_KINDS) -> Period:
    """``2026`` → the year, ``2026-S1`` → a semester, ``2026-Q2`` → a quarter, ``2026-05`` → a
    month; only the ``kinds`` given are accepted (by default those of organisational
    performance: year, quarter, month)."""
    allowed = frozenset(kinds)
    match = _PATTERN.match((text or "").strip())
    if not match or (match["semester"] and SEMESTER not in allowed):
        raise PeriodError(_format_message(allowed))
    year = int(match["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            _("The year must lie between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(_("The month must be 01–12."))
        return Period(year, MONTH, month)
    if match["quarter"]:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            if SEMESTER not in allowed:
                raise PeriodError(_format_message(allowed))
            raise PeriodError(_("The quarter must be 1–4."))
        return Period(year, QUARTER, quarter)
    if match["semester"]:
        semester = int(match["semester"])
        if not 1 <= semester <= 2:
            raise PeriodError(_("The semester must be 1 or 2."))
        return Period(year, SEMESTER, semester)
    return Period(year)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def this_year() -> int:
    """The current year in the region's calendar (WIB), not UTC's."""
    return timezone.localdate().year


def year_filter(raw: str | None, default: int | None = None) -> int:
    """The year a page's query string asks for. An unreadable or impossible one means
    ``default`` (this year when none): it is a filter of a page, not data, so a wrong one shows
    the current year rather than an error."""
    fallback = default or this_year()
    try:
        year = int(raw or "")
    except ValueError:
        return fallback
    return year if MIN_YEAR <= year <= MAX_YEAR else fallback
