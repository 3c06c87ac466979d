"""What the evaluation operations share: reading a period and a rating as typed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kinerja.core.periods import ALL_KINDS, Period, PeriodError, parse_period

from ..models import Rating


def rated_period(text: str, year: int | None = None) -> Period:
    """The period ``text`` names (any kind), refused on ``period`` when unreadable or, with
    ``year``, of another year than the plan's."""
    try:
        period = parse_period(text, kinds=ALL_KINDS)
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if year is not None and period.year != year:
        raise ValidationError({"period": _("The plan is for %(year)s.") % {"year": year}})
    return period


def rating(value: str, field: str) -> str:
    """A rating (above, meets, below), refused on ``field`` otherwise."""
    if value not in Rating.values:
        raise ValidationError({field: _("Choose above, meets or below.")})
    return value
