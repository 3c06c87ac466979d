"""Reading evaluations: what an indicator reached in a period (typed in or measured from
service data), the suggested results rating with its numbers, a unit's distribution curve
and the completion monitor. Each function makes a bounded number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from kinerja.core.periods import ALL_KINDS, Period, parse_period
from kinerja.core.rules import achievement_rules
from kinerja.organizations.models import Employee, Unit
from kinerja.skp.models import Iki, IkiRealisation, Rhk, Skp
from kinerja.strategy.achievement import Polarity, achievement_pct, rounded

from . import rules
from .models import Evaluation, OrgEvaluation


@dataclass
class IkiValue:
    iki: Iki
    value: Decimal | None
    source: str  # "manual", "stream" or "" (none yet)
    achievement: Decimal | None
    cases: int | None = None  # for stream values: how many cases the figure rests on
    note: str = ""
    hidden: bool = False  # individual service data the viewer may not see


def _polarity(iki: Iki) -> str:
    if iki.has_range:
        return Polarity.RANGE
    return Polarity.LOWER if iki.lower_is_better else Polarity.HIGHER


def iki_values(skp: Skp, period: Period, *, viewer) -> list[IkiValue]:
    """Every indicator of the plan with its value in ``period``: the realisation entered for
    exactly that period, or — for an indicator bound to a stream — the metric over the
    period's days (seen only by those who may see the officer's data)."""
    return iki_values_for_periods(skp, [period], viewer=viewer)[period]


def iki_values_for_periods(
    skp: Skp, periods: list[Period], *, viewer
) -> dict[Period, list[IkiValue]]:
    """:func:`iki_values` for several periods of the plan's year at once: the rules, the
    indicators and the realisations are read once (three queries, plus the streams' own for
    bound indicators), whatever the number of periods."""
    from kinerja.streams.bindings import binding_values

    cap = achievement_rules(skp.year).cap_pct
    indicators = list(
        Iki.objects.filter(rhk__skp=skp)
        .select_related("rhk", "binding__stream", "binding__unit")
        .order_by("rhk__kind", "rhk__number", "number")
    )
    manual = {
        (r.iki_id, r.period): r
        for r in IkiRealisation.objects.filter(
            iki__in=indicators, period__in=[str(p) for p in periods]
        )
    }
    bindings = [i.binding for i in indicators if i.binding_id]
    bound = binding_values(bindings, skp.year, viewer=viewer) if bindings else {}
    result: dict[Period, list[IkiValue]] = {}
    for period in periods:
        rows = []
        for iki in indicators:
            if iki.binding_id:
                values = bound.get(iki.binding_id)
                if values is None or not values.visible:
                    rows.append(IkiValue(iki, None, "stream", None, hidden=True))
                    continue
                figure = values.figure_for(tuple(period.months))
                value = figure.value if figure else None
                cases = figure.cases if figure else None
                rows.append(
                    IkiValue(
                        iki,
                        value,
                        "stream",
                        _achievement(iki, value, cap, len(period.months)),
                        cases,
                    )
                )
                continue
            realisation = manual.get((iki.pk, str(period)))
            value = realisation.value if realisation else None
            rows.append(
                IkiValue(
                    iki,
                    value,
                    "manual" if realisation else "",
                    _achievement(iki, value, cap, len(period.months)),
                    note=realisation.note if realisation else "",
                )
            )
        result[period] = rows
    return result


def _achievement(iki: Iki, value: Decimal | None, cap: Decimal, months: int) -> Decimal | None:
    """Achievement against the target of the period (a yearly total shared out evenly)."""
    target, low, high = iki.target_for_months(months)
    return rounded(
        achievement_pct(
            polarity=_polarity(iki), realisation=value, target=target,
            low=low, high=high, cap=cap, lower_formula="inverse",
        )
    )  # fmt: skip


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
    from kinerja.organizations.heads import unit_head

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
        warnings = rules.curve_warnings(org, dict(counts), curve_rules)
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


def plan_with_content(queryset):
    """Plans with their results, indicators and expectations loaded (three extra queries)."""
    return queryset.select_related(
        "employee", "unit__agency", "rater", "rater_superior", "position"
    ).prefetch_related(
        Prefetch(
            "results",
            queryset=Rhk.objects.select_related("supports", "indicator").prefetch_related(
                Prefetch("indicators", queryset=Iki.objects.select_related("binding__stream"))
            ),
        ),
        "expectations",
    )
