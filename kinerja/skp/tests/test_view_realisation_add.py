"""Entering a realisation (``skp:realisation_add``): recorded; bad input refused on its field
and nothing stored; an indicator of another plan or a draft refused; readers may not enter
(nor upload)."""

from decimal import Decimal

import pytest

from kinerja.skp.models import IkiRealisation

from .support import (
    approved,
    draft,
    english,
    evidence_add_url,
    first_iki,
    realisation_add_url,
    realisation_entry,
)

pytestmark = pytest.mark.django_db


# --- Entering ------------------------------------------------------------------------------------


def test_the_employee_records_a_realisation(cast, client_for):
    skp = approved(cast)
    iki = first_iki(skp)
    response = client_for(cast.employee).post(
        realisation_add_url(skp), realisation_entry(iki, value="312,5")
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#iki-{iki.pk}")
    stored = IkiRealisation.objects.get(iki=iki)
    assert (stored.period, stored.value, stored.note) == (
        f"{skp.year}-Q1",
        Decimal("312.5"),
        "Rekap loket",
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"r-value": "banyak"}, "value"),
        ({"r-value": ""}, "value"),
        ({"r-period": "2026-13"}, "period"),
        ({"r-period": "2001-Q1"}, "period"),
        ({"r-iki": "999999"}, "iki"),
        ({"r-note": "a\x07b"}, "note"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_stored(cast, client_for, change, field):
    skp = approved(cast)
    data = {**realisation_entry(first_iki(skp)), **change}
    response = client_for(cast.employee).post(realisation_add_url(skp), data)
    assert response.status_code == 400
    assert field in response.context["realisation_form"].errors
    assert not IkiRealisation.objects.exists()


def test_an_indicator_of_another_plan_is_not_accepted(cast, client_for):
    skp = approved(cast)
    other = approved(cast, "colleague")
    response = client_for(cast.pengelola).post(
        realisation_add_url(skp), realisation_entry(first_iki(other))
    )
    assert response.status_code == 400
    assert "iki" in response.context["realisation_form"].errors


def test_a_draft_takes_no_realisation_and_says_why(cast, client_for):
    skp = draft(cast)
    response = english(client_for(cast.employee)).post(
        realisation_add_url(skp), realisation_entry(first_iki(skp))
    )
    assert response.status_code == 400
    assert "once the plan is approved" in str(response.context["realisation_form"].errors)
    assert not IkiRealisation.objects.exists()


@pytest.mark.parametrize("persona", ["rater", "rater_superior", "head"])
def test_readers_may_not_enter(cast, client_for, persona):
    skp = approved(cast)
    client = client_for(cast.users[persona])
    assert (
        client.post(realisation_add_url(skp), realisation_entry(first_iki(skp))).status_code == 403
    )
    assert client.post(evidence_add_url(skp), {}).status_code == 403
