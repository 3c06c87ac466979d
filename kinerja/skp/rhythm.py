"""The agency's rhythm: how often an agency evaluates its employees during the year — monthly,
quarterly (the default) or per semester — and so the periods in which realisations are entered
and shown on a plan's pages, and rated.

The rows (year-versioned, set by the agency's head or performance administrator) are the
evaluation app's ``AgencyRhythm``; the plan's pages read them here through the reverse relation
``agency.rhythms``, so that skp needs nothing from the app above it. Setting the rhythm is the
operation ``kinerja.evaluations.services.rhythm_set``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.core.periods import MONTH, QUARTER, SEMESTER, Period
from kinerja.core.rules import row_in_force

if TYPE_CHECKING:
    from kinerja.organizations.models import Agency


class Rhythm(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    SEMESTER = "semester", _("per semester")


#: The kind of period each rhythm evaluates.
KIND_OF_RHYTHM: dict[str, str] = {
    Rhythm.MONTHLY: MONTH,
    Rhythm.QUARTERLY: QUARTER,
    Rhythm.SEMESTER: SEMESTER,
}
#: An agency that has set no rhythm evaluates per quarter.
DEFAULT_RHYTHM = Rhythm.QUARTERLY


def rhythm_of(agency: Agency, year: int) -> str:
    """The rhythm in force for ``agency`` in ``year``: its row of the latest ``valid_from`` not
    after the year, else quarterly. One query."""
    row = row_in_force(agency.rhythms.all(), year)
    return row.rhythm if row is not None else DEFAULT_RHYTHM


def periods_of(rhythm: str, year: int) -> list[Period]:
    """The periodic evaluations of a year under ``rhythm``, in order."""
    return Period.all_of(year, KIND_OF_RHYTHM[rhythm])


def agency_periods(agency: Agency, year: int) -> list[Period]:
    """The periods of ``agency``'s rhythm in ``year`` (one query)."""
    return periods_of(rhythm_of(agency, year), year)


def fits_rhythm(agency: Agency, period: Period) -> bool:
    """Whether ``agency`` evaluates ``period``: the year always, otherwise a period of the kind
    its rhythm of that year asks for (one query for a periodic one)."""
    return period.annual or period.kind == KIND_OF_RHYTHM[rhythm_of(agency, period.year)]
