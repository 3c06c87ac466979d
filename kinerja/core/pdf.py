"""Official documents as PDF: the HTML of a Django template through WeasyPrint, in one place
for every document (the SKP, the evaluation, the LKjIP chapter III).

WeasyPrint loads Pango when it is imported and raises ``OSError`` where the library is missing,
so it is imported on first use (:func:`load_weasyprint`) and its absence is
:class:`PdfUnavailable`, which the pages answer with what to install (and the XLSX versions
still work). The documents have no external resources: WeasyPrint fetches only ``data:``
URLs, never a file or a network address that a typed text could name.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any


class PdfUnavailable(Exception):
    """WeasyPrint cannot run here: its system libraries (Pango) are missing."""


def load_weasyprint() -> ModuleType:
    """Import WeasyPrint (a separate function so that tests can stand in for a missing
    Pango)."""
    import weasyprint

    return weasyprint


def refuse_outside(url: str) -> None:
    """Refuse every URL but a ``data:`` one (``ValueError``, which WeasyPrint reports and
    skips)."""
    if not url.startswith("data:"):
        raise ValueError(f"external resource refused: {url[:80]}")


def data_only_fetcher() -> Any:
    """WeasyPrint's URL fetcher for the documents: ``data:`` URLs only (call it after
    :func:`load_weasyprint` succeeded)."""
    from weasyprint.urls import URLFetcher

    class DataOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            refuse_outside(url)
            return super().fetch(url, headers)  # type: ignore[no-untyped-call]  # no hints

    return DataOnly(allowed_protocols={"data"})  # type: ignore[no-untyped-call]  # no hints


def render_pdf(html: str) -> bytes:
    """The PDF of a document's HTML; raises :class:`PdfUnavailable` without WeasyPrint."""
    try:
        weasyprint = load_weasyprint()
    except (OSError, ImportError) as exc:
        raise PdfUnavailable(str(exc)) from exc
    fetcher = data_only_fetcher()
    try:
        pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    except OSError as exc:  # a library that loads lazily (fonts)
        raise PdfUnavailable(str(exc)) from exc
    return pdf
