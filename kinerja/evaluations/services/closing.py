"""The annual closing (domain.md §3, §3.2, §3.3): for every annual evaluation of a year — of
the whole region or of one agency — at once:

1. **Final predicates.** An annual rating whose objection period (``SkpCalendar
   .objection_days``, 14 days from receiving the predicate) has passed without an objection
   becomes final, and so does its plan: one read of the year's annual evaluations, one
   ``UPDATE`` of the evaluations, one of the plans, the plans' transitions with
   ``bulk_create`` and their audit records with ``audit.record_many`` (the records
   ``skp.services.transition`` writes one by one). A rating that was never delivered
   (``delivered_at`` empty) has had no objection period and is left as it is; so are ratings
   under objection (the rater's superior decides them) and those still within their period.
2. **Credit points: the ledger.** For every plan with an annual evaluation of the year, the
   ledger (:mod:`kinerja.evaluations.ledger`) is computed again with
   ``ledger.plan_credit`` — the same pure function a rating uses — from the plan's dates and
   all its ratings (periodic and annual; the rules read once for the year): entries are
   created with ``bulk_create``, the few changed ones updated with ``bulk_update``, obsolete
   ones deleted; the ratings whose ``months``/``credit_points`` changed are written with one
   ``UPDATE`` per distinct value (the values are few), and the annual ones audited. Positions
   without a coefficient (not functional) have no entry and no credit points.
3. **The curve.** For every unit with annual evaluations of the year: the unit × predicate
   counts (one grouped query), the unit's organisation predicate for the year (one query for
   all units) and ``rules.curve_warnings``. Warnings, never a block (domain.md §3.2).

Everything runs in one transaction; the evaluations are locked (``SELECT … FOR UPDATE``) so
that an objection filed at the same moment waits for the closing and then finds the rating
final, or the closing sees the objection. Running it again changes nothing that is already
done. The number of queries does not grow with the number of evaluations, except for the
batches of the bulk statements.

Who may close: the region's administrator or the installation itself
(:data:`~kinerja.core.actors.SYSTEM`, a console command run without ``--as``) for the whole
region or one agency; an agency's performance administrator (Pengelola Kinerja) for that agency
only (:func:`kinerja.evaluations.permissions.runs_the_year`). Anyone else is refused with
``PermissionDenied``.

From the command line: ``kinerja evaluations [--as USER] close --year 2026 [--agency CODE]``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TypedDict, TypeVar, cast

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor, user_of
from kinerja.core.periods import MAX_YEAR, MIN_YEAR
from kinerja.organizations.models import Agency, Unit
from kinerja.skp.models import Skp, SkpState, SkpTransition
from kinerja.skp.rules import skp_calendar

from .. import ledger, permissions, rules
from ..models import (
    CreditEntry,
    Evaluation,
    EvaluationQuerySet,
    EvaluationState,
    Objection,
    OrgEvaluation,
)

#: The reason recorded on each plan's transition.
FINAL_REASON = "Objection period over"
#: The fields of a ledger entry that the closing may change.
_ENTRY_FIELDS = [
    "employee", "skp", "year", "period", "months", "first_month", "last_month",
    "predicate", "percent", "level", "coefficient", "points",
]  # fmt: skip
#: Ids per ``UPDATE … WHERE id IN (…)``: one statement up to this many rows, and well within
#: SQLite's limit of bound parameters (32,766).
ID_CHUNK = 20_000

_Item = TypeVar("_Item")


class _Row(TypedDict):
    """What the closing reads of an annual evaluation (see :func:`_locked_rows`)."""

    pk: int
    period: str
    state: str
    predicate: str
    delivered_at: datetime | None
    months: int
    credit_points: Decimal | None
    has_objection: bool
    skp_id: int
    skp__state: str
    skp__year: int
    skp__position_kind: str
    skp__position_level: str
    skp__employee__nip: str
    skp__employee__name: str
    skp__unit__agency__code: str


@dataclass(frozen=True)
class UnitCheck:
    """The curve of one unit for the year."""

    code: str
    name: str
    org_predicate: str | None  # None: the leader above has not set it
    counts: dict[str, int]
    total: int
    warnings: list[rules.CurveWarning]


@dataclass
class ClosingSummary:
    year: int
    agency: str | None  # the agency's code, or None for the whole region
    evaluations: int = 0  # annual evaluations of the year looked at
    finalised: int = 0
    still_open: int = 0  # rated, objection period not over yet
    objected: int = 0  # an objection waits for its decision
    undelivered: int = 0  # rated, never delivered: no objection period yet
    final: int = 0  # final after the closing (including those made final now)
    credit_points_computed: int = 0  # functional positions with credit points
    credit_points_changed: int = 0
    units: list[UnitCheck] = field(default_factory=list)

    @property
    def units_checked(self) -> int:
        return len(self.units)

    @property
    def units_with_warnings(self) -> int:
        return sum(1 for u in self.units if u.warnings)

    @property
    def units_without_org_predicate(self) -> list[UnitCheck]:
        return [u for u in self.units if u.org_predicate is None]

    @property
    def warnings(self) -> dict[str, list[rules.CurveWarning]]:
        """Unit code → the curve rules its predicates break (only units with warnings)."""
        return {u.code: u.warnings for u in self.units if u.warnings}


def _chunks(items: list[_Item], size: int = ID_CHUNK) -> Iterator[list[_Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _annual(year: int, agency: Agency | None) -> EvaluationQuerySet:
    rows = Evaluation.objects.filter(annual=True, skp__year=year)
    if agency is not None:
        rows = rows.filter(skp__unit__agency=agency)
    return rows


def _check(year: int, agency: Agency | None, now: datetime | None) -> datetime:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(
            _("The year must lie between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    if agency is not None and not isinstance(agency, Agency):
        raise TypeError("agency must be an Agency or None")
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    return now


def _locked_rows(year: int, agency: Agency | None) -> list[_Row]:
    """The year's annual evaluations, locked, with what the closing reads of each."""
    locked = _annual(year, agency)
    if connection.features.has_select_for_update_of:
        locked = locked.select_for_update(of=("self",))
    rows = list(
        locked.annotate(
            has_objection=Exists(Objection.objects.filter(evaluation=OuterRef("pk")))
        ).values(
            "pk", "period", "state", "predicate", "delivered_at", "months", "credit_points",
            "has_objection", "skp_id", "skp__state", "skp__year", "skp__position_kind",
            "skp__position_level", "skp__employee__nip", "skp__employee__name",
            "skp__unit__agency__code",
        )
    )  # fmt: skip
    # django-stubs types the rows of an annotated ``values()`` as ``dict[str, Any]``: these
    # are the keys asked for above.
    return cast(list[_Row], rows)


def _sort_out(rows: list[_Row], summary: ClosingSummary, now: datetime, days: int) -> list[_Row]:
    """Count the ratings by where they stand; the ones due to become final."""
    due = []
    for row in rows:
        if row["state"] == EvaluationState.OBJECTED or (
            row["state"] == EvaluationState.RATED and row["has_objection"]
        ):
            summary.objected += 1
        elif row["state"] == EvaluationState.RATED:
            if row["delivered_at"] is None:
                summary.undelivered += 1
            elif rules.objection_open(row["delivered_at"], now, days):
                summary.still_open += 1
            else:
                due.append(row)
        elif row["state"] == EvaluationState.FINAL:
            summary.final += 1
    return due


@transaction.atomic
def annual_close(
    *, year: int, agency: Agency | None = None, by: Actor, now: datetime | None = None
) -> ClosingSummary:
    """Close the annual evaluation of ``year``, of the region or of ``agency`` (see the
    module's docstring), as ``by``: the region's administrator or :data:`SYSTEM`, or for one
    agency also its performance administrator."""
    now = _check(year, agency, now)
    permissions.require(
        permissions.runs_the_year(by, agency),
        _("Only the region's administrator closes the year; an agency's performance "
          "administrator closes their own agency."),
    )  # fmt: skip
    summary = ClosingSummary(year=year, agency=agency.code if agency else None)
    rows = _locked_rows(year, agency)
    summary.evaluations = len(rows)

    # 1. Final predicates.
    due = _sort_out(rows, summary, now, skp_calendar(year).objection_days)
    if due:
        _finalise(due, by)
    summary.finalised = len(due)
    summary.final += len(due)

    # 2. Credit points.
    computed, changed = _credit_points(rows, year)
    summary.credit_points_computed, summary.credit_points_changed = computed, changed

    # 3. The curve.
    summary.units = unit_checks(year=year, agency=agency)
    return summary


def _skp_key(row: _Row) -> str:
    return f"{row['skp__employee__nip']}/{row['skp__year']}/{row['skp_id']}"


def _finalise(due: list[_Row], by: Actor) -> None:
    for ids in _chunks([row["pk"] for row in due]):
        Evaluation.objects.filter(pk__in=ids).update(state=EvaluationState.FINAL)
    # a plan closed by a transfer keeps its state; its evaluation becomes final
    plans = [row for row in due if row["skp__state"] not in (SkpState.FINAL, SkpState.CLOSED)]
    for ids in _chunks([row["skp_id"] for row in plans]):
        Skp.objects.filter(pk__in=ids).update(state=SkpState.FINAL)
    SkpTransition.objects.bulk_create(
        [
            SkpTransition(
                skp_id=row["skp_id"], from_state=row["skp__state"], to_state=SkpState.FINAL,
                by=user_of(by), reason=FINAL_REASON,
            )
            for row in plans
        ],
        batch_size=1000,
    )  # fmt: skip
    audit.record_many(
        [
            audit.Entry(
                action="transition",
                object_type=Skp._meta.label_lower,
                object_id=_skp_key(row),
                object_repr=f"SKP {row['skp__year']} {row['skp__employee__name']}",
                before={"state": row["skp__state"]} if row["skp__state"] else None,
                after={"state": SkpState.FINAL},
                note=FINAL_REASON,
                agency_code=row["skp__unit__agency__code"] or "",
            )
            for row in plans
        ]
    )


@dataclass
class _LedgerWork:
    """What the bulk ledger writes: new, changed and obsolete entries, and the ratings whose
    ``months``/``credit_points`` change, grouped by the new values."""

    creates: list[CreditEntry] = field(default_factory=list)
    updates: list[CreditEntry] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)
    ratings: dict[tuple[int, Decimal | None], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _ledger_read(
    skp_ids: list[int],
) -> tuple[list[Skp], dict[int, list[ledger.RatingRow]], dict[int, tuple[int, Decimal | None]],
           dict[int, CreditEntry]]:  # fmt: skip
    """The plans, their ratings (all periods), the ratings' numbers and the entries: three
    queries per chunk of plans."""
    plans: list[Skp] = []
    ratings: dict[int, list[ledger.RatingRow]] = defaultdict(list)
    current: dict[int, tuple[int, Decimal | None]] = {}
    entries: dict[int, CreditEntry] = {}
    for ids in _chunks(skp_ids):
        plans += Skp.objects.filter(pk__in=ids).only(
            "pk", "employee_id", "year", "starts_on", "ends_on", "position_kind", "position_level"
        )
        for e in Evaluation.objects.filter(skp_id__in=ids).values(
            "pk", "skp_id", "period", "annual", "predicate", "months", "credit_points"
        ):
            ratings[e["skp_id"]].append(
                ledger.RatingRow(e["pk"], e["period"], e["annual"], e["predicate"])
            )
            current[e["pk"]] = (e["months"], e["credit_points"])
        entries.update((c.evaluation_id, c) for c in CreditEntry.objects.filter(skp_id__in=ids))
    return plans, ratings, current, entries


def _ledger_plan(
    plan: Skp, rows: list[ledger.RatingRow], table: rules.CreditRules,
    current: dict[int, tuple[int, Decimal | None]], entries: dict[int, CreditEntry],
    work: _LedgerWork,
) -> None:  # fmt: skip
    credit = ledger.plan_credit(
        starts_on=plan.starts_on, ends_on=plan.ends_on, year=plan.year,
        level=plan.position_level, functional=plan.position_kind == "jf", ratings=rows,
        table=table,
    )  # fmt: skip
    for row in rows:
        got, existing = credit[row.pk], entries.get(row.pk)
        if got.entry is None:
            if existing is not None:
                work.deletes.append(existing.pk)
        else:
            fields = ledger.entry_fields(got.entry, plan, row)
            if existing is None:
                work.creates.append(CreditEntry(evaluation_id=row.pk, **fields))
            elif any(getattr(existing, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(existing, k, v)
                work.updates.append(existing)
        if current[row.pk] != (got.months, got.points):
            work.ratings[(got.months, got.points)].append(row.pk)


def _credit_points(rows: list[_Row], year: int) -> tuple[int, int]:
    """The ledger of every plan with an annual evaluation of the year, in bulk (the same
    computation as :func:`kinerja.evaluations.ledger.ledger_refresh`, per plan): returns
    (annual ratings of functional positions with credit points, annual ratings whose credit
    points changed)."""
    table = rules.credit_rules(year)
    plans, ratings, current, entries = _ledger_read([row["skp_id"] for row in rows])
    work = _LedgerWork()
    for plan in plans:
        _ledger_plan(plan, ratings[plan.pk], table, current, entries, work)
    CreditEntry.objects.bulk_create(work.creates, batch_size=1000)
    if work.updates:  # rare: a rule or a plan's dates changed since the ratings
        CreditEntry.objects.bulk_update(work.updates, _ENTRY_FIELDS, batch_size=500)
    for ids in _chunks(work.deletes):
        CreditEntry.objects.filter(pk__in=ids).delete()
    new_points: dict[int, Decimal | None] = {}
    for (months, points), pks in work.ratings.items():
        for ids in _chunks(pks):
            Evaluation.objects.filter(pk__in=ids).update(months=months, credit_points=points)
        new_points.update((pk, points) for pk in pks)
    changes = [
        (row, new_points[row["pk"]])
        for row in rows
        if row["pk"] in new_points and new_points[row["pk"]] != row["credit_points"]
    ]
    if changes:
        _audit_points(changes)
    computed = sum(
        1 for row in rows
        if row["skp__position_kind"] == "jf"
        and new_points.get(row["pk"], row["credit_points"]) is not None
    )  # fmt: skip
    return computed, len(changes)


def _audit_points(changes: list[tuple[_Row, Decimal | None]]) -> None:
    audit.record_many(
        [
            audit.Entry(
                action="update",
                object_type=Evaluation._meta.label_lower,
                object_id=f"{_skp_key(row)}/{row['period']}",
                object_repr=f"SKP {row['skp__year']} {row['skp__employee__name']} "
                f"{row['period']}: {row['predicate']}",
                before={"credit_points": audit.to_json(row["credit_points"])},
                after={"credit_points": audit.to_json(value)},
                note="Annual closing",
                agency_code=row["skp__unit__agency__code"] or "",
            )
            for row, value in changes
        ]
    )


def unit_checks(*, year: int, agency: Agency | None = None) -> list[UnitCheck]:
    """The curve of every unit with annual evaluations of ``year``, by unit code. Four
    queries whatever the number of units: the unit × predicate counts, the units, their
    organisation predicates, and the curve rules of the year (two)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, predicate, n in (
        _annual(year, agency)
        .values_list("skp__unit_id", "predicate")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[unit_id][predicate] = counts[unit_id].get(predicate, 0) + n
    if not counts:
        return []
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(counts)).only("code", "name")}
    org = dict(
        OrgEvaluation.objects.filter(unit_id__in=list(counts), period=str(year)).values_list(
            "unit_id", "predicate"
        )
    )
    curve = rules.curve_rules(year) if org else {}
    majority = rules.evaluation_setting(year).curve_majority
    checks = []
    for unit_id, unit_counts in counts.items():
        predicate = org.get(unit_id)
        unit = units[unit_id]
        checks.append(
            UnitCheck(
                code=unit.code,
                name=unit.name,
                org_predicate=predicate,
                counts=unit_counts,
                total=sum(unit_counts.values()),
                warnings=rules.curve_warnings(predicate, unit_counts, curve, majority)
                if predicate
                else [],
            )
        )
    return sorted(checks, key=lambda c: c.code)
