"""Reading organisational performance: targets, realisations and achievement per period, and
the performance tree — each in a bounded number of queries, whatever the data size.

Only verified realisations count in achievement (and in the formulas that read them); a value
awaiting verification or returned for correction is shown beside, marked, and not counted.
Values filled from a stream and formula values count as they are."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from kinerja.core.formula import parse
from kinerja.core.periods import Period
from kinerja.core.rules import AchievementRules, Band, achievement_rules
from kinerja.streams.bindings import BoundValues, binding_values
from kinerja.streams.models import MetricBinding

from .achievement import achievement_pct, combine, rounded
from .models import (
    DataSource,
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Plan,
    Realisation,
    RealisationState,
    StrategicTarget,
)

FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Target:
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def is_set(self) -> bool:
        return self.value is not None or (self.low is not None and self.high is not None)


@dataclass(frozen=True)
class PeriodResult:
    period: Period
    target: Target | None
    realisation: Decimal | None
    achievement_pct: Decimal | None  # rounded to two decimals
    band: Band | None


@dataclass
class IndicatorResult:
    indicator: Indicator
    year: int
    target: Target | None
    months: dict[int, Decimal | None]  # the values that count: verified, stream or formula
    current: dict[int, Realisation] = field(default_factory=dict)  # month → current record
    quarters: list[PeriodResult] = field(default_factory=list)
    annual: PeriodResult | None = None
    # A stream-bound indicator's values with their provenance (cases, when computed).
    binding: BoundValues | None = None

    @property
    def hidden(self) -> bool:
        """Individual service data the viewer may not see: no value is shown at all."""
        return self.binding is not None and not self.binding.visible

    def uncounted(self, month: int) -> Realisation | None:
        """The month's current record when it does not count in achievement: entered by hand
        and awaiting verification or returned for correction (shown beside, marked)."""
        record = self.current.get(month)
        if record is None or record.state == RealisationState.VERIFIED:
            return None
        return record

    def for_period(self, period: Period) -> PeriodResult:
        if period.kind == "quarter":
            return self.quarters[period.quarter - 1]
        return self.annual


class _Values:
    """Monthly values of manual indicators, combined per level; formula indicators evaluated
    at each level from their references' values at that level (so a ratio is a ratio of
    sums, not an average of ratios); stream-bound indicators computed at each level over the
    level's whole range (``kinerja.streams.bindings``)."""

    def __init__(
        self,
        indicators: dict[int, Indicator],
        monthly: dict[int, dict[int, Decimal]],
        bound: dict[int, BoundValues] | None = None,
    ):
        self.bound = bound or {}
        self.by_id = indicators
        self.by_code = defaultdict(dict)
        for ind in indicators.values():
            self.by_code[ind.agency_id][ind.code] = ind
        self.monthly = monthly
        self.memo: dict[tuple[int, tuple[int, ...]], Decimal | None] = {}
        self.formulas = {
            ind.pk: parse(ind.formula)
            for ind in indicators.values()
            if ind.data_source == DataSource.FORMULA and ind.formula
        }

    def value(self, indicator_id: int, months: tuple[int, ...], stack=()) -> Decimal | None:
        key = (indicator_id, months)
        if key in self.memo:
            return self.memo[key]
        ind = self.by_id[indicator_id]
        if indicator_id in self.formulas:
            if indicator_id in stack:  # refused at save time; never loop here
                return None
            refs = {}
            for code in self.formulas[indicator_id].references:
                other = self.by_code[ind.agency_id].get(code)
                refs[code] = self.value(other.pk, months, (*stack, indicator_id)) if other else None
            result = self.formulas[indicator_id].evaluate(refs)
        elif ind.data_source == DataSource.STREAM:
            bound = self.bound.get(indicator_id)
            result = bound.value_for(months) if bound else None
        else:
            series = self.monthly.get(indicator_id, {})
            result = combine((series.get(m) for m in months), ind.aggregation)
        self.memo[key] = result
        return result


def _target(row: IndicatorTarget | None) -> Target | None:
    if row is None:
        return None
    return Target(row.value, row.low, row.high)


def _result(
    ind: Indicator, period: Period, target: Target | None, value, rules: AchievementRules
) -> PeriodResult:
    pct = None
    if target is not None and target.is_set:
        pct = rounded(
            achievement_pct(
                polarity=ind.polarity,
                realisation=value,
                target=target.value,
                low=target.low,
                high=target.high,
                cap=rules.cap_pct,
                lower_formula=ind.lower_formula,
                range_above=ind.range_above,
            )
        )
    # Achievement from the exact value; the value itself shown at the precision of entries.
    return PeriodResult(period, target, _shown(value), pct, rules.band_for(pct))


def _shown(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def _bound_values(indicators: Iterable[Indicator], year: int, viewer) -> dict[int, BoundValues]:
    """Stream-bound indicators' values by indicator id (no query when there are none)."""
    wanted = {
        ind.pk: ind.metric_binding_id
        for ind in indicators
        if ind.data_source == DataSource.STREAM and ind.metric_binding_id
    }
    if not wanted:
        return {}
    bindings = MetricBinding.objects.filter(pk__in=set(wanted.values())).select_related(
        "stream__agency", "unit"
    )
    values = binding_values(bindings, year, viewer=viewer)
    return {pk: values[binding_id] for pk, binding_id in wanted.items() if binding_id in values}


def _realisations(indicator_ids, year: int) -> tuple[dict, dict]:
    """(the verified values that count, every current record) by indicator and month: a value
    awaiting verification or returned is shown, not counted (one query)."""
    monthly: dict[int, dict[int, Decimal]] = defaultdict(dict)
    current: dict[int, dict[int, Realisation]] = defaultdict(dict)
    for r in Realisation.objects.current().filter(indicator_id__in=indicator_ids, year=year):
        current[r.indicator_id][r.month] = r
        if r.state == RealisationState.VERIFIED:
            monthly[r.indicator_id][r.month] = r.value
    return monthly, current


def indicator_results(
    indicators: Sequence[Indicator],
    year: int,
    *,
    rules: AchievementRules | None = None,
    viewer=None,
) -> dict[int, IndicatorResult]:
    """Targets, monthly values, quarterly and yearly achievement of ``indicators`` in ``year``.

    Four to six queries: the agencies' indicators (for formulas), targets with their quarters,
    current realisations, and the year's rule tables (unless ``rules`` are given) — plus, when
    indicators take their values from a stream, a bounded number per distinct stream filter
    (``kinerja.streams.bindings``). ``viewer`` decides whether an officer-filtered binding's
    values may be shown; without one they are hidden."""
    if not indicators:
        return {}
    rules = rules or achievement_rules(year)
    wanted = {ind.pk: ind for ind in indicators}
    needs_refs = {ind.agency_id for ind in indicators if ind.data_source == DataSource.FORMULA}
    everything = dict(wanted)
    if needs_refs:
        for ind in Indicator.objects.filter(agency_id__in=needs_refs):
            everything.setdefault(ind.pk, ind)
    targets = {
        t.indicator_id: t
        for t in IndicatorTarget.objects.filter(
            indicator_id__in=everything, year=year
        ).prefetch_related("quarters")
    }
    monthly, current = _realisations(everything, year)
    bound = _bound_values(everything.values(), year, viewer)
    values = _Values(everything, monthly, bound)
    results = {}
    for ind in indicators:
        target_row = targets.get(ind.pk)
        quarter_targets = {q.quarter: q for q in target_row.quarters.all()} if target_row else {}
        result = IndicatorResult(
            indicator=ind,
            year=year,
            target=_target(target_row),
            months={m: _shown(values.value(ind.pk, (m,))) for m in range(1, 13)},
            current=current.get(ind.pk, {}),
            binding=bound.get(ind.pk),
        )
        for q in range(1, 5):
            period = Period.of_quarter(year, q)
            qt = quarter_targets.get(q)
            q_target = Target(qt.value, qt.low, qt.high) if qt else None
            value = values.value(ind.pk, tuple(period.months))
            result.quarters.append(_result(ind, period, q_target, value, rules))
        year_period = Period(year)
        result.annual = _result(
            ind, year_period, result.target, values.value(ind.pk, tuple(year_period.months)), rules
        )
        results[ind.pk] = result
    return results


# --- The performance tree ----------------------------------------------------------------------


@dataclass
class Node:
    """A node of the performance tree; its achievement is the mean of its measurable
    indicators' achievements below it (shown with the band of that mean)."""

    kind: str  # vision | mission | goal | target | indicator
    obj: object
    children: list[Node] = field(default_factory=list)
    result: PeriodResult | None = None
    achievement_pct: Decimal | None = None
    band: Band | None = None
    measured: int = 0  # measurable indicators below
    bound: BoundValues | None = None  # an indicator filled by a stream: its provenance

    def indicator_values(self) -> list[Decimal]:
        if self.kind == "indicator":
            pct = self.result.achievement_pct if self.result else None
            return [] if pct is None else [pct]
        return [v for child in self.children for v in child.indicator_values()]


def _settle(node: Node, rules: AchievementRules) -> None:
    for child in node.children:
        _settle(child, rules)
    values = node.indicator_values()
    node.measured = len(values)
    if values:
        node.achievement_pct = rounded(sum(values, Decimal(0)) / len(values))
        node.band = rules.band_for(node.achievement_pct)


def plan_for_year(region_id: int | None, year: int) -> Plan | None:
    qs = Plan.objects.filter(start_year__lte=year, end_year__gte=year)
    if region_id is not None:
        qs = qs.filter(region_id=region_id)
    return qs.order_by("-start_year").first()


def performance_tree(
    user, *, plan: Plan, period: Period, agency_ids: Iterable[int] | None = None
) -> Node:
    """Vision → missions → goals → strategic targets → indicators, as ``user`` may see them,
    each with its achievement in ``period`` (a year or a quarter). Indicators without a
    strategic target are not in the tree (the overview lists them). Scores are those of the
    whole tree ``user`` sees: ``agency_ids`` only chooses the goals shown, so the vision and
    the missions score the same whichever agency is chosen."""
    rules = achievement_rules(period.year)
    goals = Goal.objects.visible_to(user).filter(mission__plan=plan).select_related("agency")
    indicator_qs = Indicator.objects.filter(active=True).order_by("code")
    goals = goals.prefetch_related(
        Prefetch(
            "targets",
            queryset=StrategicTarget.objects.order_by("code").prefetch_related(
                Prefetch("indicators", queryset=indicator_qs)
            ),
        )
    ).order_by("agency__name", "code")
    goals = list(goals)
    indicators = [i for g in goals for t in g.targets.all() for i in t.indicators.all()]
    results = indicator_results(indicators, period.year, rules=rules, viewer=user)
    root = Node("vision", plan)
    by_mission: dict[int, Node] = {}
    for mission in Mission.objects.filter(plan=plan).order_by("number"):
        by_mission[mission.pk] = Node("mission", mission)
        root.children.append(by_mission[mission.pk])
    for goal in goals:
        goal_node = Node("goal", goal)
        for target in goal.targets.all():
            target_node = Node("target", target)
            for ind in target.indicators.all():
                result = results[ind.pk]
                target_node.children.append(
                    Node(
                        "indicator",
                        ind,
                        result=result.for_period(period),
                        bound=result.binding,
                    )
                )
            goal_node.children.append(target_node)
        by_mission[goal.mission_id].children.append(goal_node)
    _settle(root, rules)
    if agency_ids is not None:
        shown = set(agency_ids)
        for mission_node in root.children:
            mission_node.children = [g for g in mission_node.children if g.obj.agency_id in shown]
    return root
