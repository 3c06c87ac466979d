"""The import page, its progress and result, the template and the exports.

Who may do what comes from :func:`~kinerja.organizations.scope.scope_for`: importing needs
``can_import`` (a Pengelola Kinerja for their agency, Admin BKPSDM for the region); exporting
needs to read whole agencies (Admin BKPSDM and Auditor: every agency; Pengelola Kinerja and
Pimpinan Instansi: theirs). An import job is seen through ``ImportJob.objects.visible_to``.
"""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.organizations.scope import scope_for

from . import tabular
from .changeset import load_state
from .columns import ORDER, SHEETS
from .imports import progress_get, run_import_job
from .models import Agency, ImportJob

#: The job page lists at most this many errors (the job keeps more).
ERRORS_SHOWN = 500
CSV_DATASETS = {key: SHEETS[key].title.lower() for key in ORDER}


def _max_bytes() -> int:
    return settings.KINERJA_MAX_UPLOAD_MB * 1024 * 1024


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops receiving a file beyond the size limit (the rest of the body is discarded, not
    written to a temporary file) and marks the request, so that the form can say why."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.kinerja_upload_too_big = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        help_text=gettext_lazy(
            "An Excel workbook (.xlsx) with the sheets Instansi, Unit, Jabatan and Pegawai (any "
            "of them), or a CSV file (.csv, UTF-8) with one of them."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only (dry run)"),
        required=False,
        help_text=gettext_lazy("Check every row and show what would change; store nothing."),
    )
    job_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, too_big: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_big = too_big

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        limit = _max_bytes()
        if self.too_big or (upload is not None and upload.size > limit):
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; split it into several files.")
                % {"mb": settings.KINERJA_MAX_UPLOAD_MB}
            )
        if upload is None:
            raise forms.ValidationError(_("Choose a file to import."))
        try:
            tabular.file_kind(upload.name)
            upload.seek(0)
            tabular.check_file(upload.name, upload.read(), max_bytes=limit)
        except tabular.TabularError as exc:
            raise forms.ValidationError([str(e.message) for e in exc.errors]) from None
        finally:
            upload.seek(0)
        return upload

    def clean_job_id(self):
        """The page makes the job's id up front (to follow its progress while uploading);
        without script, or with a malformed id, the server makes one."""
        raw = (self.cleaned_data.get("job_id") or "").strip()
        try:
            job_id = uuid.UUID(raw)
        except ValueError:
            return uuid.uuid4()
        if ImportJob.objects.filter(pk=job_id).exists():
            raise forms.ValidationError(_("This import has been started already."))
        return job_id


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _require_import(request) -> None:
    if not scope_for(request.user).can_import:
        raise PermissionDenied


def _can_export(user) -> bool:
    scope = scope_for(user)
    return scope.region_read or bool(scope.agencies_read)


@csrf_exempt  # checked by _import_start, after the upload handler is in place
@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    _require_import(request)
    if request.method == "POST":
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request, _max_bytes()))
    return _import_start(request)


@csrf_protect
def _import_start(request):
    if request.method == "POST":
        form = ImportForm(
            request.POST,
            request.FILES,
            too_big=getattr(request, "kinerja_upload_too_big", False),
        )
        if form.is_valid():
            job = _start_job(request, form)
            url = reverse("organizations:import_job", args=[job.pk])
            if _wants_json(request):
                return JsonResponse({"url": url, "id": str(job.pk)})
            return redirect(url)
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    else:
        form = ImportForm()
    context = {
        "form": form,
        "sheets": [SHEETS[key] for key in ORDER],
        "max_mb": settings.KINERJA_MAX_UPLOAD_MB,
        "can_export": _can_export(request.user),
        "csv_datasets": CSV_DATASETS,
        "jobs": list(
            ImportJob.objects.visible_to(request.user).filter(created_by=request.user)[:10]
        ),
        "status_url_pattern": reverse("organizations:import_status", args=[uuid.UUID(int=0)]),
    }
    return render(request, "organizations/import_form.html", context)


def _start_job(request, form: ImportForm) -> ImportJob:
    upload = form.cleaned_data["file"]
    job = ImportJob(
        id=form.cleaned_data["job_id"],
        created_by=request.user,
        original_name=upload.name[-200:],
        dry_run=form.cleaned_data["dry_run"],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    # The file goes to the private storage (outside any web root) under the job's id.
    job.file.save(upload.name, upload, save=False)
    job.save()
    # The inline backend runs the task here, before the response; a worker backend later.
    run_import_job.enqueue(str(job.pk))
    return job


def _visible_job(request, job_id) -> ImportJob:
    job = ImportJob.objects.visible_to(request.user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


@login_required
@require_GET
def import_job(request, job_id):
    job = _visible_job(request, job_id)
    counts = [
        {"title": SHEETS[key].title, **job.summary[key]} for key in ORDER if key in job.summary
    ]
    context = {
        "job": job,
        "counts": counts,
        "errors": job.errors[:ERRORS_SHOWN],
        "error_count": len(job.errors),
        "progress": progress_get(job.pk),
        "can_import": scope_for(request.user).can_import,
    }
    return render(request, "organizations/import_job.html", context)


@login_required
@require_GET
@never_cache
def import_status(request, job_id):
    job = ImportJob.objects.visible_to(request.user).filter(pk=job_id).first()
    if job is None:
        # Also while the file is still uploading: the page keeps asking.
        return JsonResponse({"status": "unknown"}, status=404)
    progress = progress_get(job.pk)
    return JsonResponse(
        {
            "status": job.status,
            "phase": progress.get("phase", ""),
            "done": progress.get("done", 0),
            "total": progress.get("total", 0),
            "finished": job.finished,
            "summary": job.summary,
            "error_count": len(job.errors),
        }
    )


@login_required
@require_GET
def import_template(request):
    _require_import(request)
    return _download(tabular.template_xlsx(), "templat-impor-kinerja.xlsx", "xlsx")


@login_required
@require_GET
def export(request, fmt: str):
    if fmt not in {"xlsx", "csv"}:
        raise Http404
    if not _can_export(request.user):
        raise PermissionDenied
    scope = scope_for(request.user)
    codes = None
    if not scope.region_read:
        codes = list(
            Agency.objects.filter(pk__in=scope.agencies_read).values_list("code", flat=True)
        )
    tables = tabular.state_tables(load_state(codes))
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        return _download(tabular.write_xlsx(tables), f"kinerja-organisasi-{stamp}.xlsx", fmt)
    key = request.GET.get("data", "employees")
    if key not in SHEETS:
        raise Http404
    name = f"kinerja-{CSV_DATASETS[key]}-{stamp}.csv"
    return _download(tabular.write_csv(key, tables[key]), name, fmt)


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _download(data: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: never kept by a shared cache or the browser's.
    response["Cache-Control"] = "no-store"
    return response
