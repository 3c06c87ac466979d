"""What the ledger tests share (no tests here): a functional employee's plan from a TMT, a
transfer to another functional position, and the ledger read month by month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kinerja.evaluations import services
from kinerja.evaluations.models import CreditEntry
from kinerja.organizations.chains import rater_chains_sync
from kinerja.organizations.models import Position
from kinerja.skp import services as skp_services

from .support import YEAR


def plan_from(cast, start: date | None = None, who: str = "employee"):
    """``who``'s approved plan of ``YEAR`` from ``start`` (recorded by the Pengelola Kinerja)."""
    skp = skp_services.skp_create(
        employee=cast.employees[who], year=YEAR, by=cast.pengelola, start=start,
        sk_number="800/1/BKPSDM" if start else "",
    )  # fmt: skip
    _fill_and_approve(cast, skp)
    return skp


def _fill_and_approve(cast, skp):
    skp_services.rhk_add(
        skp=skp, by=cast.pengelola, kind="utama", text="Asuhan keperawatan",
        indicators=[{"aspect": "kuantitas", "text": "Pasien", "target": "1200", "unit": "pasien"}],
    )  # fmt: skip
    skp_services.skp_submit(skp=skp, by=cast.pengelola)
    skp_services.skp_approve(skp=skp, by=cast.rater)
    skp.refresh_from_db()
    return skp


def transfer(cast, skp, on: date, level: str = "mahir"):
    """The employee moves to a functional position of ``level`` under the same rater on
    ``on``; returns the new plan, approved."""
    position = Position.objects.create(
        unit=cast.units["pkm"], code=f"PKM-JF-{level}", name=f"Perawat {level.title()}",
        kind="jf", level=level, reports_to=cast.positions["kapus"],
    )  # fmt: skip
    employee = cast.employees["employee"]
    employee.position = position
    employee.save()
    rater_chains_sync()
    new = skp_services.skp_transfer(skp=skp, by=cast.pengelola, on=on, sk_number="821/7/2025")
    return _fill_and_approve(cast, new)


def rate(cast, skp, period: str, predicate: str = "Baik"):
    results, behaviour = {
        "Sangat Baik": ("above", "above"),
        "Baik": ("meets", "meets"),
        "Butuh Perbaikan": ("below", "meets"),
        "Sangat Kurang": ("below", "below"),
    }[predicate]
    return services.evaluation_rate(
        skp=skp, by=cast.rater, period=period, results_rating=results, behaviour_rating=behaviour
    )


def ledger(employee) -> list[tuple[str, int, int | None, int | None, str, Decimal]]:
    """(period, months, first month, last month, predicate, points) of every entry."""
    return [
        (e.period, e.months, e.first_month, e.last_month, e.predicate, e.points)
        for e in CreditEntry.objects.filter(employee=employee).order_by("first_month", "pk")
    ]
