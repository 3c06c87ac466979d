"""Which evaluation periods an agency's rhythm asks for (the periods themselves are
:class:`kinerja.core.periods.Period`)."""

from __future__ import annotations

from kinerja.core.periods import MONTH, QUARTER, SEMESTER, Period

from .models import Rhythm

KIND_OF_RHYTHM = {Rhythm.MONTHLY: MONTH, Rhythm.QUARTERLY: QUARTER, Rhythm.SEMESTER: SEMESTER}


def periods_of(rhythm: str, year: int) -> list[Period]:
    """The periodic evaluations of a year under ``rhythm``, in order."""
    return Period.all_of(year, KIND_OF_RHYTHM[rhythm])
