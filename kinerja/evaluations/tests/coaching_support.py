"""What the coaching tests share (no tests here): the employee's plan of last year with a
verified value below expectation, its coaching item, and an alert breach on the Puskesmas
(headed by the rater, whose own plan the rater's superior rates)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from kinerja.core.actors import SYSTEM
from kinerja.core.periods import ALL_KINDS, parse_period
from kinerja.evaluations import services
from kinerja.evaluations.models import CoachingItem
from kinerja.skp import services as skp_services
from kinerja.skp.tests.factories import verified_realisation
from kinerja.streams.models import AlertBreach, AlertRule
from kinerja.streams.tests.service_data import case_events, local, make_stream, send
from kinerja.streams.tests.support import simulator_stream

from .support import Q1, YEAR, plan


def count_iki(skp):
    """The plan's count indicator: 1200 a year, 300 a quarter."""
    return skp.results.get().indicators.get(number=1)


def slipping(cast, value: str = "200"):
    """The employee's plan with Q1's count verified at ``value`` (200 of 300: 66,67 %)."""
    skp = plan(cast)
    verified_realisation(iki=count_iki(skp), period=Q1, value=value, by=cast.employee)
    return skp


def check(skp, period: str = Q1):
    return services.coaching_check(skp=skp, period=parse_period(period, kinds=ALL_KINDS), by=SYSTEM)


def open_item(cast) -> CoachingItem:
    """The coaching item opened on the employee's slipping Q1 count."""
    skp = slipping(cast)
    check(skp)
    return CoachingItem.objects.get(skp=skp)


def breach(cast, *, ended: bool = False) -> AlertBreach:
    """An alert rule on the Puskesmas (share within 15 minutes below 90 % a week) breached."""
    stream = simulator_stream(cast.dinkes)
    rule = AlertRule.objects.create(
        stream=stream, name="Respons di bawah 90 %", metric="within_sla_pct",
        comparison="below", threshold=Decimal(90), window="week", unit=cast.units["pkm"],
    )  # fmt: skip
    return AlertBreach.objects.create(
        rule=rule,
        started_at=timezone.now(),
        periods=["2026-11-30"],
        value=Decimal("71.5"),
        ended_at=timezone.now() if ended else None,
    )


def bound_plan(cast, cases: int):
    """The employee's plan of last year whose one indicator (1200 cases a year: 300 a quarter)
    counts her own completed emergency cases; ``cases`` of them in February."""
    user = cast.employee
    skp = skp_services.skp_create(
        employee=cast.employees["employee"], year=YEAR, approach="kuantitatif", by=user
    )
    skp_services.rhk_add(
        skp=skp, by=user, kind="utama", text="Tertanganinya kasus gawat darurat",
        indicators=[{"aspect": "kuantitas", "text": "Jumlah kasus gawat darurat yang ditangani",
                     "target": "1200", "unit": "kasus"}],
    )  # fmt: skip
    stream = make_stream(cast.dinkes)
    nip = cast.employees["employee"].nip
    iki = skp.results.get().indicators.get()
    skp_services.iki_bind(
        iki=iki, by=user, binding={"stream": stream, "metric": "cases_completed", "officer": nip}
    )
    skp_services.skp_submit(skp=skp, by=user)
    skp_services.skp_approve(skp=skp, by=cast.rater)
    send(
        stream,
        [
            event
            for i in range(cases)
            for event in case_events(
                f"K{i}", local(date(YEAR, 2, 10), 8, i), 10, unit="DINKES-PKM-PLAJU", officer=nip
            )
        ],
    )
    skp.refresh_from_db()
    return skp
