"""Uploading evidence (``skp:evidence_add``): uploaded, listed and downloaded as an attachment;
a file that is not what it claims, or evidence on a draft, refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.skp.models import SkpEvidence

from .support import (
    PDF,
    approved,
    draft,
    english,
    evidence_add_url,
    evidence_url,
    first_iki,
    pdf_upload,
    realisation_url,
)

pytestmark = pytest.mark.django_db


# --- Evidence ------------------------------------------------------------------------------------


def _upload(client, skp, upload, period=None):
    return client.post(
        evidence_add_url(skp),
        {
            "e-iki": first_iki(skp).pk,
            "e-period": period or f"{skp.year}-Q1",
            "e-file": upload,
            "e-description": "Rekap Maret",
        },
    )


def test_evidence_is_uploaded_listed_and_downloaded_as_an_attachment(cast, client_for):
    skp = approved(cast)
    client = client_for(cast.employee)
    response = _upload(client, skp, pdf_upload("Rekap Maret.pdf"))
    assert response.status_code == 302
    item = SkpEvidence.objects.get()
    html = client.get(realisation_url(skp)).content.decode()
    assert evidence_url(item) in html and "Rekap Maret.pdf" in html
    response = client_for(cast.rater).get(evidence_url(item))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_file_that_is_not_what_it_claims_is_refused_on_the_file_field(cast, client_for):
    skp = approved(cast)
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = _upload(client_for(cast.employee), skp, fake)
    assert response.status_code == 400
    assert "file" in response.context["evidence_form"].errors
    assert not SkpEvidence.objects.exists()


def test_evidence_on_a_draft_is_refused(cast, client_for):
    skp = draft(cast)
    response = english(client_for(cast.employee))
    response = _upload(response, skp, pdf_upload())
    assert response.status_code == 400
    assert "once the plan is approved" in str(response.context["evidence_form"].errors)
    assert not SkpEvidence.objects.exists()
