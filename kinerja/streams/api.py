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
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from kinerja.accounts.api_auth import (
    BrowserSession,
    TokenRefused,
    may_use_api,
    token_checked,
    token_touch,
)
from kinerja.accounts.models import ApiToken
from kinerja.core.access import visible_or_404
from kinerja.core.api import ErrorOut, ValidationErrorsOut, bad_input, error_response

from . import permissions
from .access import (
    may_see_officer,
    person_of,
    service_token,
    streams_readable_by,
    units_nameable_by,
)
from .ingest import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    MAX_BYTES,
    MAX_EVENTS,
    BatchRefused,
    FieldError,
    Validator,
    catch_up,
)
from .metrics import MAX_DAYS, MetricsQuery, compute
from .models import Stream
from .services import events_ingest

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
        found = token_checked(request, token)
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


def _no_stream(code: str) -> Status:
    return Status(404, {"error": _("There is no stream named %(code)s.") % {"code": code[:40]}})


def _too_large() -> Status:
    return Status(413, {"error": _("The request is larger than 5 MiB; split the batch.")})


def _over_rate(token: ApiToken) -> bool:
    limit = settings.KINERJA_INGEST_REQUESTS_PER_SECOND
    key = f"ingest-rate:{token.pk}:{int(time.time())}"
    if cache.add(key, 1, 5):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:
        return False


def _raw_events(request: HttpRequest) -> list | Status | JsonResponse:
    """The request's list of events as parsed JSON, or the answer refusing it (413, 422)."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > MAX_BYTES:
        return _too_large()
    try:
        body = request.body
    except RequestDataTooBig:
        return _too_large()
    if len(body) > MAX_BYTES:
        return _too_large()
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        return _errors([FieldError(None, "body", f"The body is not valid JSON: {str(exc)[:120]}")])
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        return _errors([FieldError(None, "events", "Send a JSON object with a list 'events'.")])
    if len(payload["events"]) > MAX_EVENTS:
        return Status(413, {"error": _("At most 5,000 events per request; split the batch.")})
    return payload["events"]


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
    # The contract tells a stream that does not exist (404) from one this token may not write
    # to (403): the stream is found among all, then the token's rights are asked. They are
    # asked before the body is read, and again by the operation (at no cost: kept on the token).
    stream = Stream.objects.filter(code=code).select_related("agency").first()
    if stream is None:
        return _no_stream(code)
    refusal = permissions.send_refusal(token, stream)
    if refusal is not None:
        return Status(403, {"error": refusal})
    if _over_rate(token):
        return _retry(429, _("Too many requests for this token; slow down and send it again."))
    raws = _raw_events(request)
    if not isinstance(raws, list):
        return raws
    try:
        events = Validator(stream).clean_all(raws)
        stored = events_ingest(stream=stream, events=events, by=token)
    except BatchRefused as refused:
        return _errors(refused.errors)
    except PermissionDenied as denied:
        return Status(403, {"error": str(denied)})
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


def _readable_stream(caller, code: str) -> Stream | Status:
    """The stream ``code`` if ``caller`` may read its metrics, else the answer refusing it: a
    service token learns whether the stream exists (404) or is not its own (403), as when
    sending; to anyone else a stream they do not see does not exist."""
    token = service_token(caller)
    if token is None:
        try:
            return visible_or_404(
                Stream.objects.select_related("agency"), person_of(caller), code=code
            )
        except Http404:
            return _no_stream(code)
    stream = Stream.objects.filter(code=code).first()
    if stream is None:
        return _no_stream(code)
    if not permissions.token_may_use(token, stream):
        return Status(
            403, {"error": _("This token may not read stream %(code)s.") % {"code": code}}
        )
    return stream


def _day(filters: MetricsFilters, field: str) -> date:
    try:
        day = date.fromisoformat(getattr(filters, field))
    except ValueError:
        raise bad_input(field, "Not a calendar day; write YYYY-MM-DD, e.g. 2026-01-31.") from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise bad_input(field, f"Give a day between {EARLIEST_YEAR} and {LATEST_YEAR}.")
    return day


def _metrics_query(caller, stream: Stream, filters: MetricsFilters) -> MetricsQuery:
    """The query the filters ask for; a 422 naming the parameter when one breaks a rule."""
    start, end = _day(filters, "start"), _day(filters, "end")
    if end < start:
        raise bad_input("end", "The end lies before the start.")
    if end - start > timedelta(days=MAX_DAYS):
        raise bad_input("end", f"At most {MAX_DAYS} days per request.")
    unit_id = unit_code = None
    if filters.unit:
        unit_code = filters.unit.strip().upper()
        units = units_nameable_by(caller).filter(code=unit_code)
        unit_id = units.values_list("pk", flat=True).first()
        if unit_id is None:
            raise bad_input("unit", f"Unknown unit code '{unit_code}'.")
    if bool(filters.from_stage) != bool(filters.to_stage):
        raise bad_input("to_stage" if filters.from_stage else "from_stage", "Give both stages.")
    for field in ("from_stage", "to_stage"):
        value = getattr(filters, field)
        if value and value not in stream.stages:
            raise bad_input(field, f"'{value}' is not a stage of stream {stream.code}.")
    return MetricsQuery(
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


@router.get(
    "/streams/{code}/metrics",
    auth=[AnyTokenAuth(), BrowserSession()],
    response={
        200: MetricsOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorsOut,
    },
    summary="Read metrics",
)
def metrics_get(request: HttpRequest, code: str, filters: Query[MetricsFilters]):
    """Exact figures over the cases of a range of days (region time), optionally for one unit
    or one officer, with a series per day, ISO week or month. A service token names the units
    of its streams' agencies; anyone else the units they see."""
    caller = request.auth
    stream = _readable_stream(caller, code)
    if isinstance(stream, Status):
        return stream
    if (
        filters.officer
        and service_token(caller) is None
        and not may_see_officer(person_of(caller), filters.officer)
    ):
        return Status(
            403,
            {
                "error": _(
                    "An officer's own figures are seen only by the officer and their rater chain."
                )
            },
        )
    query = _metrics_query(caller, stream, filters)
    catch_up(stream)  # the figures must include every event stored so far
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
    streams = streams_readable_by(request.auth)
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
