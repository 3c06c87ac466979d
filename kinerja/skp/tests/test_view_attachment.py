"""The plan's attachment and approach (``skp:attachment``): saved; a bad approach or control
characters refused on their field."""

import pytest

from .support import attachment_url, detail_url, draft

pytestmark = pytest.mark.django_db


# --- The attachment -----------------------------------------------------------------------------


def test_the_attachment_and_approach_are_saved(cast, client_for):
    skp = draft(cast)
    data = {
        "approach": "kualitatif",
        "resources": "Vaksin, lemari es",
        "accountability": "Laporan bulanan",
        "consequences": "Teguran",
    }
    client = client_for(cast.employee)
    assert client.get(attachment_url(skp)).status_code == 200
    response = client.post(attachment_url(skp), data)
    assert response.status_code == 302
    skp.refresh_from_db()
    assert (skp.approach, skp.resources, skp.consequences) == (
        "kualitatif",
        "Vaksin, lemari es",
        "Teguran",
    )
    assert "Vaksin, lemari es" in client.get(detail_url(skp)).content.decode()


def test_a_bad_approach_is_refused_on_its_field(cast, client_for):
    skp = draft(cast)
    response = client_for(cast.employee).post(attachment_url(skp), {"approach": "campuran"})
    assert response.status_code == 400
    assert "approach" in response.context["form"].errors
    skp.refresh_from_db()
    assert skp.approach == "kuantitatif"


def test_control_characters_in_the_attachment_are_refused_with_the_field(cast, client_for):
    skp = draft(cast)
    response = client_for(cast.employee).post(
        attachment_url(skp), {"approach": "kuantitatif", "resources": "a\x07b"}
    )
    assert response.status_code == 400
    assert "resources" in response.context["form"].errors
