"""Serving a stored upload (evidence) safely: always as a download, never sniffed or run,
never kept in a shared cache."""

from __future__ import annotations

from typing import Protocol

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


class StoredUpload(Protocol):
    """A model row holding an upload (evidence of a realisation, of an SKP)."""

    @property
    def file(self) -> FieldFile: ...
    @property
    def original_name(self) -> str: ...
    @property
    def content_type(self) -> str: ...


def stored_file_response(item: StoredUpload) -> FileResponse:
    """``item`` has ``file``, ``original_name`` and ``content_type`` (checked when uploaded);
    a file missing from storage is "not found"."""
    try:
        handle = item.file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
