"""Evaluation periods: the year (``2026``), a semester (``2026-S1``), a quarter (``2026-Q2``)
or a month (``2026-05``), and which of them an agency's rhythm asks for."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from kinerja.core.periods import MAX_YEAR, MIN_YEAR, ROMAN, PeriodError

from .models import Rhythm

_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|[Qq](?P<quarter>\d)|[Ss](?P<semester>\d)))?$"
)
KIND_OF_RHYTHM = {Rhythm.MONTHLY: "month", Rhythm.QUARTERLY: "quarter", Rhythm.SEMESTER: "semester"}
_SPAN = {"month": 1, "quarter": 3, "semester": 6, "year": 12}


@dataclass(frozen=True, order=True)
class EvalPeriod:
    year: int
    kind: str = "year"  # year, semester, quarter, month
    index: int = 1

    @property
    def annual(self) -> bool:
        return self.kind == "year"

    @property
    def months(self) -> list[int]:
        span = _SPAN[self.kind]
        first = (self.index - 1) * span + 1
        return list(range(first, first + span))

    @property
    def start(self) -> date:
        return date(self.year, self.months[0], 1)

    @property
    def end(self) -> date:
        month = self.months[-1]
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        if self.kind == "semester":
            return f"{self.year}-S{self.index}"
        return str(self.year)

    @property
    def label(self) -> str:
        """How people write it: 'TW II 2026', 'Semester I 2026', '03/2026', '2026'."""
        if self.kind == "month":
            return f"{self.index:02d}/{self.year}"
        if self.kind == "quarter":
            return f"TW {ROMAN[self.index]} {self.year}"
        if self.kind == "semester":
            return f"Semester {ROMAN[self.index]} {self.year}"
        return str(self.year)


def parse_eval_period(text: str) -> EvalPeriod:
    match = _PATTERN.match((text or "").strip())
    if not match:
        raise PeriodError(_("Write the period as YYYY, YYYY-Sn, YYYY-Qn or YYYY-MM, e.g. 2026-Q1."))
    year = int(match["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            _("The year must lie between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(_("The month must be 01–12."))
        return EvalPeriod(year, "month", month)
    if match["quarter"]:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            raise PeriodError(_("The quarter must be 1–4."))
        return EvalPeriod(year, "quarter", quarter)
    if match["semester"]:
        semester = int(match["semester"])
        if not 1 <= semester <= 2:
            raise PeriodError(_("The semester must be 1 or 2."))
        return EvalPeriod(year, "semester", semester)
    return EvalPeriod(year)


def periods_of(rhythm: str, year: int) -> list[EvalPeriod]:
    """The periodic evaluations of a year under ``rhythm``, in order."""
    kind = KIND_OF_RHYTHM[rhythm]
    return [EvalPeriod(year, kind, i) for i in range(1, 12 // _SPAN[kind] + 1)]
