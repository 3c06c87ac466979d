"""What the home pages' parts share: the periods to look at, and the band that counts as
slipping."""

from __future__ import annotations

from datetime import date

from kinerja.core.periods import Period
from kinerja.core.rules import AchievementRules, Band
from kinerja.organizations.models import Agency
from kinerja.skp.rhythm import agency_periods

#: an indicator or a person is slipping when their achievement's band is below the two
#: highest bands of the year's rule table (by default: below "Baik", i.e. under 76 %).
ON_TRACK_BANDS = 2


def last_twelve_months(today: date) -> list[tuple[int, int]]:
    """(year, month) of the twelve months up to and including ``today``'s, oldest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(12):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def ended_period(periods: list[Period], today: date) -> Period | None:
    """The latest period of ``periods`` that has ended by ``today``, if any."""
    ended = [p for p in periods if p.end < today]
    return ended[-1] if ended else None


def rating_period(agency: Agency, today: date) -> Period:
    """The period of ``agency``'s rhythm open for rating: the latest one ended by ``today`` —
    last year's last one while none of this year has ended (one or two queries)."""
    period = ended_period(agency_periods(agency, today.year), today)
    return period or agency_periods(agency, today.year - 1)[-1]


def started_periods(periods: list[Period], today: date) -> list[Period]:
    """The periods that have begun by ``today`` (at least the first one)."""
    return [p for p in periods if p.start <= today] or periods[:1]


def is_slipping(band: Band | None, rules: AchievementRules) -> bool:
    """Whether an achievement in ``band`` is slipping: below the year's two highest bands.
    Not measurable (no band) is not slipping — it is shown as such."""
    if band is None:
        return False
    return band not in rules.bands[:ON_TRACK_BANDS]
