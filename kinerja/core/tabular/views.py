"""What the import and export pages of every app share: the upload page's decorator (the size
limit goes in before CSRF reads the body), the audit door of an import, and the download
response of a file."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.core import audit
from kinerja.core.models import Channel

from .forms import limit_upload_size

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def upload_page(may_upload: Callable) -> Callable:
    """Decorate a page that receives a file: sign-in, GET or POST, ``may_upload(request)``
    (raises ``PermissionDenied``), the size limit in front of the upload handlers, and only
    then the CSRF check (which reads the body)."""

    def decorate(view: Callable) -> Callable:
        protected = csrf_protect(view)

        @csrf_exempt  # checked by ``protected``, once the size limit is in place
        @login_required
        @require_http_methods(["GET", "POST"])
        @wraps(view)
        def page(request, *args, **kwargs):
            may_upload(request)
            if request.method == "POST":
                limit_upload_size(request)
            return protected(request, *args, **kwargs)

        return page

    return decorate


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def import_door(user, file_name: str) -> AbstractContextManager:
    """Changes made by the import of ``file_name`` from a page, in the audit trail."""
    return audit.door(Channel.IMPORT, user, label=f"import {file_name}"[:150])


def download(data: bytes, filename: str, kind: str, *, cache_control: str) -> HttpResponse:
    """A file to save (``kind``: xlsx, csv or pdf); ``cache_control`` says who may keep it."""
    response = HttpResponse(data, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = cache_control
    return response


def template_page(
    may_download: Callable, make: Callable[[], bytes], filename: str, *, cache_control: str
) -> Callable:
    """The page that downloads an app's empty template (``make()``, an .xlsx), for those
    ``may_download(request)`` lets through (it raises ``PermissionDenied``)."""

    @login_required
    @require_GET
    def page(request):
        may_download(request)
        return download(make(), filename, "xlsx", cache_control=cache_control)

    return page
