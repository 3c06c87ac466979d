"""The import page, its progress and result, the template and the exports.

Who may do what comes from :func:`~kinerja.organizations.scope.scope_for`: importing needs
``can_import`` (a Pengelola Kinerja for their agency, Admin BKPSDM for the region); exporting
needs to read whole agencies (Admin BKPSDM and Auditor: every agency; Pengelola Kinerja and
Pimpinan Instansi: theirs). An import job is seen through ``ImportJob.objects.visible_to``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kinerja.core.tabular.views import download, template_page, upload_page, wants_json
from kinerja.organizations.scope import scope_for

from .. import tabular
from ..changeset import load_state
from ..columns import ORDER, SHEETS
from ..forms import ImportForm
from ..imports import export_agency_codes, import_job_start, job_counts, progress_get
from ..models import ImportJob, ImportStatus

#: The job page lists at most this many errors (the job keeps more).
ERRORS_SHOWN = 500
CSV_DATASETS = {key: SHEETS[key].title.lower() for key in ORDER}
#: Personal data: never kept by a shared cache or the browser's.
NO_STORE = "no-store"


def _require_import(request) -> None:
    if not scope_for(request.user).can_import:
        raise PermissionDenied


def _can_export(user) -> bool:
    scope = scope_for(user)
    return scope.region_read or bool(scope.agencies_read)


@upload_page(_require_import)
def import_start(request):
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, request=request)
        if form.is_valid():
            job = import_job_start(
                by=request.user,
                upload=form.cleaned_data["file"],
                job_id=form.cleaned_data["job_id"],
                dry_run=form.cleaned_data["dry_run"],
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
            url = reverse("organizations:import_job", args=[job.pk])
            if wants_json(request):
                return JsonResponse({"url": url, "id": str(job.pk)})
            return redirect(url)
        if wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
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


def _visible_job(request, job_id) -> ImportJob:
    job = ImportJob.objects.visible_to(request.user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


@login_required
@require_GET
def import_job(request, job_id):
    job = _visible_job(request, job_id)
    context = {
        "job": job,
        "counts": job_counts(job),
        "planned": job.dry_run or job.status == ImportStatus.FAILED,  # nothing was stored
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


import_template = template_page(
    _require_import, tabular.template_xlsx, "templat-impor-kinerja.xlsx", cache_control=NO_STORE
)


@login_required
@require_GET
def export(request, fmt: str):
    if fmt not in {"xlsx", "csv"}:
        raise Http404
    if not _can_export(request.user):
        raise PermissionDenied
    tables = tabular.state_tables(load_state(export_agency_codes(request.user)))
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        data = tabular.write_xlsx(tables)
        return download(data, f"kinerja-organisasi-{stamp}.xlsx", fmt, cache_control=NO_STORE)
    key = request.GET.get("data", "employees")
    if key not in SHEETS:
        raise Http404
    name = f"kinerja-{CSV_DATASETS[key]}-{stamp}.csv"
    return download(tabular.write_csv(key, tables[key]), name, fmt, cache_control=NO_STORE)
