"""The public contract with service applications (service-data-api.md), to the letter:
``POST /api/v1/streams/{code}/events`` and ``GET /api/v1/streams/{code}/metrics``, plus a list
of the streams a caller may use."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Literal

import orjson
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from kinerja.accounts.api_auth import (
    BrowserSession,
    TokenRefused,
    may_use_api,
    token_find,
    token_touch,
)
from kinerja.accounts.models import ApiToken
from kinerja.core.api import error_response
from kinerja.organizations.models import Unit

from .access import may_see_officer, token_may_use, visible_stream
from .ingest import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    MAX_BYTES,
    MAX_EVENTS,
    BatchRefused,
    FieldError,
    Validator,
    catch_up,
    store,
)
from .metrics import MAX_DAYS, MetricsQuery, compute
from .models import Stream

router = Router(tags=["service data"])

RETRY_SECONDS = 1


class AnyTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: a service application's token (for its streams) or a
    personal token (acting as its user)."""

    openapi_bearerFormat = "knj_…"
    openapi_description = (
        "A service application's token, created with `kinerja tokens create --name NAME "
        "--streams CODE[,CODE…]`, or a personal token."
    )

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = token_find(token)
        if found is None:
            raise TokenRefused(_("The token is unknown or was revoked."))
        if found.user is not None and not may_use_api(found.user):
            raise TokenRefused(_("The account of this token is disabled."))
        token_touch(found)
        request.api_token = found
        return found


class StoredOut(Schema):
    accepted: int
    duplicates: int


class EventErrorOut(Schema):
    index: int | None
    field: str
    message: str


class EventErrorsOut(Schema):
    errors: list[EventErrorOut]


class ErrorOut(Schema):
    error: str


EVENT_SCHEMA = {
    "type": "object",
    "required": ["events"],
    "properties": {
        "events": {
            "type": "array",
            "maxItems": MAX_EVENTS,
            "items": {
                "type": "object",
                "required": ["id", "case", "stage", "at"],
                "properties": {
                    "id": {"type": "string", "minLength": 1, "maxLength": 128},
                    "case": {"type": "string", "minLength": 1, "maxLength": 128},
                    "stage": {"type": "string"},
                    "at": {"type": "string", "format": "date-time"},
                    "unit": {"type": "string", "nullable": True},
                    "officer": {"type": "string", "pattern": "^[0-9]{18}$", "nullable": True},
                    "attributes": {"type": "object", "nullable": True},
                },
            },
        }
    },
}


def _errors(errors: list[FieldError], status: int = 422) -> JsonResponse:
    return JsonResponse({"errors": [e.as_dict() for e in errors]}, status=status)


def _retry(status: int, message: str) -> JsonResponse:
    response = error_response(status, message)
    response["Retry-After"] = str(RETRY_SECONDS)
    return response


def _over_rate(token: ApiToken) -> bool:
    limit = settings.KINERJA_INGEST_REQUESTS_PER_SECOND
    key = f"ingest-rate:{token.pk}:{int(time.time())}"
    if cache.add(key, 1, 5):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:
        return False


@router.post(
    "/streams/{code}/events",
    auth=[AnyTokenAuth()],
    response={
        200: StoredOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        413: ErrorOut,
        422: EventErrorsOut,
        429: ErrorOut,
        503: ErrorOut,
    },
    summary="Send events",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": EVENT_SCHEMA}}}
    },
)
def events_post(request: HttpRequest, code: str):
    """Store a batch of at most 5,000 events (5 MiB) whole or not at all. Resending is
    harmless: events already stored with the same content count as duplicates; the same id
    with other content is an error. 429/503 carry `Retry-After`: send the same batch again."""
    token: ApiToken = request.auth
    stream = Stream.objects.filter(code=code).select_related("agency").first()
    if stream is None:
        return Status(404, {"error": _("There is no stream named %(code)s.") % {"code": code[:40]}})
    if not token_may_use(token, stream):
        return Status(
            403, {"error": _("This token may not write to stream %(code)s.") % {"code": code}}
        )
    if not stream.active:
        return Status(403, {"error": _("Stream %(code)s is closed.") % {"code": code}})
    if _over_rate(token):
        return _retry(429, _("Too many requests for this token; slow down and send it again."))
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > MAX_BYTES:
        return Status(413, {"error": _("The request is larger than 5 MiB; split the batch.")})
    try:
        body = request.body
    except RequestDataTooBig:
        return Status(413, {"error": _("The request is larger than 5 MiB; split the batch.")})
    if len(body) > MAX_BYTES:
        return Status(413, {"error": _("The request is larger than 5 MiB; split the batch.")})
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        return _errors([FieldError(None, "body", f"The body is not valid JSON: {str(exc)[:120]}")])
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        return _errors([FieldError(None, "events", "Send a JSON object with a list 'events'.")])
    raws = payload["events"]
    if len(raws) > MAX_EVENTS:
        return Status(413, {"error": _("At most 5,000 events per request; split the batch.")})
    try:
        events = Validator(stream).clean_all(raws)
        stored = store(stream, events)
    except BatchRefused as refused:
        return _errors(refused.errors)
    except OperationalError:
        # The database is busy (a lock held too long) or briefly away: nothing was stored.
        return _retry(503, _("The database is busy; nothing was stored. Send the batch again."))
    return Status(200, {"accepted": stored.accepted, "duplicates": stored.duplicates})


class DurationsOut(Schema):
    median: float | None
    p90: float | None
    mean: float | None


class FiguresOut(Schema):
    cases_started: int
    cases_completed: int
    open_cases_at_end: int
    duration_seconds: DurationsOut | None
    within_sla_pct: float | None
    excluded_cases: int
    inconsistent_cases: int


class PeriodOut(FiguresOut):
    period: str


class MetricsOut(FiguresOut):
    stream: str
    start: str
    end: str
    unit: str | None
    officer: str | None
    from_stage: str | None
    to_stage: str | None
    group: str | None = None
    series: list[PeriodOut] | None = None


DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


class MetricsFilters(Schema):
    start: str = Field(..., pattern=DAY, description="First day (inclusive), YYYY-MM-DD")
    end: str = Field(..., pattern=DAY, description="Last day (inclusive), YYYY-MM-DD")
    unit: str | None = Field(None, max_length=40, description="A unit code")
    officer: str | None = Field(None, pattern=r"^[0-9]{18}$", description="An officer's NIP")
    group: Literal["day", "week", "month"] | None = None
    from_stage: str | None = Field(None, max_length=40)
    to_stage: str | None = Field(None, max_length=40)


def _bad(field: str, message: str) -> JsonResponse:
    return JsonResponse({"errors": [{"field": field, "message": message}]}, status=422)


@router.get(
    "/streams/{code}/metrics",
    auth=[AnyTokenAuth(), BrowserSession()],
    response={200: MetricsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Read metrics",
)
def metrics_get(request: HttpRequest, code: str, filters: Query[MetricsFilters]):
    """Exact figures over the cases of a range of days (region time), optionally for one unit
    or one officer, with a series per day, ISO week or month."""
    caller = request.auth
    if isinstance(caller, ApiToken) and caller.user is None:
        stream = Stream.objects.filter(code=code).first()
        if stream is None:
            return Status(
                404, {"error": _("There is no stream named %(code)s.") % {"code": code[:40]}}
            )
        if not token_may_use(caller, stream):
            return Status(
                403, {"error": _("This token may not read stream %(code)s.") % {"code": code}}
            )
    else:
        user = caller.user if isinstance(caller, ApiToken) else caller
        stream = visible_stream(user, code)
        if stream is None:
            return Status(
                404, {"error": _("There is no stream named %(code)s.") % {"code": code[:40]}}
            )
        if filters.officer and not may_see_officer(user, filters.officer):
            return Status(
                403,
                {
                    "error": _(
                        "An officer's own figures are seen only by the officer and their "
                        "rater chain."
                    )
                },
            )
    days = {}
    for field in ("start", "end"):
        try:
            days[field] = date.fromisoformat(getattr(filters, field))
        except ValueError:
            return _bad(field, "Not a calendar day; write YYYY-MM-DD, e.g. 2026-01-31.")
        if not EARLIEST_YEAR <= days[field].year <= LATEST_YEAR:
            return _bad(field, f"Give a day between {EARLIEST_YEAR} and {LATEST_YEAR}.")
    start, end = days["start"], days["end"]
    if end < start:
        return _bad("end", "The end lies before the start.")
    if end - start > timedelta(days=MAX_DAYS):
        return _bad("end", f"At most {MAX_DAYS} days per request.")
    unit_id = None
    unit_code = None
    if filters.unit:
        unit_code = filters.unit.strip().upper()
        unit_id = Unit.objects.filter(code=unit_code).values_list("pk", flat=True).first()
        if unit_id is None:
            return _bad("unit", f"Unknown unit code '{unit_code}'.")
    if bool(filters.from_stage) != bool(filters.to_stage):
        return _bad("to_stage" if filters.from_stage else "from_stage", "Give both stages.")
    for field in ("from_stage", "to_stage"):
        value = getattr(filters, field)
        if value and value not in stream.stages:
            return _bad(field, f"'{value}' is not a stage of stream {stream.code}.")
    catch_up(stream)  # the figures must include every event stored so far
    query = MetricsQuery(
        stream=stream,
        start=start,
        end=end,
        unit_id=unit_id,
        unit_code=unit_code,
        officer=filters.officer,
        group=filters.group,
        from_stage=filters.from_stage,
        to_stage=filters.to_stage,
    )
    return Status(200, compute(query))


class StreamOut(Schema):
    code: str
    name: str
    agency: str
    stages: list[str]
    start: str
    end: str
    sla: dict


@router.get(
    "/streams",
    auth=[AnyTokenAuth(), BrowserSession()],
    response={200: list[StreamOut], 401: ErrorOut},
    summary="List streams",
)
def streams_list(request: HttpRequest):
    """The streams the caller may use: a service token's own, or those a person may see."""
    caller = request.auth
    if isinstance(caller, ApiToken) and caller.user is None:
        streams = caller.streams.all()
    else:
        user = caller.user if isinstance(caller, ApiToken) else caller
        streams = Stream.objects.visible_to(user)
    return [
        {
            "code": s.code,
            "name": s.name,
            "agency": s.agency.code,
            "stages": s.stages,
            "start": s.start_stage,
            "end": s.end_stage,
            "sla": {"limit": float(s.sla_limit), "unit": s.sla_unit},
        }
        for s in streams.select_related("agency").order_by("code")
    ]
