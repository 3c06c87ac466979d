"""Downloads of the official documents of individual performance: the SKP and the evaluation
document as PDF, and a unit's plans and ratings as XLSX (see :mod:`.documents`).

Rights: a document is read by whoever may see the plan (``Skp.objects.visible_to`` /
``Evaluation.objects.visible_to``: the employee, the rater chain, the agency's head and
performance administrators, the region's readers); anyone else gets 404. The exports take a
unit of an agency the person may see (404 otherwise) and hold only the plans they may see.
A bad year or period gets a 400 page that says what to write.

Every file is sent as an attachment with an ASCII file name, ``nosniff`` and a private,
no-store cache: these are personal data.
"""

from __future__ import annotations

import tempfile

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.core.periods import MAX_YEAR, MIN_YEAR, PeriodError
from kinerja.evaluations.models import Evaluation
from kinerja.organizations.models import Unit

from . import documents
from .models import Skp

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
PANGO_HINT = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
#: An export stays in memory up to this size, then spills to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


class BadParameter(Exception):
    """A query parameter that cannot be used; the message says what to write."""


def _private(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _bad_request(request, message: str) -> HttpResponse:
    return render(request, "skp/documents/bad_request.html", {"message": message}, status=400)


def _pdf(request, html: str, filename: str) -> HttpResponse:
    try:
        data = documents.render_pdf(html)
    except documents.PdfUnavailable:
        return render(
            request, "skp/documents/pdf_unavailable.html", {"hint": PANGO_HINT}, status=503
        )
    return _private(HttpResponse(data, content_type=CONTENT_TYPES["pdf"]), filename)


# --- PDF -------------------------------------------------------------------------------------


@require_GET
def skp_pdf(request, skp_id: int):
    skp = documents.document_plans(Skp.objects.visible_to(request.user)).filter(pk=skp_id).first()
    if skp is None:
        raise Http404
    document = documents.skp_document(skp)
    return _pdf(request, documents.skp_html(document), document.filename)


@require_GET
def evaluation_pdf(request, evaluation_id: int):
    evaluation = (
        documents.document_evaluations(Evaluation.objects.visible_to(request.user))
        .filter(pk=evaluation_id)
        .first()
    )
    if evaluation is None:
        raise Http404
    document = documents.evaluation_document(evaluation, viewer=request.user)
    return _pdf(request, documents.evaluation_html(document), document.filename)


# --- XLSX ------------------------------------------------------------------------------------


def _year(raw: str | None, default: int) -> int:
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


def _unit_code(request) -> str:
    code = (request.GET.get("unit") or "").strip()
    if not code:
        raise BadParameter(_("Choose a unit by its code, e.g. unit=DINKES-PKM-PLAJU."))
    return code


def _visible_unit(request, code: str) -> Unit:
    """The unit by its code, if it belongs to an agency the person may see; 404 otherwise."""
    unit = Unit.objects.visible_to(request.user).filter(code=code.upper()).first()
    if unit is None:
        raise Http404
    return unit


def _xlsx(write, filename: str) -> FileResponse:
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the response
    write(out)
    out.seek(0)
    response = FileResponse(out, content_type=CONTENT_TYPES["xlsx"])
    return _private(response, filename)


@require_GET
def plans_xlsx(request):
    """``?unit=<code>&year=<YYYY>``: the plans of the unit and the units below it, one row
    per IKI."""
    try:
        code = _unit_code(request)
        year = _year(request.GET.get("year"), timezone.localdate().year)
    except BadParameter as exc:
        return _bad_request(request, str(exc))
    unit = _visible_unit(request, code)
    plans = Skp.objects.filter(
        pk__in=Skp.objects.visible_to(request.user).values("pk"),
        unit_id__in=documents.unit_subtree(unit),
        year=year,
    )
    return _xlsx(
        lambda out: documents.write_plans_xlsx(plans, out, unit=unit, year=year),
        documents.safe_filename(f"rencana-skp-{unit.code}-{year}", "xlsx"),
    )


@require_GET
def ratings_xlsx(request):
    """``?unit=<code>&year=<YYYY>&period=<YYYY|YYYY-Qn|YYYY-Sn|YYYY-MM>``: the ratings of the
    unit and the units below it, one row per evaluation (every period of the year when no
    period is given)."""
    from kinerja.core.periods import ALL_KINDS, parse_period

    try:
        code = _unit_code(request)
        raw_period = (request.GET.get("period") or "").strip()
        period = ""
        if raw_period:
            try:
                parsed = parse_period(raw_period, kinds=ALL_KINDS)
            except PeriodError as exc:
                raise BadParameter(str(exc)) from None
            period = str(parsed)
            year = _year(request.GET.get("year"), parsed.year)
            if year != parsed.year:
                raise BadParameter(
                    _("The period %(period)s does not lie in %(year)d.")
                    % {"period": period, "year": year}
                )
        else:
            year = _year(request.GET.get("year"), timezone.localdate().year)
    except BadParameter as exc:
        return _bad_request(request, str(exc))
    unit = _visible_unit(request, code)
    evaluations = Evaluation.objects.visible_to(request.user).filter(
        skp__unit_id__in=documents.unit_subtree(unit), skp__year=year
    )
    if period:
        evaluations = evaluations.filter(period=period)
    stem = f"penilaian-{unit.code}-{period or year}"
    return _xlsx(
        lambda out: documents.write_ratings_xlsx(
            evaluations, out, unit=unit, year=year, period=period
        ),
        documents.safe_filename(stem, "xlsx"),
    )
