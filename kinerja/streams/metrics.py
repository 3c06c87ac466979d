"""The figures of the contract (service-data-api.md, "Reading metrics"), exact on SQLite and
PostgreSQL: they equal what a computation over the raw events gives.

Counts, sums and the open backlog come from the ``Case`` rows with indexed range queries. The
median and p90 interpolate linearly between closest ranks exactly as PostgreSQL's
``percentile_cont`` does: PostgreSQL computes them itself; on SQLite the same arithmetic runs
here (``percentile_cont`` below), so both give the same numbers to the last bit.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Q, QuerySet, Sum

from kinerja.core.periods import Period
from kinerja.core.work_calendar import elapsed_ms

from .models import Case, Event, Stream

GROUPS = ("day", "week", "month")
MAX_DAYS = 3660  # ten years


@dataclass(frozen=True)
class MetricsQuery:
    stream: Stream
    start: date
    end: date
    unit_id: int | None = None
    unit_code: str | None = None
    officer: str | None = None
    group: str | None = None
    from_stage: str | None = None
    to_stage: str | None = None


def percentile_cont(sorted_values: list[int], fraction: float) -> float | None:
    """PostgreSQL's ``percentile_cont``: linear interpolation between the closest ranks."""
    count = len(sorted_values)
    if count == 0:
        return None
    position = fraction * (count - 1)
    first = math.floor(position)
    second = math.ceil(position)
    low = float(sorted_values[first])
    if first == second:
        return low
    proportion = position - first
    return low + proportion * (float(sorted_values[second]) - low)


def _seconds(ms: float | None) -> float | None:
    return None if ms is None else round(ms / 1000.0, 3)


def _mean_seconds(total_ms: int | None, count: int) -> float | None:
    if not count or total_ms is None:
        return None
    mean = Decimal(int(total_ms)) / Decimal(count) / Decimal(1000)
    return float(mean.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def percent(part: int, whole: int) -> float | None:
    if not whole:
        return None
    value = Decimal(part) * Decimal(100) / Decimal(whole)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def cases_for(q: MetricsQuery) -> QuerySet[Case]:
    qs = Case.objects.filter(stream=q.stream, started_at__isnull=False)
    if q.unit_id is not None:
        qs = qs.filter(unit_id=q.unit_id)
    if q.officer is not None:
        qs = qs.filter(officer=q.officer)
    return qs


COUNTED = Q(excluded=False)
CONSISTENT = Q(excluded=False, inconsistent=False)


class _PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)``."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def _range_figures(qs: QuerySet[Case], start: date, end: date) -> dict:
    """Counts and sums of one range (two indexed queries); on PostgreSQL also the median and
    p90 of the durations (``median``, ``p90``), in the same pass as the counts."""
    started = qs.filter(started_on__gte=start, started_on__lte=end).aggregate(
        cases_started=Count("pk", filter=COUNTED),
        excluded_cases=Count("pk", filter=Q(excluded=True)),
        inconsistent_cases=Count("pk", filter=Q(excluded=False, inconsistent=True)),
    )
    percentiles = {}
    if connection.vendor == "postgresql":
        percentiles = {
            "median": _PercentileCont("duration_ms", 0.5),
            "p90": _PercentileCont("duration_ms", 0.9),
        }
    completed = qs.filter(CONSISTENT, completed_on__gte=start, completed_on__lte=end).aggregate(
        cases_completed=Count("pk"),
        within=Count("pk", filter=Q(within_sla=True)),
        total_ms=Sum("duration_ms"),
        **percentiles,
    )
    return {**started, **completed}


def _open_at(qs: QuerySet[Case], day: date) -> int:
    """Started on or before ``day`` and not completed by then (consistent, not excluded).

    One count over the started cases up to ``day`` (a consistent case completes on or after
    the day it starts), which a unit's covering index answers without reading the table."""
    return (
        qs.filter(CONSISTENT, started_on__lte=day)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=day))
        .count()
    )


def _completed_durations(qs: QuerySet[Case], start: date, end: date) -> QuerySet:
    return qs.filter(CONSISTENT, completed_on__gte=start, completed_on__lte=end)


def _percentiles(qs: QuerySet[Case]) -> tuple[float | None, float | None]:
    if connection.vendor == "postgresql":
        sql, params = qs.values("duration_ms").query.sql_with_params()
        # The subquery is Django's own SQL; every value travels as a parameter.
        query = (
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d.duration_ms), "  # noqa: S608
            "percentile_cont(0.9) WITHIN GROUP (ORDER BY d.duration_ms) "
            f"FROM ({sql}) d"
        )
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            median, p90 = cursor.fetchone()
        return median, p90
    values = sorted(qs.values_list("duration_ms", flat=True))
    return percentile_cont(values, 0.5), percentile_cont(values, 0.9)


def _durations(qs: QuerySet[Case], start: date, end: date, counts: dict) -> dict | None:
    count, total_ms = counts["cases_completed"], counts["total_ms"]
    if not count:
        return None
    if "median" in counts:  # computed with the counts (PostgreSQL)
        median, p90 = counts["median"], counts["p90"]
    else:
        median, p90 = _percentiles(_completed_durations(qs, start, end))
    return {
        "median": _seconds(median),
        "p90": _seconds(p90),
        "mean": _mean_seconds(total_ms, count),
    }


def _local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(start, time.min, zone),
        datetime.combine(end + timedelta(days=1), time.min, zone),
    )


def stage_durations(q: MetricsQuery, start: date, end: date) -> list[tuple[date, int]]:
    """(local day of the second event, milliseconds from the earliest event of ``from_stage``
    to the earliest event of ``to_stage`` at or after it), for the cases whose second event
    falls in the range (cases that count: not excluded, not inconsistent)."""
    low, high = _local_bounds(start, end)
    cases = cases_for(q).filter(CONSISTENT)
    candidates = set(
        Event.objects.filter(stream=q.stream, stage=q.to_stage, at__gte=low, at__lt=high)
        .values_list("case_key", flat=True)
        .distinct()
    )
    if not candidates:
        return []
    allowed = set()
    keys = list(candidates)
    for i in range(0, len(keys), 500):
        allowed.update(
            cases.filter(case_key__in=keys[i : i + 500]).values_list("case_key", flat=True)
        )
    firsts: dict[str, datetime] = {}
    seconds: dict[str, list[datetime]] = defaultdict(list)
    allowed_keys = list(allowed)
    for i in range(0, len(allowed_keys), 500):
        rows = Event.objects.filter(
            stream=q.stream,
            case_key__in=allowed_keys[i : i + 500],
            stage__in=[q.from_stage, q.to_stage],
        ).values_list("case_key", "stage", "at")
        for key, stage, at in rows:
            if stage == q.from_stage and (key not in firsts or at < firsts[key]):
                firsts[key] = at
            if stage == q.to_stage:
                seconds[key].append(at)
    zone = ZoneInfo(settings.TIME_ZONE)
    durations = []
    for key, first in firsts.items():
        later = [at for at in seconds.get(key, ()) if at >= first]
        if later:
            second = min(later)
            if low <= second < high:
                durations.append((second.astimezone(zone).date(), elapsed_ms(first, second)))
    return durations


def _figures(q: MetricsQuery, start: date, end: date) -> dict:
    qs = cases_for(q)
    counts = _range_figures(qs, start, end)
    completed = counts["cases_completed"]
    if q.from_stage:
        duration = _duration_figure([ms for _day, ms in stage_durations(q, start, end)])
    else:
        duration = _durations(qs, start, end, counts)
    return {
        "cases_started": counts["cases_started"],
        "cases_completed": completed,
        "open_cases_at_end": _open_at(qs, end),
        "duration_seconds": duration,
        "within_sla_pct": percent(counts["within"], completed),
        "excluded_cases": counts["excluded_cases"],
        "inconsistent_cases": counts["inconsistent_cases"],
    }


def _duration_figure(values: list[int]) -> dict | None:
    if not values:
        return None
    values = sorted(values)
    return {
        "median": _seconds(percentile_cont(values, 0.5)),
        "p90": _seconds(percentile_cont(values, 0.9)),
        "mean": _mean_seconds(sum(values), len(values)),
    }


def _buckets(start: date, end: date, group: str) -> list[tuple[date, date, date]]:
    """(label, first day, last day) of each day, ISO week (Monday first) or month, clipped to
    the range."""
    result = []
    day = start
    while day <= end:
        if group == "day":
            label, last = day, day
        elif group == "week":
            label = day - timedelta(days=day.weekday())
            last = label + timedelta(days=6)
        else:
            label = day.replace(day=1)
            last = Period.of_month(day.year, day.month).end
        last = min(last, end)
        result.append((label, day, last))
        day = last + timedelta(days=1)
    return result


def _series(q: MetricsQuery) -> list[dict]:
    """Every bucket's figures from five queries, however many buckets there are."""
    qs = cases_for(q)
    buckets = _buckets(q.start, q.end, q.group)
    bucket_of = {}
    for index, (_label, first, last) in enumerate(buckets):
        day = first
        while day <= last:
            bucket_of[day] = index
            day += timedelta(days=1)
    rows = [defaultdict(int) for _ in buckets]
    started = (
        qs.filter(started_on__gte=q.start, started_on__lte=q.end)
        .values("started_on")
        .annotate(
            cases_started=Count("pk", filter=COUNTED),
            excluded_cases=Count("pk", filter=Q(excluded=True)),
            inconsistent_cases=Count("pk", filter=Q(excluded=False, inconsistent=True)),
            consistent=Count("pk", filter=CONSISTENT),
        )
    )
    for row in started:
        target = rows[bucket_of[row["started_on"]]]
        for key in ("cases_started", "excluded_cases", "inconsistent_cases", "consistent"):
            target[key] += row[key]
    completed = (
        qs.filter(CONSISTENT, completed_on__gte=q.start, completed_on__lte=q.end)
        .values("completed_on")
        .annotate(cases_completed=Count("pk"), within=Count("pk", filter=Q(within_sla=True)))
    )
    for row in completed:
        target = rows[bucket_of[row["completed_on"]]]
        target["cases_completed"] += row["cases_completed"]
        target["within"] += row["within"]
    durations: list[list[int]] = [[] for _ in buckets]
    if q.from_stage:
        for day, ms in stage_durations(q, q.start, q.end):
            durations[bucket_of[day]].append(ms)
    else:
        pairs = _completed_durations(qs, q.start, q.end).values_list("completed_on", "duration_ms")
        for day, ms in pairs:
            durations[bucket_of[day]].append(ms)
    open_cases = _open_at(qs, q.start - timedelta(days=1))
    series = []
    for (label, _first, _last), row, values in zip(buckets, rows, durations, strict=True):
        open_cases += row["consistent"] - row["cases_completed"]
        series.append(
            {
                "period": label.isoformat(),
                "cases_started": row["cases_started"],
                "cases_completed": row["cases_completed"],
                "open_cases_at_end": open_cases,
                "duration_seconds": _duration_figure(values),
                "within_sla_pct": percent(row["within"], row["cases_completed"]),
                "excluded_cases": row["excluded_cases"],
                "inconsistent_cases": row["inconsistent_cases"],
            }
        )
    return series


def compute(q: MetricsQuery) -> dict:
    """The contract's JSON answer for one query."""
    result = {
        "stream": q.stream.code,
        "start": q.start.isoformat(),
        "end": q.end.isoformat(),
        "unit": q.unit_code,
        "officer": q.officer,
        "from_stage": q.from_stage,
        "to_stage": q.to_stage,
        **_figures(q, q.start, q.end),
    }
    if q.group:
        result["group"] = q.group
        result["series"] = _series(q)
    return result
