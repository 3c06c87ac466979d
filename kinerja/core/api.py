"""What every endpoint of the HTTP API shares: the error shape, parameters, paging.

Error shape (the whole API, English):

* ``{"error": "<message>"}`` for 401, 403, 404, 405 and 429;
* ``{"errors": [{"field": "limit", "message": "..."}]}`` with 422 for bad input.

Lists are plain JSON arrays, paged with ``limit`` (default 100, at most 1000) and ``offset``;
the response says ``X-Total-Count`` and, when there is more, ``Link: <…>; rel="next"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError
from pydantic import AfterValidator, StringConstraints

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
