"""What every endpoint of the HTTP API shares: the error shape, parameters, paging.

Error shape (the whole API, English):

* ``{"error": "<message>"}`` for 401, 403, 404, 405 and 429;
* ``{"errors": [{"field": "limit", "message": "..."}]}`` with 422 for bad input.

Lists are plain JSON arrays, paged with ``limit`` (default 100, at most 1000) and ``offset``;
the response says ``X-Total-Count`` and, when there is more, ``Link: <…>; rel="next"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Annotated, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import AfterValidator, PlainSerializer, StringConstraints, WithJsonSchema

from .protocols import Coded, Person

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000

M = TypeVar("M", bound=Model)
T = TypeVar("T")


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


def one_line(value: str) -> str:
    """Refuse control characters: PostgreSQL refuses NUL in text, and no code, name or NIP
    contains one — bad input, not a 500 from the database."""
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValueError(_("must not contain control characters"))
    return value


def multi_line(value: str) -> str:
    """Text that may span lines; NUL and the other control characters are refused."""
    if any((ord(char) < 32 and char not in "\n\r\t") or ord(char) == 127 for char in value):
        raise ValueError(_("must not contain control characters"))
    return value


#: A free-text or code query parameter.
Text = Annotated[str, StringConstraints(max_length=200), AfterValidator(one_line)]
#: A name or a short text on one line, in a body.
Line = Annotated[str, StringConstraints(max_length=500), AfterValidator(one_line)]
#: A narrative in a body.
Paragraph = Annotated[str, StringConstraints(max_length=5000), AfterValidator(multi_line)]
#: Free text in a body whose precise limit the operation gives (2,000 characters for a result
#: or a reason); this only stops absurd payloads before they reach it.
LongText = Annotated[str, StringConstraints(max_length=20000), AfterValidator(multi_line)]
#: A quantity in a request: a JSON number or a decimal string, read by core.numbers.
NumberIn = Annotated[
    Any,
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}],
            "description": "A JSON number or a decimal string (at most 4 decimals).",
            "examples": [12.5, "12.5"],
        }
    ),
]


# --- Values out ---------------------------------------------------------------------------------

# Formula results are not quantized and may be large: round them with room to spare.
_ROUNDING = Context(prec=80, rounding=ROUND_HALF_UP)


def _json_number(value: float | None) -> int | float | None:
    # 100.0 goes out as 100: a whole number has no decimals to show.
    if value is None:
        return None
    return int(value) if value.is_integer() else value


#: A number in an answer: a JSON number (integral when whole), or null.
Number = Annotated[float | None, PlainSerializer(_json_number, return_type=float | None)]


def number(value: Decimal | None, places: int | None = None) -> float | None:
    """A stored decimal as a float for JSON, rounded half up to ``places`` decimals when given
    (exact for the up to 15 significant digits that performance figures have)."""
    if value is None or not value.is_finite():
        return None
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), context=_ROUNDING)
    return float(value)


def when(moment: datetime | None) -> str | None:
    """A moment as ISO 8601 with the region's UTC offset."""
    return timezone.localtime(moment).isoformat() if moment else None


def nip(employee: Person | None) -> str | None:
    return employee.nip if employee is not None else None


# --- Refusals of the operations -------------------------------------------------------------------


def invalid(errors: Iterable[tuple[str, str]]) -> ValidationError:
    """A 422 naming body fields."""
    return ValidationError(
        [{"loc": ("body", field), "msg": str(message)} for field, message in errors]
    )


def service_errors(
    exc: DjangoValidationError, *, general: str = "__all__"
) -> list[tuple[str, str]]:
    """An operation's ValidationError as (field, message) pairs; rules without a field go to
    ``general``."""
    if hasattr(exc, "error_dict"):
        return [
            (general if field == "__all__" else field, message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [(general, message) for message in exc.messages]


def call_service(
    operation: Callable[..., T],
    *,
    fields: Iterable[str],
    duplicate: Callable[[], bool] | None = None,
    **kwargs: Any,
) -> T:
    """Run an operation and answer its refusals the API's way: 403 for ``PermissionDenied``
    (with its reason); 422 for errors on ``fields`` (the request's body fields;
    ``indicators.0.aspect`` counts as ``indicators``); 409 for anything else — the request was
    well formed, but what is stored does not allow it now — and for any error when
    ``duplicate()`` says the request repeats what is stored."""
    try:
        return operation(**kwargs)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or _("You may not do this.")) from None
    except DjangoValidationError as exc:
        pairs = service_errors(exc)
        allowed = set(fields)
        conflicts = [message for key, message in pairs if key.split(".")[0] not in allowed]
        if conflicts or (duplicate is not None and duplicate()):
            raise HttpError(
                409, " ".join(conflicts or [message for _key, message in pairs])
            ) from None
        raise invalid(pairs) from None


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
    queryset: QuerySet[M],
    paging: Paging,
    row: Callable[[M], dict[str, Any]],
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


def code_or_none(obj: Coded | None) -> str | None:
    return obj.code if obj is not None else None
