"""The cockpit of an agency's head and of the region's readers (Admin BKPSDM, Auditor): the
agency's indicators by band, its service streams against their SLA, the alerts open, plan and
rating completion, the predicate distribution against the curve, development plans overdue —
each red item with the link to the page that answers it.

Every figure comes from its owner's selector: ``strategy.selectors.indicator_results``,
``streams.metrics.compute`` (the dashboard's own headline), ``evaluations.selectors.completion``
and ``unit_curve``. The number of queries grows with the agencies, units with ratings and
streams shown — never with the employees or the indicators."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse

from kinerja.core.periods import Period
from kinerja.evaluations import selectors as evaluation_selectors
from kinerja.evaluations.models import (
    PREDICATE_ORDER,
    DevelopmentAction,
    DevelopmentPlan,
    DevelopmentState,
    Evaluation,
)
from kinerja.evaluations.views.completion import STATUS_ORDER, completion_status, status_labels
from kinerja.organizations.models import Agency, Employee, Unit
from kinerja.organizations.scope import Scope
from kinerja.strategy.models import Indicator
from kinerja.streams.dashboard import PERIOD_DAYS, sla_target_pct
from kinerja.streams.ingest import catch_up
from kinerja.streams.metrics import MetricsQuery, compute
from kinerja.streams.models import AlertBreach, AlertRule, Stream

from .common import rating_period
from .indicators import IndicatorPanel, indicator_panel

OVERDUE_SHOWN = 10


@dataclass
class StreamRow:
    stream: Stream
    url: str
    within_sla_pct: float | None
    completed: int
    below_target: bool


@dataclass
class CompletionBar:
    agency: Agency
    period_label: str
    url: str
    counts: dict[str, int]  # status → employees
    total: int

    @property
    def behind(self) -> int:
        return self.total - self.counts.get("rated", 0)


@dataclass
class CurveUnit:
    unit: Unit
    period: Period
    url: str
    counts: dict[str, int]
    warnings: list


@dataclass
class Cockpit:
    agencies: list[Agency]
    indicators: IndicatorPanel
    streams: list[StreamRow]
    sla_target: float
    alerts: list[AlertBreach]
    completion: list[CompletionBar]
    statuses: list[tuple[str, str]]  # (status, label) in the monitor's order
    curve_counts: dict[str, int]
    curve_units: list[CurveUnit]
    overdue: list[DevelopmentAction]
    overdue_count: int
    period_labels: list[str] = field(default_factory=list)  # the periods open for rating
    chart: dict = field(default_factory=dict)  # the charts' data, for json_script

    @property
    def curve_broken(self) -> int:
        return sum(1 for unit in self.curve_units if unit.warnings)

    @property
    def streams_below(self) -> list[StreamRow]:
        return [row for row in self.streams if row.below_target]


def cockpit_agencies(user, scope: Scope) -> list[Agency]:
    """The agencies a cockpit covers: every one for the region's readers, those read whole
    (the agency's head and performance administrator) otherwise."""
    agencies = Agency.objects.monitored_by(user).order_by("code")
    if not scope.region_read:
        agencies = agencies.filter(pk__in=scope.agencies_read)
    return list(agencies.select_related("region"))


def stream_rows(user, agency_ids: list[int], today: date) -> list[StreamRow]:
    """Each active stream's share within its SLA over the dashboard's last 30 days (its own
    headline figure), against the dashboard's target share."""
    target = sla_target_pct()
    rows = []
    streams = Stream.objects.visible_to(user).filter(active=True, agency_id__in=agency_ids)
    for stream in streams.order_by("code"):
        catch_up(stream)  # as the dashboard: every event stored so far counts
        figures = compute(MetricsQuery(stream, today - timedelta(days=PERIOD_DAYS - 1), today))
        pct = figures["within_sla_pct"]
        rows.append(
            StreamRow(
                stream=stream,
                url=reverse("streams:dashboard", args=[stream.code]),
                within_sla_pct=pct,
                completed=figures["cases_completed"],
                below_target=pct is not None and pct < target,
            )
        )
    return rows


def open_alerts(user, agency_ids: list[int]) -> list[AlertBreach]:
    """The breaches still open of the alert rules the person may see (one query)."""
    return list(
        AlertBreach.objects.filter(
            ended_at__isnull=True,
            rule__in=AlertRule.objects.visible_to(user).filter(stream__agency_id__in=agency_ids),
        )
        .select_related("rule__stream", "rule__unit")
        .order_by("-started_at")
    )


def _root_unit_codes(agency_ids: list[int]) -> dict[int, str]:
    roots = Unit.objects.filter(agency_id__in=agency_ids, parent__isnull=True).order_by("code")
    codes: dict[int, str] = {}
    for agency_id, code in roots.values_list("agency_id", "code"):
        codes.setdefault(agency_id, code)
    return codes


def rating_periods(agencies: list[Agency], today: date) -> dict[int, Period]:
    """Each agency's period open for rating (``common.rating_period``)."""
    return {a.pk: rating_period(a, today) for a in agencies}


def completion_bars(
    user, agencies: list[Agency], periods: dict[int, Period]
) -> list[CompletionBar]:
    """Per agency, its active employees by completion status for the period open for rating
    (the monitor's own statuses). Three queries per agency."""
    roots = _root_unit_codes([a.pk for a in agencies])
    bars = []
    for agency in agencies:
        period = periods[agency.pk]
        employees = Employee.objects.visible_to(user).filter(active=True, unit__agency=agency)
        rows = evaluation_selectors.completion(employees, period.year, str(period))
        counts = Counter(completion_status(row) for row in rows)
        query = f"?year={period.year}&period={period}"
        if agency.pk in roots:
            query += f"&unit={roots[agency.pk]}"
        bars.append(
            CompletionBar(
                agency=agency,
                period_label=period.label,
                url=reverse("evaluations:completion") + query,
                counts={s: counts.get(s, 0) for s in STATUS_ORDER},
                total=len(rows),
            )
        )
    return bars


def curve_units(agencies: list[Agency], periods: dict[int, Period]) -> list[CurveUnit]:
    """The curve of every unit with employees rated in its agency's period open for rating
    (three queries per such unit), those breaking a rule first."""
    if not agencies:
        return []
    wanted = Q()
    for agency in agencies:
        wanted |= Q(skp__unit__agency_id=agency.pk, period=str(periods[agency.pk]))
    unit_ids = set(Evaluation.objects.filter(wanted).values_list("skp__unit_id", flat=True))
    units = Unit.objects.filter(pk__in=unit_ids).select_related("agency").order_by("code")
    shown = []
    for unit in units:
        period = periods[unit.agency_id]
        curve = evaluation_selectors.unit_curve(unit, str(period))
        shown.append(
            CurveUnit(
                unit=unit,
                period=period,
                url=reverse("evaluations:unit", args=[unit.code, str(period)]),
                counts=curve.counts,
                warnings=curve.warnings,
            )
        )
    shown.sort(key=lambda c: (not c.warnings, c.unit.code))
    return shown


def overdue_actions(user, agency_ids: list[int], today: date):
    """Actions of agreed development plans past their due date and not done (the first
    ``OVERDUE_SHOWN``, oldest due first, and how many in all)."""
    actions = DevelopmentAction.objects.filter(
        done_on__isnull=True,
        due_on__lt=today,
        plan__state=DevelopmentState.AGREED,
        plan__in=DevelopmentPlan.objects.visible_to(user).filter(
            skp__unit__agency_id__in=agency_ids
        ),
    ).order_by("due_on", "pk")
    shown = list(actions.select_related("plan__skp__employee")[:OVERDUE_SHOWN])
    count = len(shown) if len(shown) < OVERDUE_SHOWN else actions.count()
    return shown, count


def _chart(cockpit: Cockpit) -> dict:
    """The charts' data as plain JSON (labels and numbers; colours from the rule tables)."""
    labels = dict(cockpit.statuses)
    return {
        "bands": {
            "labels": [b.label for b in cockpit.indicators.bands],
            "counts": [b.count for b in cockpit.indicators.bands],
            "colours": [b.colour for b in cockpit.indicators.bands],
        },
        "sparklines": {
            "months": cockpit.indicators.months,
            "series": {str(r.indicator.pk): r.sparkline for r in cockpit.indicators.rows},
        },
        "completion": {
            "agencies": [bar.agency.code for bar in cockpit.completion],
            "statuses": [
                {"key": s, "label": labels[s], "counts": [b.counts[s] for b in cockpit.completion]}
                for s in STATUS_ORDER
            ],
        },
        "curve": {
            "predicates": list(PREDICATE_ORDER),
            "counts": [cockpit.curve_counts.get(p, 0) for p in PREDICATE_ORDER],
        },
    }


def leader_cockpit(user, scope: Scope, today: date) -> Cockpit:
    """Everything the cockpit shows for ``user``'s agencies (or the region)."""
    agencies = cockpit_agencies(user, scope)
    ids = [a.pk for a in agencies]
    indicators = list(
        Indicator.objects.visible_to(user)
        .filter(agency_id__in=ids)
        .select_related("agency")
        .order_by("agency__code", "code")
    )
    periods = rating_periods(agencies, today)
    units = curve_units(agencies, periods)
    curve_counts: Counter[str] = Counter()
    for unit in units:
        curve_counts.update(unit.counts)
    overdue, overdue_count = overdue_actions(user, ids, today)
    cockpit = Cockpit(
        agencies=agencies,
        indicators=indicator_panel(indicators, today, viewer=user),
        streams=stream_rows(user, ids, today),
        sla_target=sla_target_pct(),
        alerts=open_alerts(user, ids),
        completion=completion_bars(user, agencies, periods),
        statuses=list(status_labels().items()),
        curve_counts=dict(curve_counts),
        curve_units=units,
        overdue=overdue,
        overdue_count=overdue_count,
        period_labels=sorted({p.label for p in periods.values()}),
    )
    cockpit.chart = _chart(cockpit)
    return cockpit
