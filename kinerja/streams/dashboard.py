"""What the live dashboard of a stream shows, read from the ``Case`` rows (selectors only).

Every figure is exact (service-data-api.md: "A live dashboard may show a faster approximation
only if it says so on the page" — this one does not approximate):

* the headline figures are ``metrics.compute`` itself — today (cases started and completed
  today, open now) and the last 30 days (median, p90, share within the SLA) — so the page and
  the API can never disagree;
* the other panels count the same ``Case`` rows with the same definitions (``metrics.COUNTED``,
  ``metrics.CONSISTENT``): cases per day, the distribution of durations, the SLA share per day,
  open cases by age and the cases that breached the SLA.

Each refresh costs a fixed number of queries whatever the size of the stream; every count is
one indexed aggregate. It always catches up first (``ingest.catch_up``), so events stored a
moment ago are in the figures.

Decisions:

* **Target share.** A stream has an SLA limit (e.g. 8 working hours), not a target share of
  cases within it. The dashboard draws the share within the SLA against the setting
  ``KINERJA_STREAM_SLA_TARGET_PCT`` (default 90 %), with 100 % as the top of the chart.
* **Durations histogram.** Durations are measured the way the SLA measures them (working time
  for a ``working_hours`` SLA, elapsed time otherwise), so that the SLA mark means something:
  twelve bins of a quarter of the SLA limit each, up to three times the limit, and one bin for
  everything longer. A bin holds durations above its lower edge up to and including its upper
  edge, so a case exactly at the limit (within the SLA) falls left of the mark.
* **Open cases by age.** Age is the elapsed time since the case started (calendar time, also for
  working-time streams: the person waiting counts every hour). Buckets: < 1 h, 1–8 h, 8–24 h,
  1–3 days, > 3 days; for an SLA in minutes: < 15 min, 15–60 min, 1–8 h, 8–24 h, > 1 day.
  Buckets whose youngest case is already older than the SLA limit are marked ``past_sla``
  (never for working-time SLAs, where calendar age does not say it).
* **Individual data.** The breached cases name their officer only when the viewer may see that
  officer's individual data (``access.officers_visible_to``: the officer and their rater chain).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.nip import normalize_nip
from kinerja.organizations.models import Employee, Unit

from .ingest import catch_up
from .metrics import CONSISTENT, COUNTED, MetricsQuery, cases_for, compute, percent
from .models import SlaUnit, Stream

PERIOD_DAYS = 30
BREACHED_SHOWN = 20
HISTOGRAM_BINS = 12  # of a quarter of the SLA limit each, plus one for everything longer
DEFAULT_TARGET_PCT = 90.0
NIP_DIGITS = re.compile(r"[0-9]{18}")

MINUTE = 60_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR

ZONE_LABELS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def sla_target_pct() -> float:
    """The share of cases within the SLA that the dashboard draws as the target line."""
    return float(getattr(settings, "KINERJA_STREAM_SLA_TARGET_PCT", DEFAULT_TARGET_PCT))


def zone_label() -> str:
    """WIB, WITA or WIT for the region's time zone (its name otherwise)."""
    return ZONE_LABELS.get(settings.TIME_ZONE, settings.TIME_ZONE)


@dataclass(frozen=True)
class DashboardFilter:
    unit_id: int | None = None
    unit_code: str | None = None
    officer: str | None = None


class FilterRefused(Exception):
    """A filter the viewer may not use (``status`` 403) or that makes no sense (400)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def units_for_filter(*, stream: Stream, viewer) -> list[Unit]:
    """The units offered by the unit filter: those of the stream's agency that the viewer sees
    (everyone who sees the stream sees its agency's units)."""
    return list(Unit.objects.visible_to(viewer).filter(agency_id=stream.agency_id).order_by("code"))


def parse_filters(
    *, params: Mapping[str, str], units: list[Unit], officers: list[Employee]
) -> DashboardFilter:
    """The filters of a request (``?unit=CODE&officer=NIP``), checked against what the viewer
    may choose: ``units`` (``units_for_filter``) and ``officers``
    (``access.officers_visible_to``). Raises ``FilterRefused``."""
    unit_code = (params.get("unit") or "").strip().upper() or None
    officer = (params.get("officer") or "").strip() or None
    unit_id = None
    if unit_code is not None:
        unit_id = next((u.pk for u in units if u.code == unit_code), None)
        if unit_id is None:
            raise FilterRefused(
                400, _("Unit %(code)s is not a unit of this stream's agency.") % {"code": unit_code}
            )
    if officer is not None:
        officer = normalize_nip(officer)
        if not NIP_DIGITS.fullmatch(officer):
            raise FilterRefused(400, _("The officer must be given as an 18-digit NIP."))
        if officer not in {e.nip for e in officers}:
            raise FilterRefused(
                403,
                _("An officer's own figures are seen only by the officer and their rater chain."),
            )
    return DashboardFilter(unit_id=unit_id, unit_code=unit_code, officer=officer)


def duration_label(ms: float | None) -> str | None:
    """A short human duration: 45 s, 12 min, 3 h 05 min, 2 d 4 h."""
    if ms is None:
        return None
    seconds = round(ms / 1000)
    if seconds < 60:
        return _("%(s)d s") % {"s": seconds}
    minutes = seconds // 60
    if minutes < 60:
        return _("%(m)d min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return _("%(d)d d %(h)d h") % {"d": days, "h": hours}


def _query(stream: Stream, start: date, end: date, filters: DashboardFilter) -> MetricsQuery:
    return MetricsQuery(
        stream=stream,
        start=start,
        end=end,
        unit_id=filters.unit_id,
        unit_code=filters.unit_code,
        officer=filters.officer,
    )


def _per_day(query: MetricsQuery) -> list[dict]:
    """Cases started and completed on each day of the period, and the share of each day's
    completed cases within the SLA (two grouped queries)."""
    cases = cases_for(query)
    started = dict(
        cases.filter(started_on__gte=query.start, started_on__lte=query.end)
        .values("started_on")
        .annotate(n=Count("pk", filter=COUNTED))
        .values_list("started_on", "n")
    )
    completed = {
        row["completed_on"]: row
        for row in cases.filter(
            CONSISTENT, completed_on__gte=query.start, completed_on__lte=query.end
        )
        .values("completed_on")
        .annotate(n=Count("pk"), within=Count("pk", filter=Q(within_sla=True)))
    }
    days = []
    day = query.start
    while day <= query.end:
        done = completed.get(day, {"n": 0, "within": 0})
        days.append(
            {
                "day": day.isoformat(),
                "label": day.strftime("%d/%m"),
                "started": started.get(day, 0),
                "completed": done["n"],
                "breached": done["n"] - done["within"],
                "within_sla_pct": percent(done["within"], done["n"]),
            }
        )
        day += timedelta(days=1)
    return days


def _histogram(query: MetricsQuery) -> dict:
    """Cases completed in the period by their duration in the SLA's measure (one query)."""
    limit_ms = query.stream.sla_limit_ms
    width = math.ceil(limit_ms / 4) if limit_ms > 0 else MINUTE
    counts = {}
    for i in range(HISTOGRAM_BINS):
        low = Q() if i == 0 else Q(sla_ms__gt=i * width)
        counts[f"b{i}"] = Count("pk", filter=low & Q(sla_ms__lte=(i + 1) * width))
    counts["over"] = Count("pk", filter=Q(sla_ms__gt=HISTOGRAM_BINS * width))
    row = (
        cases_for(query)
        .filter(CONSISTENT, completed_on__gte=query.start, completed_on__lte=query.end)
        .aggregate(**counts)
    )
    bins = [
        {
            "from_seconds": i * width / 1000,
            "to_seconds": (i + 1) * width / 1000,
            "cases": row[f"b{i}"],
        }
        for i in range(HISTOGRAM_BINS)
    ]
    bins.append(
        {
            "from_seconds": HISTOGRAM_BINS * width / 1000,
            "to_seconds": None,
            "cases": row["over"],
            "label": f"> {duration_label(HISTOGRAM_BINS * width)}",
        }
    )
    # Axis labels at the start, the SLA limit and twice it (the last bin carries its own).
    ticks = [
        {"seconds": k * width * 4 / 1000, "label": duration_label(k * width * 4)} for k in range(3)
    ]
    return {
        "measure": "working_time" if query.stream.sla_unit == SlaUnit.WORKING_HOURS else "elapsed",
        "sla_seconds": limit_ms / 1000,
        "cases": sum(b["cases"] for b in bins),
        "bins": bins,
        "ticks": ticks,
    }


def age_buckets(stream: Stream) -> list[tuple[str, str, int, int | None]]:
    """(key, label, lower edge, upper edge) in milliseconds of age, per the SLA's unit."""
    if stream.sla_unit == SlaUnit.MINUTES:
        edges = [
            ("lt_15m", _("< 15 min"), 0, 15 * MINUTE),
            ("15m_1h", _("15–60 min"), 15 * MINUTE, HOUR),
            ("1h_8h", _("1–8 h"), HOUR, 8 * HOUR),
            ("8h_1d", _("8–24 h"), 8 * HOUR, DAY),
            ("gt_1d", _("> 1 day"), DAY, None),
        ]
    else:
        edges = [
            ("lt_1h", _("< 1 h"), 0, HOUR),
            ("1h_8h", _("1–8 h"), HOUR, 8 * HOUR),
            ("8h_1d", _("8–24 h"), 8 * HOUR, DAY),
            ("1d_3d", _("1–3 days"), DAY, 3 * DAY),
            ("gt_3d", _("> 3 days"), 3 * DAY, None),
        ]
    return edges


def _open_by_age(query: MetricsQuery, now: datetime) -> list[dict]:
    """Cases open now (the contract's open cases at the end of today) by age (one query)."""
    stream = query.stream
    buckets = age_buckets(stream)
    counts = {}
    for key, _label, low, high in buckets:
        # Younger than ``low`` means started after now − low; the first bucket also holds
        # cases whose start lies (oddly) in the future.
        condition = Q() if low == 0 else Q(started_at__lte=now - timedelta(milliseconds=low))
        if high is not None:
            condition &= Q(started_at__gt=now - timedelta(milliseconds=high))
        counts[key] = Count("pk", filter=condition)
    row = (
        cases_for(query)
        .filter(CONSISTENT, started_on__lte=query.end)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=query.end))
        .aggregate(**counts)
    )
    limit_ms = stream.sla_limit_ms
    calendar_sla = stream.sla_unit != SlaUnit.WORKING_HOURS
    return [
        {
            "key": key,
            "label": label,
            "cases": row[key],
            "past_sla": calendar_sla and low >= limit_ms,
        }
        for key, label, low, _high in buckets
    ]


def _breached(query: MetricsQuery, officer_names: Mapping[str, str], total: int) -> dict:
    """The most recent cases completed in the period beyond the SLA (one query)."""
    rows = (
        cases_for(query)
        .filter(
            CONSISTENT,
            within_sla=False,
            completed_on__gte=query.start,
            completed_on__lte=query.end,
        )
        .order_by("-completed_at", "-pk")
        .values(
            "case_key",
            "unit__code",
            "unit__name",
            "officer",
            "started_at",
            "completed_at",
            "duration_ms",
            "sla_ms",
        )[:BREACHED_SHOWN]
    )
    cases = []
    for row in rows:
        shown = row["officer"] if row["officer"] in officer_names else None
        completed = timezone.localtime(row["completed_at"])
        cases.append(
            {
                "case": row["case_key"],
                "unit": row["unit__code"],
                "unit_name": row["unit__name"],
                "officer": shown,
                "officer_name": officer_names.get(shown) if shown else None,
                "completed_at": completed.isoformat(),
                "completed_label": completed.strftime("%d/%m %H.%M"),
                "duration_seconds": row["duration_ms"] / 1000,
                "duration_label": duration_label(row["duration_ms"]),
                "sla_duration_seconds": row["sla_ms"] / 1000,
                "sla_duration_label": duration_label(row["sla_ms"]),
            }
        )
    return {"total": total, "shown": len(cases), "cases": cases}


def _seconds(figures: dict, key: str) -> float | None:
    durations = figures["duration_seconds"]
    return durations[key] if durations else None


def dashboard_data(
    *,
    stream: Stream,
    filters: DashboardFilter,
    officer_names: Mapping[str, str],
    now: datetime | None = None,
) -> dict:
    """Everything the dashboard draws, as JSON-ready data (the shape is documented in
    ``views.dashboard``). ``officer_names`` maps the NIPs whose individual data the viewer may
    see to their names; other officers stay anonymous."""
    catch_up(stream)  # the figures must include every event stored so far
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = today - timedelta(days=PERIOD_DAYS - 1)
    today_query = _query(stream, today, today, filters)
    period_query = _query(stream, start, today, filters)
    on_the_day = compute(today_query)
    period = compute(period_query)
    per_day = _per_day(period_query)
    local_now = timezone.localtime(now)
    return {
        "stream": stream.code,
        "computed_at": local_now.isoformat(timespec="seconds"),
        "updated_label": f"{local_now.strftime('%H.%M.%S')} {zone_label()}",
        "today": today.isoformat(),
        "period": {"start": start.isoformat(), "end": today.isoformat(), "days": PERIOD_DAYS},
        "filters": {"unit": filters.unit_code, "officer": filters.officer},
        "sla": {
            "limit": float(stream.sla_limit),
            "unit": stream.sla_unit,
            "limit_seconds": stream.sla_limit_ms / 1000,
            "working_time": stream.sla_unit == SlaUnit.WORKING_HOURS,
            "target_pct": sla_target_pct(),
        },
        "headline": {
            "cases_today": on_the_day["cases_started"],
            "completed_today": on_the_day["cases_completed"],
            "open_now": on_the_day["open_cases_at_end"],
            "cases_started": period["cases_started"],
            "cases_completed": period["cases_completed"],
            "median_seconds": _seconds(period, "median"),
            "median_label": duration_label(_ms(_seconds(period, "median"))),
            "p90_seconds": _seconds(period, "p90"),
            "p90_label": duration_label(_ms(_seconds(period, "p90"))),
            "within_sla_pct": period["within_sla_pct"],
            "excluded_cases": period["excluded_cases"],
            "inconsistent_cases": period["inconsistent_cases"],
        },
        "per_day": per_day,
        "durations": _histogram(period_query),
        "open_by_age": _open_by_age(today_query, now),
        "breached": _breached(period_query, officer_names, sum(d["breached"] for d in per_day)),
    }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000
