"""Official documents of plans (domain.md §3, issue 5 "Documents"):

* the **SKP** in the form of PermenPANRB 6/2022 — :func:`skp_document` → :func:`skp_html` →
  :func:`render_pdf` (:mod:`.pdf`);
* the **XLSX export** of a unit's plans, one row per IKI — :func:`write_plans_xlsx`
  (:mod:`.xlsx`, whose :class:`~.xlsx.Sheet` every export of individual performance writes
  through);
* what the documents share — the regulation's words, dates, identity blocks, lines of results
  (:mod:`.common`).

The evaluation document and the ratings export are the evaluation app's
(:mod:`kinerja.evaluations.documents`), built on the same pieces.
"""

from kinerja.core.pdf import PdfUnavailable, render_pdf

from .common import DOCUMENT_LANGUAGE, safe_filename
from .pdf import document_plans, skp_document, skp_html
from .xlsx import PLAN_COLUMNS, column_titles, plan_rows, write_plans_xlsx

__all__ = [
    "DOCUMENT_LANGUAGE",
    "PLAN_COLUMNS",
    "PdfUnavailable",
    "column_titles",
    "document_plans",
    "plan_rows",
    "render_pdf",
    "safe_filename",
    "skp_document",
    "skp_html",
    "write_plans_xlsx",
]
