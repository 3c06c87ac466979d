"""Downloads of the evaluation's official documents: the evaluation document as PDF and a
unit's ratings as XLSX (see :mod:`kinerja.evaluations.documents`). They keep the URL names of
the documents (``evaluations:pdf``, ``evaluations:ratings_xlsx``) and share the
rights, refusals and headers of the plan's downloads (:mod:`kinerja.skp.views.documents`):
an evaluation is read by whoever may see its plan (``Evaluation.objects.visible_to``), a unit
of an agency the person may not see is a 404, a bad year or period a 400 that says what to
write.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kinerja.core.access import visible_or_404
from kinerja.core.periods import ALL_KINDS, PeriodError, parse_period, this_year
from kinerja.organizations.models import Unit
from kinerja.skp.documents import safe_filename
from kinerja.skp.selectors import unit_subtree
from kinerja.skp.views.documents import (
    BadParameter,
    bad_request,
    pdf_response,
    unit_code_param,
    xlsx_response,
    year_param,
)

from .. import documents
from ..models import Evaluation


@require_GET
def evaluation_pdf(request, evaluation_id: int):
    evaluation = visible_or_404(
        documents.document_evaluations(Evaluation.objects.all()), request.user, pk=evaluation_id
    )
    document = documents.evaluation_document(evaluation, viewer=request.user)
    return pdf_response(request, documents.evaluation_html(document), document.filename)


def _year_and_period(request) -> tuple[int, str]:
    """The year and the period asked for (a period names its year; a year given with it must
    be the same)."""
    raw_period = (request.GET.get("period") or "").strip()
    if not raw_period:
        return year_param(request.GET.get("year"), this_year()), ""
    try:
        parsed = parse_period(raw_period, kinds=ALL_KINDS)
    except PeriodError as exc:
        raise BadParameter(str(exc)) from None
    period = str(parsed)
    year = year_param(request.GET.get("year"), parsed.year)
    if year != parsed.year:
        raise BadParameter(
            _("The period %(period)s does not lie in %(year)d.") % {"period": period, "year": year}
        )
    return year, period


@require_GET
def ratings_xlsx(request):
    """``?unit=<code>&year=<YYYY>&period=<YYYY|YYYY-Qn|YYYY-Sn|YYYY-MM>``: the ratings of the
    unit and the units below it, one row per evaluation (every period of the year when no
    period is given)."""
    try:
        code = unit_code_param(request)
        year, period = _year_and_period(request)
    except BadParameter as exc:
        return bad_request(request, str(exc))
    unit = visible_or_404(Unit, request.user, code=code.upper())
    evaluations = Evaluation.objects.visible_to(request.user).filter(
        skp__unit_id__in=unit_subtree(unit), skp__year=year
    )
    if period:
        evaluations = evaluations.filter(period=period)
    return xlsx_response(
        lambda out: documents.write_ratings_xlsx(
            evaluations, out, unit=unit, year=year, period=period
        ),
        safe_filename(f"penilaian-{unit.code}-{period or year}", "xlsx"),
    )
