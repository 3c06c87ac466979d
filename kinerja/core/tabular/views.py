"""What the import and export pages of every app share: the upload page's decorator (the size
limit goes in before CSRF reads the body), the audit door of an import, and the download
response of a file."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.core import audit
from kinerja.core.models import Channel

from .forms import limit_upload_size

if TYPE_CHECKING:
    from django.contrib.auth.models import _AnyUser

#: A page: the request (and the arguments of its address) in, a response out.
View: TypeAlias = Callable[..., HttpResponseBase]
#: A check of who may use a page: raises ``PermissionDenied`` for anyone else.
Check: TypeAlias = Callable[[HttpRequest], None]

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def upload_page(may_upload: Check) -> Callable[[View], View]:
    """Decorate a page that receives a file: sign-in, GET or POST, ``may_upload(request)``
    (raises ``PermissionDenied``), the size limit in front of the upload handlers, and only
    then the CSRF check (which reads the body)."""

    def decorate(view: View) -> View:
        protected = csrf_protect(view)

        @csrf_exempt  # checked by ``protected``, once the size limit is in place
        @login_required
        @require_http_methods(["GET", "POST"])
        @wraps(view)
        def page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            may_upload(request)
            if request.method == "POST":
                limit_upload_size(request)
            return protected(request, *args, **kwargs)

        return page

    return decorate


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def import_door(user: _AnyUser | None, file_name: str) -> AbstractContextManager[None]:
    """Changes made by the import of ``file_name`` from a page, in the audit trail."""
    return audit.door(Channel.IMPORT, user, label=f"import {file_name}"[:150])


def download(data: bytes, filename: str, kind: str, *, cache_control: str) -> HttpResponse:
    """A file to save (``kind``: xlsx, csv or pdf); ``cache_control`` says who may keep it."""
    response = HttpResponse(data, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = cache_control
    return response


def template_page(
    may_download: Check, make: Callable[[], bytes], filename: str, *, cache_control: str
) -> View:
    """The page that downloads an app's empty template (``make()``, an .xlsx), for those
    ``may_download(request)`` lets through (it raises ``PermissionDenied``)."""

    @login_required
    @require_GET
    def page(request: HttpRequest) -> HttpResponse:
        may_download(request)
        return download(make(), filename, "xlsx", cache_control=cache_control)

    return page
