"""Uploading evidence on the indicator page (``strategy:evidence_add``): stored for its month;
a refused file or one over the limit shown on the file field, nothing stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.strategy.models import Evidence

from .support import build_sample, evidence_add_url, pdf_upload

# --- Evidence ------------------------------------------------------------------------------------


def test_evidence_is_stored_for_its_month(cast, client_for):
    sample = build_sample(cast)
    response = client_for(cast.pengelola).post(
        evidence_add_url(sample.response),
        {"e-period": f"{sample.year}-04", "e-file": pdf_upload(), "e-description": "Rekap April"},
    )
    assert response.status_code == 302
    item = Evidence.objects.get(indicator=sample.response)
    assert (item.month, item.content_type, item.description) == (
        4,
        "application/pdf",
        "Rekap April",
    )
    assert item.uploaded_by == cast.pengelola


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rekap.pdf", b"<html><script>alert(1)</script></html>"),  # not a PDF inside
        ("rekap.exe", b"MZ\x90\x00" + b"\x00" * 100),
        ("rekap.png", b"%PDF-1.4 pretending"),  # name and content disagree
        ("kosong.pdf", b""),
    ],
)
def test_a_refused_file_is_shown_on_the_file_field_and_nothing_is_stored(
    cast, client_for, name, content
):
    sample = build_sample(cast)
    response = client_for(cast.pengelola).post(
        evidence_add_url(sample.response),
        {"e-period": f"{sample.year}-04", "e-file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert response.context["evidence_form"].errors["file"]
    assert not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused(cast, client_for, settings):
    settings.KINERJA_MAX_EVIDENCE_MB = 1
    sample = build_sample(cast)
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    response = client_for(cast.pengelola).post(
        evidence_add_url(sample.response), {"e-period": f"{sample.year}-04", "e-file": big}
    )
    assert response.context["evidence_form"].errors["file"]
    assert not Evidence.objects.exists()
