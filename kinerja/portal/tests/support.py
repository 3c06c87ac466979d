"""What the home-page tests share (no tests here): an indicator of DINKES that slips and an
employee's approved plan of a given year, whatever the day the tests run."""

from __future__ import annotations

from decimal import Decimal as D

from django.utils import timezone

from kinerja.core.actors import SYSTEM
from kinerja.skp import services as skp_services
from kinerja.skp.models import Skp
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


def approved_plan(cast, year: int) -> Skp:
    """The employee's plan of ``year`` (one main result with a count to 300 and a share in
    80–90 %), submitted and approved by the rater."""
    employee = cast.users["employee"]
    skp = skp_services.skp_create(employee=cast.employees["employee"], year=year, by=employee)
    skp_services.rhk_add(
        skp=skp,
        by=employee,
        kind="utama",
        text="Pelayanan imunisasi",
        supports=None,
        indicators=[
            {"aspect": "kuantitas", "text": "Anak diimunisasi", "target": "300", "unit": "anak"},
            {"aspect": "kualitas", "text": "Kepuasan", "target": "80-90", "unit": "%"},
        ],
    )
    skp_services.skp_submit(skp=skp, by=employee)
    skp_services.skp_approve(skp=skp, by=cast.users["rater"])
    skp.refresh_from_db()
    return skp
