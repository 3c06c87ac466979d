"""The live dashboard of a stream: a server-rendered page whose small script
(``streams/dashboard.js``) polls the JSON endpoint every few seconds and redraws.

Who sees what: everyone who sees the stream (``Stream.objects.visible_to``: the people of its
agency and the region's readers) sees its aggregates and may filter by the agency's units; the
officer filter offers only the officers whose individual data the viewer may see (themselves
and whom they rate, ``access.officers_visible_to``), and both the page and the endpoint refuse
any other officer with 403. A stream the viewer cannot see is a 404; anonymous visitors are
sent to the sign-in page by the login-required middleware.

The JSON answer of ``streams:dashboard_data`` (``?unit=CODE&officer=NIP``, both optional)::

    {"stream": "ktp-el", "computed_at": "2026-01-05T14:05:09+07:00",
     "updated_label": "14.05.09 WIB", "today": "2026-01-05",
     "period": {"start": "2025-12-07", "end": "2026-01-05", "days": 30},
     "filters": {"unit": null, "officer": null},
     "sla": {"limit": 8.0, "unit": "working_hours", "limit_seconds": 28800.0,
             "working_time": true, "target_pct": 90.0},
     "headline": {"cases_today": 41, "completed_today": 37, "open_now": 12,
                  "cases_started": 1234, "cases_completed": 1200,
                  "median_seconds": 5400.0, "median_label": "1 h 30 min",
                  "p90_seconds": 14400.0, "p90_label": "4 h 00 min",
                  "within_sla_pct": 93.5, "excluded_cases": 3, "inconsistent_cases": 0},
     "per_day": [{"day": "2025-12-07", "label": "07/12", "started": 40, "completed": 38,
                  "breached": 2, "within_sla_pct": 94.74}, …30 days, oldest first],
     "durations": {"measure": "working_time", "sla_seconds": 28800.0, "cases": 1200,
                   "bins": [{"from_seconds": 0.0, "to_seconds": 7200.0, "cases": 310}, …,
                            {"from_seconds": 86400.0, "to_seconds": null, "cases": 4,
                             "label": "> 1 d 0 h"}],
                   "ticks": [{"seconds": 0.0, "label": "0 s"}, …the SLA limit, twice it]},
     "open_by_age": [{"key": "lt_1h", "label": "< 1 h", "cases": 5, "past_sla": false}, …],
     "breached": {"total": 77, "shown": 20,
                  "cases": [{"case": "KTP-…", "unit": "DUKCAPIL", "unit_name": "…",
                             "officer": null, "officer_name": null,
                             "completed_at": "2026-01-05T13:58:00+07:00",
                             "completed_label": "05/01 13.58", "duration_seconds": 40000.0,
                             "duration_label": "11 h 06 min", "sla_duration_seconds": 30000.0,
                             "sla_duration_label": "8 h 20 min"}, …most recent first]}}

Headline figures are those of ``metrics.compute`` (today, and the last 30 days); see
``dashboard.py`` for the other panels' definitions.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.core.access import visible_or_404

from ..access import officers_visible_to
from ..dashboard import (
    PERIOD_DAYS,
    DashboardFilter,
    FilterRefused,
    dashboard_data,
    parse_filters,
    units_for_filter,
)
from ..models import Stream
from ..permissions import may_manage_stream

REFRESH_MS = 2500


def _labels() -> dict:
    """Words the script needs for tooltips and states, in the page's language."""
    return {
        "started": _("started"),
        "completed": _("completed"),
        "cases": _("cases"),
        "within_sla": _("within SLA"),
        "target": _("target"),
        "sla": _("SLA"),
        "no_breached": _("No case breached the SLA in the period."),
        "no_open": _("No case is open now."),
        "updated_at": _("Updated at %(when)s"),
        "refresh_failed": _("Refresh failed; retrying…"),
    }


@require_GET
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    stream = visible_or_404(Stream.objects.select_related("agency"), request.user, code=code)
    units = units_for_filter(stream=stream, viewer=request.user)
    officers = officers_visible_to(request.user)
    status = 200
    filter_error = None
    try:
        filters = parse_filters(params=request.GET, units=units, officers=officers)
    except FilterRefused as refused:
        if refused.status == 403:
            raise PermissionDenied(refused.message) from None
        # A hand-edited address: show the whole stream and say what was wrong.
        filters, filter_error, status = DashboardFilter(), refused.message, 400
    data = dashboard_data(
        stream=stream, filters=filters, officer_names={e.nip: e.name for e in officers}
    )
    chosen = {"unit": filters.unit_code, "officer": filters.officer}
    query = urlencode({key: value for key, value in chosen.items() if value})
    data_url = reverse("streams:dashboard_data", args=[stream.code])
    if query:
        data_url += "?" + query
    context = {
        "stream": stream,
        "data": data,
        "units": units,
        "officers": officers,
        "filters": filters,
        "filter_error": filter_error,
        "data_url": data_url,
        "refresh_ms": REFRESH_MS,
        "labels": _labels(),
        "period_days": PERIOD_DAYS,
        "may_manage_alerts": may_manage_stream(request.user, stream),
    }
    return render(request, "streams/dashboard.html", context, status=status)


@require_GET
def dashboard_data_view(request: HttpRequest, code: str) -> JsonResponse:
    try:
        stream = visible_or_404(Stream.objects.select_related("agency"), request.user, code=code)
    except Http404:
        return JsonResponse(
            {"error": _("There is no stream named %(code)s.") % {"code": code[:40]}}, status=404
        )
    units = units_for_filter(stream=stream, viewer=request.user)
    officers = officers_visible_to(request.user)
    try:
        filters = parse_filters(params=request.GET, units=units, officers=officers)
    except FilterRefused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status)
    data = dashboard_data(
        stream=stream, filters=filters, officer_names={e.nip: e.name for e in officers}
    )
    response = JsonResponse(data)
    # Live figures: never from a cache between here and the browser.
    response["Cache-Control"] = "no-store"
    return response
