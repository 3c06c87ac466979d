"""POST /api/v1/realisations/{id}/verify (``realisation_verify``): the agency head verifies a
value of an indicator without owner, the owner's rater one of the owner's; returning needs a
reason; the one who entered a value, and those who are not the owner's superior, may not; an
outsider gets 404; verifying twice or a superseded value is a 409; a bad body a 422."""

from decimal import Decimal as D

import pytest

from kinerja.accounts.models import Role, RoleAssignment
from kinerja.organizations.scope import forget_scope
from kinerja.strategy import services
from kinerja.strategy.models import Realisation

from .api_support import entry_url, fields

YEAR = 2025


def verify_url(record) -> str:
    return f"/api/v1/realisations/{record.pk}/verify"


# --- Verifying ----------------------------------------------------------------------------------


@pytest.fixture
def entered(cast, iku):
    """A value entered by the pengelola, awaiting verification by the agency head."""
    return services.realisation_record(
        indicator=iku, year=YEAR, month=6, value=D("11"), by=cast.pengelola
    )


def test_the_agency_head_verifies_a_value_of_an_indicator_without_owner(cast, api_post_to, entered):
    response = api_post_to(cast.head, verify_url(entered), {"accept": True, "note": "Sesuai"})

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["id"], data["state"], data["verified_by"]) == (
        entered.pk,
        "verified",
        cast.head.username,
    )
    assert data["verification_note"] == "Sesuai"
    assert data["verified_at"] is not None
    entered.refresh_from_db()
    assert entered.state == "verified"


def test_returning_a_value_needs_a_reason(cast, api_post_to, entered):
    without = api_post_to(cast.head, verify_url(entered), {"accept": False})
    with_reason = api_post_to(
        cast.head, verify_url(entered), {"accept": False, "note": "Lampirkan register"}
    )

    assert fields(without) == ["note"]
    assert with_reason.status_code == 200
    assert with_reason.json()["state"] == "returned"


def test_the_rater_of_the_owner_verifies_and_the_owner_may_not(cast, api_post_to, owned):
    record = services.realisation_record(
        indicator=owned, year=YEAR, month=6, value=D("11"), by=cast.employee
    )

    by_owner = api_post_to(cast.employee, verify_url(record), {"accept": True})
    by_colleague = api_post_to(cast.colleague, verify_url(record), {"accept": True})
    by_rater = api_post_to(cast.rater, verify_url(record), {"accept": True})

    assert (by_owner.status_code, by_colleague.status_code) == (403, 403)
    assert by_rater.status_code == 200


def test_the_one_who_entered_a_value_may_not_verify_it(cast, api_post_to, iku):
    # The head is also the agency's performance administrator here: they may both enter and
    # verify, but never verify their own entry.
    RoleAssignment.objects.create(user=cast.head, role=Role.PENGELOLA_KINERJA, agency=cast.dinkes)
    forget_scope(cast.head)
    entered = api_post_to(cast.head, entry_url(iku), {"period": f"{YEAR}-07", "value": 5})
    assert entered.status_code == 201

    response = api_post_to(
        cast.head, f"/api/v1/realisations/{entered.json()['id']}/verify", {"accept": True}
    )

    assert response.status_code == 403
    assert Realisation.objects.get().state == "submitted"


@pytest.mark.parametrize("persona", ["pengelola", "rater", "auditor", "admin", "employee"])
def test_those_who_are_not_the_owners_superior_get_403(cast, api_post_to, entered, persona):
    response = api_post_to(cast.users[persona], verify_url(entered), {"accept": True})

    assert response.status_code == 403
    entered.refresh_from_db()
    assert entered.state == "submitted"


@pytest.mark.parametrize("persona", ["outsider", "other_head"])
def test_an_outsider_gets_404_for_verifying_another_agencys_value(
    cast, api_post_to, entered, persona
):
    hidden = api_post_to(cast.users[persona], verify_url(entered), {"accept": True})
    missing = api_post_to(
        cast.users[persona], "/api/v1/realisations/999999/verify", {"accept": True}
    )

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_verifying_twice_or_a_superseded_value_is_a_409(cast, api_post_to, entered):
    newer = services.realisation_record(
        indicator=entered.indicator, year=YEAR, month=6, value=D("10"), by=cast.pengelola
    )

    superseded = api_post_to(cast.head, verify_url(entered), {"accept": True})
    first = api_post_to(cast.head, verify_url(newer), {"accept": True})
    again = api_post_to(cast.head, verify_url(newer), {"accept": True})

    assert (superseded.status_code, first.status_code, again.status_code) == (409, 200, 409)
    assert set(again.json()) == {"error"}
    assert first.json()["corrects"] == entered.pk


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "accept"), ({"accept": "maybe"}, "accept"), ({"accept": True, "note": 5}, "note")],
)
def test_a_bad_verification_body_is_a_422(cast, api_post_to, entered, body, field):
    response = api_post_to(cast.head, verify_url(entered), body)

    assert fields(response) == [field]
