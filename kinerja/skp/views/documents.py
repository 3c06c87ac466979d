"""Downloads of the plans' official documents: the SKP as PDF and a unit's plans as XLSX (see
:mod:`kinerja.skp.documents`); and what every download of individual performance shares —
the evaluation document and the ratings are the evaluation app's
(:mod:`kinerja.evaluations.views.documents`).

Rights: a document is read by whoever may see the plan (``Skp.objects.visible_to``: the
employee, the rater chain, the agency's head and performance administrators, the region's
readers); anyone else gets 404. The exports take a unit of an agency the person may see (404
otherwise) and hold only the plans they may see. A bad year or period gets a 400 page that
says what to write.

Every file is sent as an attachment with an ASCII file name, ``nosniff`` and a private,
no-store cache: these are personal data.
"""

from __future__ import annotations

import tempfile

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.core.access import visible_or_404
from kinerja.core.periods import MAX_YEAR, MIN_YEAR, this_year
from kinerja.organizations.models import Unit

from .. import documents
from ..models import Skp
from ..selectors import unit_subtree

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
PANGO_HINT = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
#: An export stays in memory up to this size, then spills to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


class BadParameter(Exception):
    """A query parameter that cannot be used; the message says what to write."""


def private(response: HttpResponse, filename: str) -> HttpResponse:
    """The response as a private download named ``filename``."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def bad_request(request, message: str) -> HttpResponse:
    return render(request, "skp/documents/bad_request.html", {"message": message}, status=400)


def pdf_response(request, html: str, filename: str) -> HttpResponse:
    """The document's PDF, or a 503 page that says what to install."""
    try:
        data = documents.render_pdf(html)
    except documents.PdfUnavailable:
        return render(
            request, "skp/documents/pdf_unavailable.html", {"hint": PANGO_HINT}, status=503
        )
    return private(HttpResponse(data, content_type=CONTENT_TYPES["pdf"]), filename)


def xlsx_response(write, filename: str) -> FileResponse:
    """The workbook ``write(out)`` writes, spooled to disk when large."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the response
    write(out)
    out.seek(0)
    return private(FileResponse(out, content_type=CONTENT_TYPES["xlsx"]), filename)


def year_param(raw: str | None, default: int) -> int:
    """The ``year`` asked for (``default`` when none); a bad one is a :class:`BadParameter`."""
    if raw is None or not raw.strip():
        return default
    try:
        year = int(raw.strip())
    except ValueError:
        raise BadParameter(
            _("The year must be a number, e.g. year=%(year)d.") % {"year": default}
        ) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadParameter(
            _("The year must lie between %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    return year


def unit_code_param(request) -> str:
    """The ``unit`` asked for, by its code (looked up by the caller through the unit's door:
    a unit of an agency the person may not see is a 404)."""
    code = (request.GET.get("unit") or "").strip()
    if not code:
        raise BadParameter(_("Choose a unit by its code, e.g. unit=DINKES-PKM-PLAJU."))
    return code


# --- The SKP and a unit's plans ----------------------------------------------------------------


@require_GET
def skp_pdf(request, skp_id: int):
    skp = visible_or_404(documents.document_plans(Skp.objects.all()), request.user, pk=skp_id)
    document = documents.skp_document(skp)
    return pdf_response(request, documents.skp_html(document), document.filename)


@require_GET
def plans_xlsx(request):
    """``?unit=<code>&year=<YYYY>``: the plans of the unit and the units below it, one row
    per IKI."""
    try:
        code = unit_code_param(request)
        year = year_param(request.GET.get("year"), this_year())
    except BadParameter as exc:
        return bad_request(request, str(exc))
    unit = visible_or_404(Unit, request.user, code=code.upper())
    plans = Skp.objects.filter(
        pk__in=Skp.objects.visible_to(request.user).values("pk"),
        unit_id__in=unit_subtree(unit),
        year=year,
    )
    return xlsx_response(
        lambda out: documents.write_plans_xlsx(plans, out, unit=unit, year=year),
        documents.safe_filename(f"rencana-skp-{unit.code}-{year}", "xlsx"),
    )
