"""Verifying a value (``strategy:realisation_verify``): the head verifies what the Pengelola
Kinerja entered, returning needs a note, a verified value is not verified again; only the
owner's superior verifies, never the person who entered the value."""

from decimal import Decimal

import pytest

from kinerja.strategy import services

from .support import (
    also_pengelola,
    build_sample,
    current_value,
    indicator_url,
    realisation_verify_url,
)

# --- Verification --------------------------------------------------------------------------------


def test_the_head_verifies_a_value_the_pengelola_entered(cast, client_for):
    sample = build_sample(cast, verified=False)
    value = current_value(sample.response, sample.year, 6)
    client = client_for(cast.head)
    html = client.get(indicator_url(sample.response, sample.year)).content.decode()
    assert f'id="verify-{value.pk}"' in html
    response = client.post(realisation_verify_url(value), {f"v{value.pk}-action": "accept"})
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.state, value.verified_by) == ("verified", cast.head)


def test_returning_needs_a_note(cast, client_for):
    sample = build_sample(cast, verified=False)
    value = current_value(sample.response, sample.year, 6)
    client = client_for(cast.head)
    response = client.post(realisation_verify_url(value), {f"v{value.pk}-action": "return"})
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.month == 6)
    assert row.verify_form.errors["note"]
    value.refresh_from_db()
    assert value.state == "submitted"
    response = client.post(
        realisation_verify_url(value),
        {f"v{value.pk}-action": "return", f"v{value.pk}-note": "Bukti kurang"},
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.state, value.verification_note) == ("returned", "Bukti kurang")


def test_a_value_already_verified_is_not_verified_again(cast, client_for):
    sample = build_sample(cast, verified=False)
    value = current_value(sample.response, sample.year, 6)
    services.realisation_verify(realisation=value, by=cast.head, accept=True)
    response = client_for(cast.head).post(
        realisation_verify_url(value), {f"v{value.pk}-action": "return", f"v{value.pk}-note": "x"}
    )
    assert response.status_code == 200
    value.refresh_from_db()
    assert value.state == "verified"


@pytest.mark.parametrize("persona", ["pengelola", "rater", "employee", "auditor", "admin"])
def test_only_the_owners_superior_verifies(cast, client_for, persona):
    sample = build_sample(cast, verified=False)
    value = current_value(sample.response, sample.year, 6)
    response = client_for(cast.users[persona]).post(
        realisation_verify_url(value), {f"v{value.pk}-action": "accept"}
    )
    assert response.status_code == 403
    value.refresh_from_db()
    assert value.state == "submitted"


def test_the_person_who_entered_a_value_does_not_verify_it(cast, client_for):
    sample = build_sample(cast, verified=False)
    also_pengelola(cast, cast.head)  # the head may enter here, and verifies the agency's values
    value = services.realisation_record(
        indicator=sample.response, year=sample.year, month=7, value=Decimal(5), by=cast.head
    )
    assert (
        client_for(cast.head)
        .post(realisation_verify_url(value), {f"v{value.pk}-action": "accept"})
        .status_code
        == 403
    )
