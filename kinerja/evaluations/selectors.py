"""Reading evaluations: the suggested results rating with its numbers (from what each
indicator reached, :func:`kinerja.skp.selectors.iki_values`), a unit's distribution curve, the
completion monitor and the threads of feedback on a plan. Each function makes a bounded number
of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kinerja.core.periods import ALL_KINDS, Period, parse_period
from kinerja.core.rules import achievement_rules
from kinerja.organizations.heads import unit_head
from kinerja.organizations.models import Employee, Unit
from kinerja.skp.models import Skp
from kinerja.skp.selectors import IkiValue, iki_values

from . import rules
from .models import Evaluation, Feedback, OrgEvaluation


def suggestion_for(
    skp: Skp, period: Period, *, viewer, values: list[IkiValue] | None = None
) -> dict:
    """The suggested results rating and the numbers it rests on (kept with the rating).

    ``values``: the plan's :func:`iki_values` for the period, when the caller has them."""
    setting = rules.evaluation_setting(skp.year)
    cap = achievement_rules(skp.year).cap_pct
    if values is None:
        values = iki_values(skp, period, viewer=viewer)
    suggestion = rules.suggest_results([v.achievement for v in values], setting, cap)
    result = suggestion.as_json()
    result["cap"] = str(cap)
    result["basis"] = "achievement"
    result["indicators_detail"] = [
        {"iki": v.iki.pk, "value": str(v.value) if v.value is not None else None,
         "achievement": str(v.achievement) if v.achievement is not None else None,
         "source": v.source}
        for v in values
    ]  # fmt: skip
    head = unit_head(skp.unit)
    if head is not None and head.pk == skp.employee_id:
        org = OrgEvaluation.objects.filter(unit=skp.unit, period=str(period)).first()
        if org is not None:
            result["rating"] = rules.head_results_rating(org.predicate, setting)
            result["basis"] = "organisation"
            result["org_predicate"] = org.predicate
    return result


# --- The curve ---------------------------------------------------------------------------------


@dataclass
class UnitCurve:
    unit: Unit
    period: str
    org_predicate: str | None
    counts: dict[str, int]
    total: int
    warnings: list = field(default_factory=list)


def unit_curve(unit: Unit, period: str, *, curve_rules: dict | None = None) -> UnitCurve:
    """How the unit's employee predicates of ``period`` are distributed, and which rules of
    the curve (for the unit's organisation predicate) they break. Three queries."""
    parsed = parse_period(period, kinds=ALL_KINDS)
    counts = Counter(
        Evaluation.objects.filter(skp__unit=unit, period=str(parsed)).values_list(
            "predicate", flat=True
        )
    )
    org = (
        OrgEvaluation.objects.filter(unit=unit, period=str(parsed))
        .values_list("predicate", flat=True)
        .first()
    )
    warnings = []
    if org is not None:
        curve_rules = curve_rules if curve_rules is not None else rules.curve_rules(parsed.year)
        majority = rules.evaluation_setting(parsed.year).curve_majority
        warnings = rules.curve_warnings(org, dict(counts), curve_rules, majority)
    return UnitCurve(unit, str(parsed), org, dict(counts), sum(counts.values()), warnings)


# --- Completion monitor ------------------------------------------------------------------------


@dataclass
class CompletionRow:
    employee: Employee
    skp: Skp | None
    rated: bool


def completion(employees, year: int, period: str) -> list[CompletionRow]:
    """Who has not planned, submitted, approved or been rated for ``period`` yet."""
    employees = list(employees)
    plans = {
        p.employee_id: p
        for p in Skp.objects.filter(employee__in=employees, year=year, ends_on__isnull=True)
    }
    rated = set(
        Evaluation.objects.filter(skp__in=plans.values(), period=period).values_list(
            "skp_id", flat=True
        )
    )
    return [
        CompletionRow(e, plans.get(e.pk), plans.get(e.pk) is not None and plans[e.pk].pk in rated)
        for e in employees
    ]


# --- Threads of feedback ---------------------------------------------------------------------


@dataclass
class Thread:
    root: Feedback
    replies: list[Feedback] = field(default_factory=list)


def feedback_of(skp: Skp) -> list[Feedback]:
    """Every message on the plan, oldest first, with its author (one query)."""
    return list(
        Feedback.objects.filter(skp=skp).select_related("author").order_by("created_at", "pk")
    )


def root_of(item: Feedback, by_pk: dict[int, Feedback]) -> Feedback:
    """The message that started ``item``'s thread (among ``by_pk``)."""
    seen = set()
    while item.parent_id is not None and item.parent_id in by_pk and item.pk not in seen:
        seen.add(item.pk)
        item = by_pk[item.parent_id]
    return item


def threads_of(feedback: list[Feedback]) -> tuple[dict, dict]:
    """Threads keyed by result id and by value id; a reply joins the thread of its root."""
    by_pk = {f.pk: f for f in feedback}
    roots: dict[int, Thread] = {f.pk: Thread(f) for f in feedback if f.parent_id is None}
    for item in feedback:
        if item.parent_id is None:
            continue
        root = root_of(item, by_pk)
        if root.pk in roots:
            roots[root.pk].replies.append(item)
    by_rhk, by_value = defaultdict(list), defaultdict(list)
    for thread in roots.values():
        if thread.root.rhk_id:
            by_rhk[thread.root.rhk_id].append(thread)
        elif thread.root.value_id:
            by_value[thread.root.value_id].append(thread)
    return by_rhk, by_value
