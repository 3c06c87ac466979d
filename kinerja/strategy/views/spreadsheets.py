"""Spreadsheets and documents of organisational performance: the import page (indicators,
targets and realisations from a workbook), the empty template, the export of an agency's
year, and the LKjIP chapter III table as PDF and XLSX.

The import runs synchronously, inside the request: an indicator workbook is small (tens to
a few hundred rows for a whole region), and every row passes the same operations as the
pages, so the person sees the outcome or the error table at once, with no job to follow.
The file is never stored. Sending the same form again (a reload) is harmless: rows equal to
the stored data change nothing.

Rights: importing needs to manage at least one agency's performance data (Pengelola Kinerja,
Admin BKPSDM), and each row's agency must be one the person manages
(:func:`.permissions.can_manage`); the export and the reports are read by whoever may see the
agency (its own people and the region's readers) — anyone else gets 404.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from kinerja.core.pdf import PdfUnavailable
from kinerja.core.periods import MAX_YEAR, MIN_YEAR
from kinerja.core.tabular import forms as tabular_forms
from kinerja.core.tabular.errors import TabularError
from kinerja.core.tabular.views import download, import_door, template_page, upload_page
from kinerja.organizations.models import Agency
from kinerja.organizations.scope import scope_for

from .. import imports, permissions, report, spreadsheets

PANGO_HINT = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
#: The agency's own figures: never kept by a shared cache.
PRIVATE = "private, no-store"


def _require_import(request) -> None:
    if not scope_for(request.user).can_import:
        raise PermissionDenied


def _visible_agency(request, code: str) -> Agency:
    """The agency by its code, if the person may see it; 404 otherwise (also for a year
    outside the rule tables' range, checked by the callers)."""
    agency = (
        Agency.objects.visible_to(request.user)
        .select_related("region", "head_position")
        .filter(code=code.upper())
        .first()
    )
    if agency is None:
        raise Http404
    return agency


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404


# --- Forms ------------------------------------------------------------------------------------


FILE_HELP = gettext_lazy(
    "An Excel workbook (.xlsx) with the sheets Indikator, Target and Realisasi (any of them), "
    "e.g. the template or an export, filled in."
)


class ImportForm(tabular_forms.ImportForm):
    """An indicator workbook to import."""

    file = tabular_forms.file_field(
        label=gettext_lazy("Workbook"), help_text=FILE_HELP, accept=".xlsx"
    )


class ExportForm(forms.Form):
    agency = forms.ChoiceField(
        label=gettext_lazy("Agency"),
        help_text=gettext_lazy("Whose indicators, targets and realisations, e.g. DINKES."),
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text=gettext_lazy("The targets and realisations of this year, e.g. 2026."),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.code, f"{a.code} — {a.name}") for a in agencies]
        self.fields["year"].widget.attrs.update({"inputmode": "numeric"})


# --- The import page --------------------------------------------------------------------------


@upload_page(_require_import)
def import_start(request):
    agencies = list(Agency.objects.visible_to(request.user).order_by("code"))
    today = timezone.localdate()
    export_form = ExportForm(agencies=agencies, initial={"year": today.year}, prefix="export")
    if request.method == "GET" and "export-agency" in request.GET:
        # The export's address holds the agency and the year; a form without script
        # comes here and is sent on.
        export_form = ExportForm(request.GET, agencies=agencies, prefix="export")
        if export_form.is_valid():
            return redirect(
                "strategy:export",
                agency=export_form.cleaned_data["agency"],
                year=export_form.cleaned_data["year"],
            )
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, request=request)
        if form.is_valid():
            return _run_import(request, form)
    context = {
        "form": form,
        "export_form": export_form,
        "sheets": [imports.SHEETS[key] for key in imports.ORDER],
        "max_mb": settings.KINERJA_MAX_UPLOAD_MB,
        "managed": [a for a in agencies if permissions.can_manage(request.user, a.pk)],
    }
    return render(request, "strategy/import_form.html", context)


def _run_import(request, form: ImportForm):
    upload = form.cleaned_data["file"]
    dry_run = form.cleaned_data["dry_run"]
    name = upload.name or "impor.xlsx"
    outcome = imports.ImportOutcome(dry_run=dry_run)
    try:
        rows = imports.read_workbook(
            name, upload.read(), max_bytes=tabular_forms.max_upload_bytes()
        )
    except TabularError as exc:
        outcome.errors = exc.errors
    else:
        with import_door(request.user, name):
            outcome = imports.import_workbook(rows, by=request.user, dry_run=dry_run)
    context = {
        "file_name": name,
        "outcome": outcome,
        "counts": outcome.summary(),
        "errors": [e.as_dict() for e in outcome.errors],
        "empty": outcome.empty,
    }
    return render(
        request, "strategy/import_result.html", context, status=200 if outcome.ok else 400
    )


import_template = template_page(
    _require_import,
    spreadsheets.template_workbook,
    "templat-indikator-kinerja.xlsx",
    cache_control=PRIVATE,
)


@login_required
@require_GET
def export(request, agency: str, year: int):
    _check_year(year)
    agency_obj = _visible_agency(request, agency)
    data = spreadsheets.write_workbook(spreadsheets.export_tables([agency_obj], year))
    return download(data, f"indikator-{agency_obj.code}-{year}.xlsx", "xlsx", cache_control=PRIVATE)


# --- The LKjIP chapter III table -----------------------------------------------------------


def _chapter_three(request, agency: str, year: int) -> report.ChapterThree:
    _check_year(year)
    return report.chapter_three(agency=_visible_agency(request, agency), year=year)


@login_required
@require_GET
def report_pdf(request, agency: str, year: int):
    table = _chapter_three(request, agency, year)
    try:
        data = report.render_pdf(table)
    except PdfUnavailable:
        return render(
            request,
            "strategy/report_unavailable.html",
            {
                "table": table,
                "hint": PANGO_HINT,
                "xlsx_url": reverse(
                    "strategy:report_xlsx", kwargs={"agency": table.agency.code, "year": year}
                ),
            },
            status=503,
        )
    return download(data, f"{table.filename_stem}.pdf", "pdf", cache_control=PRIVATE)


@login_required
@require_GET
def report_xlsx(request, agency: str, year: int):
    table = _chapter_three(request, agency, year)
    data = report.write_xlsx(table)
    return download(data, f"{table.filename_stem}.xlsx", "xlsx", cache_control=PRIVATE)
