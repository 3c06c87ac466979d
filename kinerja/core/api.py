"""What every endpoint of the HTTP API shares — the error shape, paging — and the audit endpoint.

Error shape (the whole API, English):

* ``{"error": "<message>"}`` for 401, 403, 404, 405 and 429;
* ``{"errors": [{"field": "limit", "message": "..."}]}`` with 422 for bad input.

Lists are plain JSON arrays, paged with ``limit`` (default 100, at most 1000) and ``offset``;
the response says ``X-Total-Count`` and, when there is more, ``Link: <…>; rel="next"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import AfterValidator, StringConstraints

from kinerja.accounts.scope import scope_for

from .models import AuditRecord, Channel

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


# --- Errors -------------------------------------------------------------------------------------


class ErrorOut(Schema):
    error: str = Field(..., description="What went wrong, in English.")


class FieldErrorOut(Schema):
    field: str = Field(..., description="The query parameter, path parameter or body field.")
    message: str


class ValidationErrorsOut(Schema):
    errors: list[FieldErrorOut]


def error_response(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": str(message)}, status=status)


def field_errors(errors: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Ninja's (pydantic's) error list as ``[{"field", "message"}]``.

    ``loc`` starts with where the value came from (``query``, ``path``, ``body``); the rest
    names the field.
    """
    result = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] in {"query", "path", "body", "header", "cookie", "form", "file"}:
            loc = loc[1:]
        result.append({"field": ".".join(loc), "message": str(error.get("msg", ""))})
    return result


def bad_input(field: str, message: str) -> ValidationError:
    """A 422 for a value that passed its type but breaks a rule between parameters."""
    return ValidationError([{"loc": ("query", field), "msg": message}])


#: The error answers every authenticated endpoint may give (for the OpenAPI document).
COMMON_ERRORS: dict[int, type[Schema]] = {
    401: ErrorOut,
    403: ErrorOut,
    422: ValidationErrorsOut,
}


# --- Parameters ---------------------------------------------------------------------------------


def _printable(value: str) -> str:
    # PostgreSQL refuses NUL in text, and no code, name or NIP contains a control character:
    # refuse them here as bad input instead of letting the database fail with a 500.
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValueError(_("must not contain control characters"))
    return value


#: A free-text or code query parameter.
Text = Annotated[str, StringConstraints(max_length=200), AfterValidator(_printable)]


# --- Paging -------------------------------------------------------------------------------------


class Paging(Schema):
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page (at most 1000)."
    )
    offset: int = Field(0, ge=0, description="Rows to skip.")


def _page_url(request: HttpRequest, *, limit: int, offset: int) -> str:
    params = request.GET.copy()
    params["limit"] = str(limit)
    params["offset"] = str(offset)
    return request.build_absolute_uri(
        f"{request.path}?{urlencode(sorted(params.lists()), doseq=True)}"
    )


def paginate(
    request: HttpRequest,
    response: HttpResponse,
    queryset: QuerySet,
    paging: Paging,
    row: Callable[[Any], dict[str, Any]],
) -> list[dict[str, Any]]:
    """One page of ``queryset`` as rows, with ``X-Total-Count`` and ``Link`` set on
    ``response``. Two queries whatever the size (the count and the page), plus whatever the
    queryset's own prefetching costs."""
    limit, offset = paging.limit, paging.offset
    total = queryset.count()
    rows = [row(obj) for obj in queryset[offset : offset + limit]] if offset < total else []
    response["X-Total-Count"] = str(total)
    links = []
    if offset + limit < total:
        links.append(f'<{_page_url(request, limit=limit, offset=offset + limit)}>; rel="next"')
    if offset > 0:
        previous = max(0, min(offset, total) - limit)
        links.append(f'<{_page_url(request, limit=limit, offset=previous)}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    return rows


def code_or_none(obj: Any) -> str | None:
    return obj.code if obj is not None else None


# --- The audit trail ----------------------------------------------------------------------------

router = Router(tags=["audit"])


class AuditRecordOut(Schema):
    seq: int
    at: str = Field(..., description="ISO 8601 with the region's UTC offset.")
    actor: str = Field(..., description="Username of the actor, or the console/system label.")
    channel: Channel
    action: str
    object_type: str
    object_id: str
    object_repr: str
    agency: str | None
    before: Any = None
    after: Any = None
    note: str
    hash: str
    prev_hash: str


def _audit_row(rec: AuditRecord) -> dict[str, Any]:
    return {
        "seq": rec.seq,
        "at": timezone.localtime(rec.at).isoformat(),
        "actor": rec.actor_label,
        "channel": rec.channel,
        "action": rec.action,
        "object_type": rec.object_type,
        "object_id": rec.object_id,
        "object_repr": rec.object_repr,
        "agency": rec.agency_code or None,
        "before": rec.before,
        "after": rec.after,
        "note": rec.note,
        "hash": rec.hash,
        "prev_hash": rec.prev_hash,
    }


def _start_of(day: date) -> datetime:
    """Midnight of ``day`` in the region's time zone (the dates users think in)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


class AuditFilters(Schema):
    object_type: Text | None = Field(None, description="e.g. organizations.employee")
    object_id: Text | None = Field(None, description="e.g. a NIP or a code")
    actor: Text | None = Field(None, description="Username or label of the actor")
    channel: Channel | None = None
    agency: Text | None = Field(None, description="Agency code")
    since: date | None = Field(None, description="First day (YYYY-MM-DD, WIB), inclusive.")
    until: date | None = Field(None, description="Last day (YYYY-MM-DD, WIB), inclusive.")


@router.get(
    "/audit",
    response={200: list[AuditRecordOut], **COMMON_ERRORS},
    summary="The audit trail (Admin BKPSDM and Auditor only)",
)
def audit_list(
    request: HttpRequest,
    response: HttpResponse,
    paging: Query[Paging],
    filters: Query[AuditFilters],
):
    """Every recorded change, newest first. ``since`` and ``until`` are days in the region's
    time zone, both inclusive."""
    if not scope_for(request.auth).can_audit:
        raise HttpError(
            403, _("Only regional administrators and auditors may read the audit trail.")
        )
    f = filters
    if f.since and f.until and f.until < f.since:
        raise bad_input("until", _("The last day is before the first day."))
    records = AuditRecord.objects.order_by("-seq")
    exact = {
        "object_type": f.object_type,
        "object_id": f.object_id,
        "actor_label__iexact": f.actor,
        "channel": f.channel,
        "agency_code": f.agency,
    }
    records = records.filter(**{key: value for key, value in exact.items() if value})
    if f.since:
        records = records.filter(at__gte=_start_of(f.since))
    if f.until:
        records = records.filter(at__lt=_start_of(f.until + timedelta(days=1)))
    return paginate(request, response, records, paging, _audit_row)
