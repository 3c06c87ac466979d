"""Realisations: an indicator's records with their history, entering (or correcting) the
value of a month, verifying a value or returning it for correction."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Schema, Status
from ninja.errors import HttpError

from kinerja.core.access import visible_or_404
from kinerja.core.api import (
    COMMON_ERRORS,
    ErrorOut,
    Line,
    Number,
    NumberIn,
    Paging,
    Paragraph,
    call_service,
    invalid,
    paginate,
    service_errors,
    when,
)
from kinerja.core.numbers import NumberError, to_decimal
from kinerja.core.periods import PeriodError, parse_period, this_year

from .. import services
from ..models import Realisation, RealisationState
from .common import YearField, operation_id, quantity, router, visible_indicator


class RealisationOut(Schema):
    id: int
    indicator: int = Field(..., description="Id of the indicator.")
    period: str = Field(..., description="YYYY-MM")
    value: Number
    note: str
    supporting: str = Field(..., description="What helped.")
    hindering: str = Field(..., description="What hindered.")
    state: RealisationState
    corrects: int | None = Field(..., description="Id of the record this one superseded.")
    superseded_at: str | None = Field(
        ..., description="When a correction replaced this record (ISO 8601, WIB); null if current."
    )
    entered_by: str | None = Field(..., description="Username (an employee's NIP).")
    entered_at: str = Field(..., description="ISO 8601 with the region's UTC offset.")
    verified_by: str | None
    verified_at: str | None
    verification_note: str


def _username(user) -> str | None:
    return user.username if user is not None else None


def _realisation_row(record: Realisation, corrects: int | None) -> dict[str, Any]:
    return {
        "id": record.pk,
        "indicator": record.indicator_id,
        "period": f"{record.year}-{record.month:02d}",
        "value": quantity(record.value),
        "note": record.note,
        "supporting": record.supporting,
        "hindering": record.hindering,
        "state": record.state,
        "corrects": corrects,
        "superseded_at": when(record.superseded_at),
        "entered_by": _username(record.entered_by),
        "entered_at": when(record.entered_at),
        "verified_by": _username(record.verified_by),
        "verified_at": when(record.verified_at),
        "verification_note": record.verification_note,
    }


def _corrected(record: Realisation) -> int | None:
    """The record a realisation superseded: the month's record entered just before it (a
    correction always supersedes the month's current record, so the history is a chain)."""
    return (
        Realisation.objects.filter(
            indicator_id=record.indicator_id,
            year=record.year,
            month=record.month,
            pk__lt=record.pk,
        )
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )


class RealisationHistoryFilter(Schema):
    year: int | None = YearField


@router.get(
    "/indicators/{indicator_id}/realisations",
    response={200: list[RealisationOut], 404: ErrorOut, **COMMON_ERRORS},
    summary="The realisations of an indicator, with their history",
    operation_id=operation_id("realisation_list"),
)
def realisation_list(
    request: HttpRequest,
    response: HttpResponse,
    indicator_id: int,
    paging: Query[Paging],
    filters: Query[RealisationHistoryFilter],
):
    """Every record of the year, superseded ones included (``superseded_at``), by month and
    newest first within a month."""
    indicator = visible_indicator(request.auth, indicator_id)
    year = filters.year or this_year()
    records = Realisation.objects.visible_to(request.auth).filter(indicator=indicator, year=year)
    # Each record corrects the one entered before it in the same month.
    previous: dict[int, int | None] = {}
    last: dict[int, int] = {}
    for pk, month in records.order_by("pk").values_list("pk", "month"):
        previous[pk] = last.get(month)
        last[month] = pk
    records = records.select_related("entered_by", "verified_by").order_by("month", "-pk")
    return paginate(
        request, response, records, paging, lambda r: _realisation_row(r, previous.get(r.pk))
    )


@router.post(
    "/indicators/{indicator_id}/realisations",
    response={200: RealisationOut, 201: RealisationOut, 404: ErrorOut, **COMMON_ERRORS},
    summary="Enter (or correct) the realisation of a month",
    operation_id=operation_id("realisation_create"),
)
def realisation_create(
    request: HttpRequest,
    indicator_id: int,
    period: Annotated[Line, Body(description="The month, YYYY-MM, e.g. 2026-03")],
    value: Annotated[NumberIn, Body()],
    note: Annotated[Paragraph | None, Body(description="e.g. from the daily queue report")] = None,
    supporting: Annotated[Paragraph | None, Body(description="What helped")] = None,
    hindering: Annotated[Paragraph | None, Body(description="What hindered")] = None,
):
    """Record the value of a month (quarterly indicators report in March, June, September and
    December; yearly ones in December; never a future month). A different value for a month
    that has one is a correction: the earlier record stays in the history, superseded (201).
    Sending exactly the current value and texts again changes nothing and answers 200 with
    the current record. Those who manage the agency and the holder of the owning position
    may enter (403 otherwise)."""
    user = request.auth
    indicator = visible_indicator(user, indicator_id)
    errors: list[tuple[str, str]] = []
    month_period = None
    try:
        month_period = parse_period(period)
        if month_period.kind != "month":
            errors.append(("period", _("Give a month, YYYY-MM, e.g. 2026-03.")))
    except PeriodError as exc:
        errors.append(("period", str(exc)))
    try:
        number = to_decimal(value)
    except NumberError as exc:
        errors.append(("value", str(exc)))
    if errors:
        raise invalid(errors)
    year, month = month_period.year, month_period.month
    before = (
        Realisation.objects.current()
        .filter(indicator=indicator, year=year, month=month)
        .values_list("pk", flat=True)
        .first()
    )
    try:
        record = services.realisation_record(
            by=user,
            indicator=indicator,
            year=year,
            month=month,
            value=number,
            note=note or "",
            supporting=supporting or "",
            hindering=hindering or "",
        )
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    except DjangoValidationError as exc:
        # A rule on the indicator as a whole (computed, no longer active) names ``indicator``.
        raise invalid(service_errors(exc, general="indicator")) from None
    record = Realisation.objects.select_related("entered_by", "verified_by").get(pk=record.pk)
    if record.pk == before:
        return Status(200, _realisation_row(record, _corrected(record)))
    return Status(201, _realisation_row(record, before))


@router.post(
    "/realisations/{realisation_id}/verify",
    response={200: RealisationOut, 404: ErrorOut, 409: ErrorOut, **COMMON_ERRORS},
    summary="Verify a realisation, or return it for correction",
    operation_id=operation_id("realisation_verify"),
)
def realisation_verify(
    request: HttpRequest,
    realisation_id: int,
    accept: Annotated[bool, Body(description="true: verified; false: returned for correction")],
    note: Annotated[Paragraph | None, Body(description="Required when returning")] = None,
):
    """The owner's superior (the rater of the owning position's holder, or the agency head
    when the indicator has no owning position) accepts the value or returns it with a reason;
    never the person who entered it (403). 409 when the record was superseded or already
    verified or returned."""
    user = request.auth
    record = visible_or_404(
        Realisation.objects.select_related("indicator__agency"),
        user,
        not_found=_("Realisation not found."),
        pk=realisation_id,
    )
    # A refusal on the note is a 422; the record's state (superseded, decided) a 409.
    record = call_service(
        services.realisation_verify,
        fields={"note"},
        realisation=record,
        by=user,
        accept=accept,
        note=note or "",
    )
    record = Realisation.objects.select_related("entered_by", "verified_by").get(pk=record.pk)
    return _realisation_row(record, _corrected(record))
