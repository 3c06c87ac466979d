"""What the home-page tests share (no tests here): an indicator of DINKES that slips, whatever
the day the tests run."""

from __future__ import annotations

from decimal import Decimal as D

from django.utils import timezone

from kinerja.core.actors import SYSTEM
from kinerja.strategy import services
from kinerja.strategy.models import Realisation, RealisationState
from kinerja.strategy.tests.support import selector_indicator


def slipping_indicator(cast, code: str = "IKU-09"):
    """A DINKES indicator with a target of 30 a quarter, last year and this year, and 4 a
    month in last year's fourth quarter and in last month — every value in the past and in
    the sparkline's twelve months, and the latest measurable quarter far below its target
    (12 or 4 of 30: Sangat Kurang), whatever today's date."""
    today = timezone.localdate()
    indicator = selector_indicator(cast.dinkes, code)
    for year in (today.year - 1, today.year):
        services.target_set(
            by=SYSTEM, indicator=indicator, year=year, value=D(120), quarters=[D(30)] * 4
        )
    last_month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    months = {(today.year - 1, 10), (today.year - 1, 11), (today.year - 1, 12), last_month}
    for year, month in sorted(months):
        services.realisation_record(
            by=SYSTEM, indicator=indicator, year=year, month=month, value=D(4)
        )
    Realisation.objects.filter(indicator=indicator).update(state=RealisationState.VERIFIED)
    return indicator
