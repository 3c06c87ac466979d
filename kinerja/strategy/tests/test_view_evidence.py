"""Downloading evidence: only through Evidence.objects.visible_to, always as an attachment with
its stored type, never sniffed or shown inline."""

import pytest
from django.urls import reverse

from kinerja.strategy import services

from .support import PDF, build_sample, pdf_upload


@pytest.fixture
def evidence(cast):
    sample = build_sample(cast)
    return services.evidence_add(
        indicator=sample.response,
        year=sample.year,
        month=3,
        upload=pdf_upload("Rekap Maret.pdf"),
        by=cast.pengelola,
    )


def url(item) -> str:
    return reverse("strategy:evidence", args=[item.pk])


@pytest.mark.parametrize("persona", ["employee", "head", "pengelola", "admin", "auditor"])
def test_those_who_see_the_agency_download_the_file_as_an_attachment(
    cast, client_for, evidence, persona
):
    response = client_for(cast.users[persona]).get(url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Rekap" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_an_outsider_gets_404(cast, client_for, evidence):
    assert client_for(cast.outsider).get(url(evidence)).status_code == 404


def test_an_unknown_file_is_404(cast, client_for, evidence):
    assert client_for(cast.admin).get(reverse("strategy:evidence", args=[999])).status_code == 404


def test_a_file_missing_from_storage_is_404_not_an_error(cast, client_for, evidence):
    evidence.file.storage.delete(evidence.file.name)
    assert client_for(cast.head).get(url(evidence)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, evidence):
    response = client.get(url(evidence))
    assert response.status_code == 302
    assert "/masuk/" in response["Location"]


def test_only_get_is_allowed(cast, client_for, evidence):
    assert client_for(cast.head).post(url(evidence)).status_code == 405
