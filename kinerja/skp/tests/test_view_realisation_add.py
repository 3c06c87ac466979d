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
    label,
    realisation_add_url,
    realisation_entry,
)

pytestmark = pytest.mark.django_db

EXAMPLE = "Write %(thousand)s for one thousand two hundred or %(decimal)s for twelve and a half."


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
    ("typed", "stored"), [("1.200", "1200"), ("1.200,5", "1200.5"), ("12,5", "12.5"), ("87", "87")]
)
def test_a_value_typed_the_indonesian_way_is_stored_as_meant(cast, client_for, typed, stored):
    skp = approved(cast)
    iki = first_iki(skp)
    response = client_for(cast.employee).post(
        realisation_add_url(skp), realisation_entry(iki, value=typed)
    )
    assert response.status_code == 302
    assert IkiRealisation.objects.get(iki=iki).value == Decimal(stored)


@pytest.mark.parametrize("typed", ["1.2", "12.50", "1,2,3", "1.20,5", "1 2"])
def test_an_ambiguous_value_is_refused_with_an_example(cast, client_for, typed):
    skp = approved(cast)
    response = client_for(cast.employee).post(
        realisation_add_url(skp), realisation_entry(first_iki(skp), value=typed)
    )
    assert response.status_code == 400
    [error] = response.context["realisation_form"].errors["value"]
    example = label(EXAMPLE) % {"thousand": "1.200", "decimal": "12,5"}
    assert error.endswith(example)
    assert not IkiRealisation.objects.exists()


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
