"""Reading plans: a plan with what its pages show, what each indicator reached in a period
(typed in or measured from service data) and the table of those values per period of the
agency's rhythm. Each function makes a bounded number of queries, whatever the number of
results, indicators or periods.

The callers pass plans they may see (``Skp.objects.visible_to``); the values of indicators
bound to a stream are shown only to those who may see the officer's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.periods import Period
from kinerja.core.rules import achievement_rules
from kinerja.organizations.models import Unit
from kinerja.strategy.achievement import Polarity, achievement_pct, rounded
from kinerja.streams.bindings import binding_values

from .models import Iki, IkiRealisation, Rhk, RhkKind, Skp, SkpEvidence
from .rhythm import agency_periods
from .verification import IkiRealisationState

# --- Plans with their content ------------------------------------------------------------------


def plans_with_content(queryset=None):
    """Plans with what their pages show: people, results with their indicators and the
    supported results, expectations (a fixed number of queries)."""
    queryset = Skp.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "employee__unit__agency",
        "employee__position",
        "unit__agency",
        "rater__position",
        "rater_superior__position",
        "position",
    ).prefetch_related(
        Prefetch(
            "results",
            queryset=Rhk.objects.select_related("supports__skp", "indicator").prefetch_related(
                Prefetch(
                    "indicators",
                    queryset=Iki.objects.select_related(
                        "binding__stream", "binding__unit"
                    ).order_by("number"),
                )
            ),
        ),
        "expectations",
    )


def plans_with_people():
    """Plans with their employee, unit, agency and rater (one query)."""
    return Skp.objects.select_related("employee__unit__agency", "unit__agency", "rater")


def results_in_order(skp: Skp) -> list[Rhk]:
    """The plan's results, main ones first, each group by number (its prefetched results)."""
    return sorted(skp.results.all(), key=lambda r: (r.kind != RhkKind.MAIN, r.number))


def unit_subtree(unit: Unit) -> list[int]:
    """The unit and every unit below it (one query over the agency's units)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Unit.objects.filter(agency_id=unit.agency_id).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = [], [unit.pk]
    while todo:
        pk = todo.pop()
        if pk in found:
            continue
        found.append(pk)
        todo.extend(children.get(pk, []))
    return found


# --- What an indicator reached -----------------------------------------------------------------


@dataclass
class IkiValue:
    iki: Iki
    value: Decimal | None
    source: str  # "manual", "stream" or "" (none yet)
    achievement: Decimal | None
    cases: int | None = None  # for stream values: how many cases the figure rests on
    note: str = ""
    hidden: bool = False  # individual service data the viewer may not see
    too_few: int | None = None  # the minimum of cases this stream value does not reach
    #: a typed value's state (``IkiRealisationState``); only a verified one has an achievement
    state: str = ""
    verification_note: str = ""
    realisation_id: int | None = None

    @property
    def pending(self) -> bool:
        """A typed value shown but not counted: awaiting verification or returned."""
        return self.source == "manual" and self.state != IkiRealisationState.VERIFIED


def with_case_minimum(values: list[IkiValue], minimum: int) -> list[IkiValue]:
    """The values with each stream value resting on fewer than ``minimum`` cases marked "too
    few cases (n of minimum)" and not counted as measured (no achievement): domain.md §4, a
    metric needs a minimum number of cases before it may suggest a rating. The minimum is the
    year's ``evaluations.EvaluationSetting.case_minimum``, passed by the caller."""
    return [
        replace(
            v, achievement=None, too_few=minimum,
            note=_("too few cases (%(n)s of %(minimum)s)") % {"n": v.cases, "minimum": minimum},
        )
        if v.source == "stream" and v.value is not None and v.cases is not None
        and v.cases < minimum and v.too_few is None
        else v
        for v in values
    ]  # fmt: skip


def _polarity(iki: Iki) -> str:
    if iki.has_range:
        return Polarity.RANGE
    return Polarity.LOWER if iki.lower_is_better else Polarity.HIGHER


def _achievement(iki: Iki, value: Decimal | None, cap: Decimal, months: int) -> Decimal | None:
    """Achievement against the target of the period (a yearly total shared out evenly)."""
    target, low, high = iki.target_for_months(months)
    return rounded(
        achievement_pct(
            polarity=_polarity(iki), realisation=value, target=target,
            low=low, high=high, cap=cap, lower_formula="inverse",
        )
    )  # fmt: skip


def iki_values(skp: Skp, period: Period, *, viewer, case_minimum: int = 0) -> list[IkiValue]:
    """Every indicator of the plan with its value in ``period``: the realisation entered for
    exactly that period, or — for an indicator bound to a stream — the metric over the
    period's days (seen only by those who may see the officer's data); a stream value on
    fewer than ``case_minimum`` cases is marked and not measured (:func:`with_case_minimum`)."""
    values = iki_values_for_periods(skp, [period], viewer=viewer)[period]
    return with_case_minimum(values, case_minimum) if case_minimum else values


def _stream_value(iki: Iki, values, period: Period, cap: Decimal) -> IkiValue:
    if values is None or not values.visible:
        return IkiValue(iki, None, "stream", None, hidden=True)
    figure = values.figure_for(tuple(period.months))
    value = figure.value if figure else None
    cases = figure.cases if figure else None
    return IkiValue(iki, value, "stream", _achievement(iki, value, cap, len(period.months)), cases)


def _typed_value(iki: Iki, realisation, period: Period, cap: Decimal) -> IkiValue:
    """A typed value counts (has an achievement) only once verified; awaiting verification or
    returned it is shown with its state and not counted."""
    if realisation is None:
        return IkiValue(iki, None, "", None)
    verified = realisation.state == IkiRealisationState.VERIFIED
    return IkiValue(
        iki,
        realisation.value,
        "manual",
        _achievement(iki, realisation.value, cap, len(period.months)) if verified else None,
        note=realisation.note,
        state=realisation.state,
        verification_note=realisation.verification_note,
        realisation_id=realisation.pk,
    )


def iki_values_for_periods(
    skp: Skp, periods: list[Period], *, viewer
) -> dict[Period, list[IkiValue]]:
    """:func:`iki_values` for several periods of the plan's year at once: the rules, the
    indicators and the realisations are read once (three queries, plus the streams' own for
    bound indicators), whatever the number of periods."""
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
    return {
        period: [
            _stream_value(iki, bound.get(iki.binding_id), period, cap)
            if iki.binding_id
            else _typed_value(iki, manual.get((iki.pk, str(period))), period, cap)
            for iki in indicators
        ]
        for period in periods
    }


# --- The values per period of the agency's rhythm --------------------------------------------


@dataclass
class Cell:
    period: Period
    begun: bool
    value: IkiValue | None = None
    evidence: list = field(default_factory=list)


@dataclass
class IkiRow:
    iki: Iki
    cells: list[Cell]


def period_table(skp: Skp, viewer, *, evidence: bool = False) -> tuple[list, list[IkiRow]]:
    """The agency's periods of the plan's year and, for each indicator (of the plan loaded
    with :func:`plans_with_content`), its value in each period that has begun
    (:func:`iki_values_for_periods`: a fixed number of queries for all the periods)."""
    today = timezone.localdate()
    periods = agency_periods(skp.unit.agency, skp.year)
    begun = [p for p in periods if p.start <= today]
    values = {
        p: {v.iki.pk: v for v in rows}
        for p, rows in iki_values_for_periods(skp, begun, viewer=viewer).items()
    }
    files: dict[tuple[int, str], list] = {}
    if evidence:
        for item in SkpEvidence.objects.filter(skp=skp).select_related("uploaded_by__employee"):
            files.setdefault((item.iki_id, item.period), []).append(item)
    indicators = [iki for rhk in results_in_order(skp) for iki in rhk.indicators.all()]
    rows = []
    for iki in indicators:
        cells = [
            Cell(p, p in values, values.get(p, {}).get(iki.pk), files.get((iki.pk, str(p)), []))
            for p in periods
        ]
        rows.append(IkiRow(iki, cells))
    return periods, rows
