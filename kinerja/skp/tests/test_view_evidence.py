"""Downloading evidence (``skp:evidence``): outsiders get 404; a file missing from storage is
404, not an error."""

import pytest

from kinerja.skp import services

from .support import approved, evidence_url, first_iki, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["outsider", "colleague"])
def test_outsiders_get_404_for_a_download(cast, client_for, persona):
    skp = approved(cast)
    item = services.evidence_add(
        iki=first_iki(skp), period=f"{skp.year}-Q1", upload=pdf_upload(), by=cast.employee
    )
    assert client_for(cast.users[persona]).get(evidence_url(item)).status_code == 404


def test_a_file_missing_from_storage_is_404_not_an_error(cast, client_for):
    skp = approved(cast)
    item = services.evidence_add(
        iki=first_iki(skp), period=f"{skp.year}-Q1", upload=pdf_upload(), by=cast.employee
    )
    item.file.storage.delete(item.file.name)
    assert client_for(cast.employee).get(evidence_url(item)).status_code == 404
