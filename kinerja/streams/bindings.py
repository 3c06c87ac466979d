"""Indicators that fill themselves: a :class:`~kinerja.streams.models.MetricBinding` names a
stream metric with a filter (a unit, or one officer; for durations optionally two stages), and
its value for a period is **exactly** ``metrics.compute`` over that period's days.

Rules (issue 4, "Indicators that fill themselves"):

* A month's value is the metric over the month (first to last day, region time); a quarter's
  and the year's are the metric over the **whole** quarter or year — not a combination of the
  months. For counts this is what the months' sum (cases started, completed) or last value
  (open cases) gives anyway; for a median, a p90, a mean or a share it is the only exact
  figure (an average of monthly medians is not a median). ``binding_check`` therefore asks
  the indicator's "how months combine" to say the same (sum, last, average).
* Durations are the contract's ``duration_seconds`` — elapsed (calendar) time — converted to
  minutes, hours or days. A working-hours service level is measured by ``within_sla_pct``,
  which counts working time; a duration in "working hours" is not a figure of the contract
  and is not offered, so that a bound value always equals what the metrics API answers.
* Nothing is stored: values are computed when read, after ``catch_up``, so they follow new
  events. Periods that have not begun (region time) have no value.
* A binding filtered to one officer is individual data: only the officer and their rater
  chain (``access.may_see_officer``) get its values; for anyone else they are not computed at
  all and show as "not visible to you".

Cost: per distinct filter (stream, unit, officer, stages) and year, one ``compute`` of the
year grouped by month (months and year) and one per quarter that has begun — five at most,
shared by every binding with that filter whatever its metric, independent of the number of
events (each ``compute`` is a fixed handful of indexed queries).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.periods import QUARTER, Period

from .access import may_see_officer
from .ingest import catch_up
from .metrics import MetricsQuery, compute, stage_durations
from .models import (
    COUNT_METRICS,
    DURATION_METRICS,
    DURATION_UNIT_SECONDS,
    Metric,
    MetricBinding,
    Stream,
)

DURATION_KEYS = {
    Metric.DURATION_MEDIAN: "median",
    Metric.DURATION_P90: "p90",
    Metric.DURATION_MEAN: "mean",
}
#: How an indicator's months must combine so that its quarters and year, computed over their
#: whole range, mean what the indicator says.
AGGREGATION_OF: dict[str, str] = {
    Metric.CASES_STARTED: "sum",
    Metric.CASES_COMPLETED: "sum",
    Metric.OPEN_CASES_AT_END: "last",
    Metric.DURATION_MEDIAN: "average",
    Metric.DURATION_P90: "average",
    Metric.DURATION_MEAN: "average",
    Metric.WITHIN_SLA_PCT: "average",
}
BINDING_FIELDS = ["stream", "metric", "unit", "officer", "from_stage", "to_stage", "duration_unit"]


# --- Checking a binding ----------------------------------------------------------------------


def binding_check(
    *,
    stream: Stream | None,
    metric: str,
    unit=None,
    officer: str = "",
    from_stage: str = "",
    to_stage: str = "",
    duration_unit: str = "",
) -> MetricBinding:
    """A validated, unsaved binding; ``ValidationError`` keyed by the names of the arguments.

    Rules that depend on what is bound (which officers an indicator may name) are the
    caller's; here: the stream exists, the metric is one of the contract's figures, stages are
    both given or both empty, belong to the stream and differ, and only durations take stages
    and a unit of time (which durations need)."""
    errors: dict[str, str] = {}
    officer = (officer or "").strip()
    from_stage, to_stage = (from_stage or "").strip(), (to_stage or "").strip()
    if stream is None:
        errors["stream"] = _("Choose the stream, e.g. ktp-el.")
    if unit is not None and stream is not None and unit.agency_id != stream.agency_id:
        # A stream's cases carry the units of its own agency only: another agency's unit would
        # match no case and always read zero.
        errors["unit"] = _("%(unit)s is not a unit of %(agency)s, the agency of %(stream)s.") % {
            "unit": unit.code,
            "agency": stream.agency.name,
            "stream": stream.code,
        }
    if metric not in Metric.values:
        errors["metric"] = _("Choose one of the metrics, e.g. duration, median.")
    is_duration = metric in DURATION_METRICS
    if officer and (len(officer) != 18 or not officer.isascii() or not officer.isdigit()):
        errors["officer"] = _("An officer is named by an 18-digit NIP, e.g. 198503122010011002.")
    if from_stage or to_stage:
        errors.update(_stage_errors(stream, is_duration, from_stage, to_stage))
    if is_duration and duration_unit not in DURATION_UNIT_SECONDS:
        errors["duration_unit"] = _("Say in which unit the duration is given, e.g. hours.")
    if not is_duration and duration_unit:
        errors["duration_unit"] = _("Only a duration has a unit of time.")
    if errors:
        raise ValidationError(errors)
    return MetricBinding(
        stream=stream,
        metric=metric,
        unit=unit,
        officer=officer,
        from_stage=from_stage,
        to_stage=to_stage,
        duration_unit=duration_unit if is_duration else "",
    )


def _stage_errors(
    stream: Stream | None, is_duration: bool, from_stage: str, to_stage: str
) -> dict[str, str]:
    """The errors of a pair of stages, at least one given: only durations take them, both or
    neither, of the stream, and two different ones."""
    if not is_duration:
        return {"from_stage": _("Only a duration is measured between two stages.")}
    if not (from_stage and to_stage):
        missing = "to_stage" if from_stage else "from_stage"
        return {missing: _("Give both stages, or neither for the whole case.")}
    errors: dict[str, str] = {}
    if stream is None:
        return errors
    for name, stage in (("from_stage", from_stage), ("to_stage", to_stage)):
        if stage not in stream.stages:
            errors[name] = _("%(stage)s is not a stage of %(stream)s (%(stages)s).") % {
                "stage": stage[:40],
                "stream": stream.code,
                "stages": ", ".join(stream.stages),
            }
    if from_stage == to_stage and "from_stage" not in errors:
        errors["to_stage"] = _("Choose a later stage than the first one.")
    return errors


def binding_snapshot(binding: MetricBinding | None) -> dict | None:
    """What the audit trail records of a binding: codes, not keys."""
    if binding is None:
        return None
    return {
        "stream": binding.stream.code,
        "metric": binding.metric,
        "unit": binding.unit.code if binding.unit_id else None,
        "officer": binding.officer or None,
        "from_stage": binding.from_stage or None,
        "to_stage": binding.to_stage or None,
        "duration_unit": binding.duration_unit or None,
    }


def binding_store(*, current: MetricBinding | None, wanted: MetricBinding) -> MetricBinding:
    """Save ``wanted`` into ``current`` (kept, so that whatever points to it stays) or as a
    new row. Call inside the owning operation's transaction; it audits the owner's change."""
    binding = current or MetricBinding()
    for name in BINDING_FIELDS:
        setattr(binding, name, getattr(wanted, name))
    binding.save()
    return binding


# --- Values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A binding's value in one period, and how many cases it rests on."""

    start: date
    end: date
    value: Decimal | None
    cases: int


@dataclass
class BoundValues:
    """A binding's values in one year. ``visible`` is false for individual data the viewer
    may not see: then nothing was computed and every value is ``None``."""

    binding: MetricBinding
    year: int
    visible: bool
    months: dict[int, Figure | None] = field(default_factory=dict)
    quarters: list[Figure | None] = field(default_factory=lambda: [None] * 4)
    annual: Figure | None = None
    computed_at: datetime | None = None

    def figure_for(self, months: tuple[int, ...]) -> Figure | None:
        """The figure of a month, a quarter (its three months) or the year (twelve)."""
        if len(months) == 1:
            return self.months.get(months[0])
        if len(months) == 12:
            return self.annual
        if len(months) == 3 and months[0] % 3 == 1 and months[2] == months[0] + 2:
            return self.quarters[(months[0] - 1) // 3]
        return None

    def value_for(self, months: tuple[int, ...]) -> Decimal | None:
        figure = self.figure_for(months)
        return figure.value if figure else None


def metric_value(figures: dict, binding: MetricBinding) -> Decimal | None:
    """The bound metric out of ``compute``'s answer (or one of its series rows), in the
    indicator's terms: counts as they are, a share in percent, durations in the binding's
    unit of time."""
    metric = binding.metric
    if metric in COUNT_METRICS:
        return Decimal(figures[metric])
    if metric == Metric.WITHIN_SLA_PCT:
        pct = figures["within_sla_pct"]
        return None if pct is None else Decimal(str(pct))
    durations = figures["duration_seconds"]
    seconds = None if durations is None else durations[DURATION_KEYS[metric]]
    if seconds is None:
        return None
    return Decimal(str(seconds)) / DURATION_UNIT_SECONDS[binding.duration_unit]


def metric_cases(figures: dict, binding: MetricBinding, stage_cases: int | None = None) -> int:
    """How many cases the figure rests on."""
    if binding.metric == Metric.CASES_STARTED:
        return figures["cases_started"]
    if binding.metric == Metric.OPEN_CASES_AT_END:
        return figures["open_cases_at_end"]
    if binding.from_stage and stage_cases is not None:
        return stage_cases
    return figures["cases_completed"]


class _Reader:
    """``compute`` with a memo per filter and range, and one catch-up per stream."""

    def __init__(self):
        self.memo: dict[tuple, dict] = {}
        self.stage_memo: dict[tuple, list[tuple[date, int]]] = {}
        self.caught_up: set[int] = set()

    @staticmethod
    def _filter_key(b: MetricBinding) -> tuple:
        return (b.stream_id, b.unit_id, b.officer, b.from_stage, b.to_stage)

    def _query(self, b: MetricBinding, start: date, end: date, group: str | None) -> MetricsQuery:
        if b.stream_id not in self.caught_up:
            # The figures must include every event stored so far. The stream row was read
            # with the binding, just now: when its watermarks agree there is nothing to merge.
            if b.stream.cases_through_pk < b.stream.last_event_pk:
                catch_up(b.stream)
            self.caught_up.add(b.stream_id)
        return MetricsQuery(
            stream=b.stream,
            start=start,
            end=end,
            unit_id=b.unit_id,
            unit_code=b.unit.code if b.unit_id else None,
            officer=b.officer or None,
            group=group,
            from_stage=b.from_stage or None,
            to_stage=b.to_stage or None,
        )

    def figures(self, b: MetricBinding, start: date, end: date, group: str | None = None) -> dict:
        key = (*self._filter_key(b), start, end, group)
        if key not in self.memo:
            self.memo[key] = compute(self._query(b, start, end, group))
        return self.memo[key]

    def stage_days(self, b: MetricBinding, start: date, end: date) -> list[date]:
        """The days on which the second stage of each measured case fell (to count cases)."""
        key = (*self._filter_key(b), start, end)
        if key not in self.stage_memo:
            self.stage_memo[key] = stage_durations(self._query(b, start, end, None), start, end)
        return [day for day, _ms in self.stage_memo[key]]


def binding_values(
    bindings: Iterable[MetricBinding], year: int, *, viewer, today: date | None = None
) -> dict[int, BoundValues]:
    """Every binding's values in ``year`` as ``viewer`` may see them, by binding id.

    The bindings need ``stream`` and ``unit`` loaded (``select_related``)."""
    today = today or timezone.localdate()
    reader = _Reader()
    officers: dict[str, bool] = {}
    results: dict[int, BoundValues] = {}
    for b in bindings:
        if b.officer:
            if b.officer not in officers:
                officers[b.officer] = viewer is not None and may_see_officer(viewer, b.officer)
            if not officers[b.officer]:
                results[b.pk] = BoundValues(b, year, visible=False)
                continue
        results[b.pk] = _values(reader, b, year, today)
    return results


def _values(reader: _Reader, b: MetricBinding, year: int, today: date) -> BoundValues:
    result = BoundValues(b, year, visible=True)
    whole_year = Period.of_year(year)
    first, last = whole_year.start, whole_year.end
    if first > today:
        return result  # a year that has not begun has no values yet
    whole = reader.figures(b, first, last, group="month")
    stage_days = reader.stage_days(b, first, last) if b.from_stage else None

    def stage_count(start: date, end: date) -> int | None:
        if stage_days is None:
            return None
        return sum(1 for day in stage_days if start <= day <= end)

    for month, row in enumerate(whole["series"], start=1):
        period = Period.of_month(year, month)
        start, end = period.start, period.end
        if start > today:
            result.months[month] = None
            continue
        result.months[month] = Figure(
            start, end, metric_value(row, b), metric_cases(row, b, stage_count(start, end))
        )
    for quarter in Period.all_of(year, QUARTER):
        start, end = quarter.start, quarter.end
        if start > today:
            continue
        figures = reader.figures(b, start, end)
        result.quarters[quarter.index - 1] = Figure(
            start, end, metric_value(figures, b), metric_cases(figures, b, stage_count(start, end))
        )
    result.annual = Figure(
        first, last, metric_value(whole, b), metric_cases(whole, b, stage_count(first, last))
    )
    result.computed_at = timezone.now()
    return result
