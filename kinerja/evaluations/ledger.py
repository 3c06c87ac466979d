"""The credit-point ledger (issue 10; PerBKN 3/2023, konversi predikat kinerja): every
periodic and annual rating of a functional employee's plan that gives credit points is one
:class:`~kinerja.evaluations.models.CreditEntry`.

Which months an entry counts (docs/architecture.md, "Credit points: months counted once"):

* the plan's months are :func:`kinerja.evaluations.rules.months_of` (each calendar month
  counts for the one plan that holds the position on its first day);
* a **periodic** rating counts the months of its period that are the plan's months;
* the **annual** rating counts only the plan's months that no periodic rating of the same
  plan covers — so that no month is counted twice, and a year rated only annually still
  counts all its months;
* an entry's points are ``months × percentage × coefficient ÷ 1200`` (two decimals, half up;
  :func:`kinerja.evaluations.rules.credit_points`); no entry for a position without a
  coefficient (not functional) or with no month left to count.

The rating keeps the numbers too: a periodic evaluation's ``months``/``credit_points`` are its
entry's; the annual evaluation's ``months`` are the plan's months and its ``credit_points``
the plan's total for the year (every entry of the plan).

:func:`ledger_refresh` is the only writer; it is idempotent and is called after every rating,
correction and objection decision (and in bulk by the annual closing,
:mod:`kinerja.evaluations.services.closing`)."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kinerja.core.periods import ALL_KINDS, Period, parse_period
from kinerja.organizations.models import Employee
from kinerja.skp.models import Skp

from . import rules
from .models import CreditBase, CreditEntry, Evaluation

__all__ = [
    "CreditLedger",
    "EntryValues",
    "RatingCredit",
    "RatingRow",
    "counted_months",
    "credit_ledger",
    "entry_fields",
    "entry_values",
    "ledger_refresh",
    "plan_credit",
]


@dataclass(frozen=True)
class EntryValues:
    """What an entry holds, computed without the database."""

    months: list[int]
    percent: Decimal
    coefficient: Decimal
    points: Decimal


def _period(text: str) -> Period:
    return parse_period(text, kinds=ALL_KINDS)


def counted_months(period: Period, plan_months: list[int], periodic: Iterable[Period]) -> list[int]:
    """The months a rating of ``period`` counts for a plan of ``plan_months``, given the
    plan's periodic ratings ``periodic`` (used by the annual rating only)."""
    if not period.annual:
        return [m for m in period.months if m in plan_months]
    covered = {m for p in periodic for m in p.months}
    return [m for m in plan_months if m not in covered]


def entry_values(
    *, level: str, predicate: str, months: list[int], table: rules.CreditRules
) -> EntryValues | None:
    """The entry of ``months`` rated ``predicate`` in ``level``; None when nothing counts."""
    coefficient = table.coefficient.get(level)
    percent = table.percent.get(predicate)
    if coefficient is None or percent is None or not months:
        return None
    points = rules.credit_points(level=level, predicate=predicate, months=len(months), rules=table)
    return None if points is None else EntryValues(months, percent, coefficient, points)


@dataclass(frozen=True)
class RatingRow:
    """What the ledger reads of a rating."""

    pk: int
    period: str
    annual: bool
    predicate: str


@dataclass(frozen=True)
class RatingCredit:
    """What the ledger gives a rating: its entry (None: no entry) and the rating's own
    ``months`` and ``credit_points``."""

    entry: EntryValues | None
    months: int
    points: Decimal | None


def plan_credit(
    *, starts_on: date, ends_on: date | None, year: int, level: str, functional: bool,
    ratings: list[RatingRow], table: rules.CreditRules,
) -> dict[int, RatingCredit]:  # fmt: skip
    """Rating pk → its credit, for every rating of one plan (see the module's docstring).
    Pure, so that a rating and the annual closing (many plans at once) compute alike."""
    months = rules.months_of(starts_on, ends_on, year)
    periodic = [_period(r.period) for r in ratings if not r.annual]
    result: dict[int, RatingCredit] = {}
    for rating in ratings:
        counted = counted_months(_period(rating.period), months, periodic)
        values = (
            entry_values(level=level, predicate=rating.predicate, months=counted, table=table)
            if functional
            else None
        )
        result[rating.pk] = RatingCredit(values, len(counted), values.points if values else None)
    points = [c.entry.points for c in result.values() if c.entry is not None]
    total = sum(points, Decimal(0)) if points else None
    for rating in ratings:
        if rating.annual:
            result[rating.pk] = RatingCredit(result[rating.pk].entry, len(months), total)
    return result


def entry_fields(values: EntryValues, skp: Skp, rating: RatingRow) -> dict[str, object]:
    return {
        "employee_id": skp.employee_id, "skp_id": skp.pk, "year": skp.year,
        "period": rating.period, "months": len(values.months),
        "first_month": min(values.months), "last_month": max(values.months),
        "predicate": rating.predicate, "percent": values.percent, "level": skp.position_level,
        "coefficient": values.coefficient, "points": values.points,
    }  # fmt: skip


def ledger_refresh(evaluation: Evaluation) -> CreditEntry | None:
    """Create, update or remove the entries of every rating of ``evaluation``'s plan (the
    annual one's months depend on the periodic ones), and keep each rating's ``months`` and
    ``credit_points``; returns ``evaluation``'s entry. Idempotent; runs inside the caller's
    transaction (the rating, correction or decision)."""
    skp = Skp.objects.get(pk=evaluation.skp_id)
    evaluations = list(Evaluation.objects.filter(skp=skp))
    if evaluation.pk not in {e.pk for e in evaluations}:
        raise ValueError("ledger_refresh needs a saved evaluation")
    evaluations = [evaluation if e.pk == evaluation.pk else e for e in evaluations]
    rows = [RatingRow(e.pk, e.period, e.annual, e.predicate) for e in evaluations]
    credit = plan_credit(
        starts_on=skp.starts_on, ends_on=skp.ends_on, year=skp.year, level=skp.position_level,
        functional=skp.position_kind == "jf", ratings=rows, table=rules.credit_rules(skp.year),
    )  # fmt: skip
    mine: CreditEntry | None = None
    for rating, row in zip(evaluations, rows, strict=True):
        got = credit[rating.pk]
        entry = None
        if got.entry is None:
            CreditEntry.objects.filter(evaluation=rating).delete()
        else:
            entry, _created = CreditEntry.objects.update_or_create(
                evaluation=rating, defaults=entry_fields(got.entry, skp, row)
            )
        if (rating.months, rating.credit_points) != (got.months, got.points):
            rating.months, rating.credit_points = got.months, got.points
            Evaluation.objects.filter(pk=rating.pk).update(
                months=got.months, credit_points=got.points
            )
        if rating.pk == evaluation.pk:
            mine = entry
    return mine


# --- Reading the ledger ------------------------------------------------------------------------


@dataclass(frozen=True)
class Needed:
    """What the employee's jenjang needs for the next rank and jenjang, and what is left."""

    level: str
    for_rank: Decimal
    for_level: Decimal | None
    rank_left: Decimal
    level_left: Decimal | None


@dataclass(frozen=True)
class CreditLedger:
    employee: Employee
    year: int
    entries: list[CreditEntry]
    total: Decimal  # the year's entries
    base: CreditBase | None  # the latest PAK
    running_total: Decimal  # the base + every entry after the base's PAK date
    needed_next: Needed | None


def _ends_after(entry: CreditEntry, day: date) -> bool:
    last = entry.last_month or 12
    end = date(entry.year, last, monthrange(entry.year, last)[1])
    return end > day


def _needed(level: str, running: Decimal, year: int) -> Needed | None:
    row = rules.credit_requirements(year).get(level)
    if row is None:
        return None
    return Needed(
        level=level, for_rank=row.for_rank, for_level=row.for_level,
        rank_left=max(Decimal(0), row.for_rank - running),
        level_left=None if row.for_level is None else max(Decimal(0), row.for_level - running),
    )  # fmt: skip


def credit_ledger(employee: Employee, year: int) -> CreditLedger:
    """The employee's entries of ``year`` and their total; the latest PAK (the base); the
    running total — the base plus every entry whose months end after the PAK's date (every
    entry when there is no PAK); and what the jenjang needs for the next rank and jenjang (the
    year's :class:`~kinerja.evaluations.models.CreditRequirement`). Three queries."""
    every = list(
        CreditEntry.objects.filter(employee=employee).select_related("evaluation", "skp")
        .order_by("year", "first_month", "period", "pk")
    )  # fmt: skip
    entries = [e for e in every if e.year == year]
    base = CreditBase.objects.filter(employee=employee).order_by("pak_date", "pk").last()
    since = [e for e in every if base is None or _ends_after(e, base.pak_date)]
    running = (base.amount if base else Decimal(0)) + sum((e.points for e in since), Decimal(0))
    position = employee.position
    level = position.level if position is not None and position.level else ""
    level = level or (base.level if base else "")
    return CreditLedger(
        employee=employee, year=year, entries=entries,
        total=sum((e.points for e in entries), Decimal(0)), base=base, running_total=running,
        needed_next=_needed(level, running, year) if level else None,
    )  # fmt: skip
