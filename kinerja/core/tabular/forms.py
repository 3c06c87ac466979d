"""The upload of a file to import: the form (file and "check only") and the size limit.

A file beyond ``KINERJA_MAX_UPLOAD_MB`` is not even received: :class:`SizeLimitUploadHandler`
stops reading it (the rest of the body is discarded, not written to a temporary file) and the
form says why. Each app's form names its kind of file (``organizations.forms.ImportForm``,
``strategy.views.spreadsheets.ImportForm``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    # django-stubs' name of "a text or a lazy translation of one" (``gettext_lazy``).
    from django.utils.functional import _StrOrPromise

MB = 1024 * 1024
#: The attribute by which :class:`SizeLimitUploadHandler` tells the form the file was too big.
TOO_BIG = "kinerja_upload_too_big"


def max_upload_bytes() -> int:
    return settings.KINERJA_MAX_UPLOAD_MB * MB


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops receiving a file beyond the size limit and marks the request, so that the form
    can say why."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            setattr(self.request, TOO_BIG, True)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def limit_upload_size(request: HttpRequest) -> None:
    """Put the size limit in front of the request's upload handlers (before the body is
    read, that is before CSRF is checked: see :func:`.views.upload_page`)."""
    limit = SizeLimitUploadHandler(request, max_upload_bytes())
    request.upload_handlers = [limit, *request.upload_handlers]


def file_field(*, label: _StrOrPromise, help_text: _StrOrPromise, accept: str) -> forms.FileField:
    """The file of an import form; ``accept`` lists the file types the browser offers. Not
    required by the field: :meth:`ImportForm.clean_file` says what is wrong."""
    return forms.FileField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"accept": accept}),
    )


class ImportForm(forms.Form):
    """A file and "check only". Subclasses name the file's kind in ``file`` (see
    :func:`file_field`) and may check its content in :meth:`check_upload`."""

    file = file_field(label=gettext_lazy("File"), help_text="", accept=".xlsx,.csv")
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only (dry run)"),
        required=False,
        help_text=gettext_lazy("Check every row and show what would change; store nothing."),
    )

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.too_big: bool = getattr(request, TOO_BIG, False)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile | None = self.cleaned_data.get("file")
        if self.too_big or (upload is not None and (upload.size or 0) > max_upload_bytes()):
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; split it into several files.")
                % {"mb": settings.KINERJA_MAX_UPLOAD_MB}
            )
        if upload is None:
            raise forms.ValidationError(_("Choose a file to import."))
        self.check_upload(upload)
        return upload

    def check_upload(self, upload: UploadedFile) -> None:
        """Refuse an upload whose content is wrong (raise ``ValidationError``)."""
