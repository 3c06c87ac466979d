"""API of the credit-point ledger (issue 10; PerBKN 3/2023): the entries of a functional
employee's year, their total, the base (the latest PAK) and the running total.

Shares the rules of :mod:`kinerja.evaluations.api`: an employee the caller may not see is
"not found" (404); a NIP that is not one, or a year outside 2000–2100, is a 422 naming the
query parameter. Numbers are JSON numbers (``Number``), as in the rest of the API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kinerja.core.access import NotFound, visible_or_404
from kinerja.core.api import COMMON_ERRORS, ErrorOut, Number, Text, bad_input, number
from kinerja.core.nip import NipError, normalize_nip, parse_nip
from kinerja.organizations.models import Employee

from . import permissions
from .ledger import CreditLedger, credit_ledger
from .models import CreditEntry

router = Router(tags=["individual performance"])


class CreditQuery(Schema):
    employee: Text = Field(..., description="NIP of the employee, e.g. 199001012015032001")
    year: int = Field(..., ge=2000, le=2100, description="e.g. 2026")


class CreditEntryOut(Schema):
    period: str = Field(..., description="YYYY, YYYY-Sn, YYYY-Qn or YYYY-MM")
    months: int = Field(..., description="Calendar months this rating counts (each once).")
    first_month: int | None
    last_month: int | None
    predicate: str
    percent: Number = Field(..., description="The predicate's percentage, e.g. 100")
    level: str = Field(..., description="The jenjang, e.g. ahli_pertama")
    coefficient: Number = Field(..., description="Yearly coefficient of the jenjang, e.g. 12.5")
    points: Number = Field(..., description="months × percent × coefficient ÷ 1200")
    evaluation_id: int = Field(..., description="The rating the entry rests on.")


class CreditBaseOut(Schema):
    amount: Number
    pak_number: str
    pak_date: date
    level: str


class CreditPointsOut(Schema):
    employee: str = Field(..., description="NIP")
    year: int
    entries: list[CreditEntryOut]
    total: Number = Field(..., description="The year's entries together.")
    base: CreditBaseOut | None = Field(..., description="The latest PAK; null when none.")
    running_total: Number = Field(
        ..., description="The base plus every entry after the PAK's date (all without a PAK)."
    )
    needed_for_rank: Number = Field(..., description="Cumulative points for the next rank.")
    needed_for_level: Number = Field(..., description="… for the next jenjang; null at the top.")


def entry_row(entry: CreditEntry) -> dict[str, Any]:
    return {
        "period": entry.period, "months": entry.months, "first_month": entry.first_month,
        "last_month": entry.last_month, "predicate": entry.predicate,
        "percent": number(entry.percent), "level": entry.level,
        "coefficient": number(entry.coefficient), "points": number(entry.points),
        "evaluation_id": entry.evaluation_id,
    }  # fmt: skip


def _n(value: Decimal | None) -> float | None:
    return number(value, 2)


def ledger_row(ledger: CreditLedger) -> dict[str, Any]:
    base, needed = ledger.base, ledger.needed_next
    return {
        "employee": ledger.employee.nip,
        "year": ledger.year,
        "entries": [entry_row(e) for e in ledger.entries],
        "total": _n(ledger.total),
        "base": None if base is None else {
            "amount": number(base.amount), "pak_number": base.pak_number,
            "pak_date": base.pak_date, "level": base.level,
        },
        "running_total": _n(ledger.running_total),
        "needed_for_rank": _n(needed.for_rank) if needed else None,
        "needed_for_level": _n(needed.for_level) if needed else None,
    }  # fmt: skip


@router.get(
    "/credit-points",
    response={200: CreditPointsOut, 404: ErrorOut, **COMMON_ERRORS},
    summary="A functional employee's credit-point ledger for a year",
)
def credit_points_list(request: HttpRequest, query: Query[CreditQuery]):
    """The credit-point entries of ``employee`` in ``year`` (one per rating that gives credit
    points: periodic and annual, each calendar month counted once), their total, the base (the
    latest PAK entered by the Pengelola Kinerja) and the running total. 404 for an employee
    the caller may not see."""
    try:
        nip = parse_nip(normalize_nip(query.employee)).value
    except NipError as exc:
        raise bad_input("employee", str(exc.messages[0])) from None
    employee = visible_or_404(Employee.objects.select_related("position"), request.auth, nip=nip)
    if not permissions.sees_credit(request.auth, employee):
        raise NotFound()  # as for one the caller may not look up
    return ledger_row(credit_ledger(employee, query.year))
