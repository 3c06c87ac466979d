"""Periods of the performance year: a month (``2026-03``), a quarter (``2026-Q1``, *triwulan*
I–IV) or the year (``2026``).

Realisations are kept per month; a quarterly indicator reports in the quarter's last month
(March, June, September, December) and a yearly indicator in December.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|[Qq](?P<quarter>[1-4])))?$")
MIN_YEAR, MAX_YEAR = 2000, 2100


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int | None = None  # 1–4
    month: int | None = None  # 1–12

    @property
    def kind(self) -> str:
        if self.month is not None:
            return "month"
        if self.quarter is not None:
            return "quarter"
        return "year"

    @property
    def months(self) -> list[int]:
        """The months of the year this period covers."""
        if self.month is not None:
            return [self.month]
        if self.quarter is not None:
            return list(range(3 * self.quarter - 2, 3 * self.quarter + 1))
        return list(range(1, 13))

    def __str__(self) -> str:
        if self.month is not None:
            return f"{self.year}-{self.month:02d}"
        if self.quarter is not None:
            return f"{self.year}-Q{self.quarter}"
        return str(self.year)

    @property
    def label(self) -> str:
        """How people write it: 'TW II 2026', '03/2026', '2026'."""
        if self.month is not None:
            return f"{self.month:02d}/{self.year}"
        if self.quarter is not None:
            return f"TW {ROMAN[self.quarter]} {self.year}"
        return str(self.year)


def parse_period(text: str) -> Period:
    """``2026`` → the year, ``2026-Q2`` → a quarter, ``2026-05`` → a month."""
    match = _PATTERN.match((text or "").strip())
    if not match:
        raise PeriodError(_("Write the period as YYYY, YYYY-Qn or YYYY-MM, e.g. 2026-03."))
    year = int(match["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            _("The year must lie between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(_("The month must be 01–12."))
        return Period(year, quarter_of(month), month)
    if match["quarter"]:
        return Period(year, int(match["quarter"]))
    return Period(year)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def month_period(year: int, month: int) -> Period:
    return Period(year, quarter_of(month), month)
