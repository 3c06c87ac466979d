"""core.pdf: documents render through WeasyPrint fetching ``data:`` URLs only."""

import pytest

from kinerja.core import pdf

PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAE"
    "hQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "http://example.com/a.css", "https://example.com/x.png"]
)
def test_the_fetcher_refuses_every_url_but_data(url):
    with pytest.raises(ValueError, match="refused"):
        pdf.data_only_fetcher().fetch(url)


def test_the_fetcher_reads_a_data_url():
    response = pdf.data_only_fetcher().fetch(PIXEL)
    assert response.read().startswith(b"\x89PNG")


def test_a_document_naming_outside_resources_still_renders_without_them():
    html = f'<p>Dokumen</p><img src="{PIXEL}"><img src="file:///etc/passwd">'
    assert pdf.render_pdf(html).startswith(b"%PDF-")


def test_without_weasyprint_rendering_is_unavailable(monkeypatch):
    def missing():
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "load_weasyprint", missing)
    with pytest.raises(pdf.PdfUnavailable, match="libpango"):
        pdf.render_pdf("<p>x</p>")
