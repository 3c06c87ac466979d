"""POST /api/v1/indicators/{id}/realisations, GET /api/v1/indicators/{id}/realisations and
POST /api/v1/realisations/{id}/verify."""

import json
from decimal import Decimal as D
from itertools import count

import pytest
from django.utils import timezone

from kinerja.accounts.models import Role, RoleAssignment
from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord, Channel
from kinerja.organizations.scope import forget_scope
from kinerja.strategy import services
from kinerja.strategy.models import DataSource, Realisation

YEAR = 2025
_names = count(1)


@pytest.fixture
def bearer():
    def make(user) -> dict[str, str]:
        _, secret = token_create(name=f"realisations-{next(_names)}", user=user, by=SYSTEM)
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make


@pytest.fixture
def api_post(client, bearer):
    def post(user, path, body):
        return client.post(path, json.dumps(body), content_type="application/json", **bearer(user))

    return post


@pytest.fixture
def api_get(client, bearer):
    def get(user, path, **query):
        return client.get(path, query, **bearer(user))

    return get


def make_indicator(agency, code, **values):
    values = {
        "code": code,
        "name": f"Indicator {code}",
        "unit_of_measure": "menit",
        "polarity": "lower_is_better",
        "aggregation": "average",
        **values,
    }
    if values.get("formula"):
        values["data_source"] = DataSource.FORMULA
    return services.indicator_save(by=SYSTEM, agency=agency, values=values)


@pytest.fixture
def iku(cast):
    """A DINKES indicator without an owning position: the agency head verifies it."""
    return make_indicator(cast.dinkes, "IKU-01")


@pytest.fixture
def owned(cast):
    """A DINKES indicator owned by the nurses' position: its holders enter, their rater
    verifies."""
    return make_indicator(cast.dinkes, "IKU-02", owner_position=cast.positions["perawat"])


def entry_url(indicator) -> str:
    return f"/api/v1/indicators/{indicator.pk}/realisations"


def verify_url(record) -> str:
    return f"/api/v1/realisations/{record.pk}/verify"


def fields(response) -> list[str]:
    assert response.status_code == 422, response.content
    return [error["field"] for error in response.json()["errors"]]


# --- Entering -----------------------------------------------------------------------------------


def test_the_pengelola_enters_a_months_value_and_gets_the_record(cast, api_post, iku):
    response = api_post(
        cast.pengelola,
        entry_url(iku),
        {
            "period": f"{YEAR}-03",
            "value": "12,5",
            "note": "Dari register IGD",
            "supporting": "Ambulans kedua",
            "hindering": "Hujan\ndi bulan Maret",
        },
    )

    assert response.status_code == 201, response.content
    data = response.json()
    record = Realisation.objects.get(pk=data["id"])
    assert (record.indicator, record.year, record.month, record.value) == (iku, YEAR, 3, D("12.5"))
    assert data == {
        "id": record.pk,
        "indicator": iku.pk,
        "period": f"{YEAR}-03",
        "value": 12.5,
        "note": "Dari register IGD",
        "supporting": "Ambulans kedua",
        "hindering": "Hujan\ndi bulan Maret",
        "state": "submitted",
        "corrects": None,
        "superseded_at": None,
        "entered_by": cast.pengelola.username,
        "entered_at": timezone.localtime(record.entered_at).isoformat(),
        "verified_by": None,
        "verified_at": None,
        "verification_note": "",
    }
    assert data["entered_at"].endswith("+07:00")


@pytest.mark.parametrize("value", [0.1, "0.1", "0,1"])
def test_a_value_is_stored_as_the_exact_decimal_sent(cast, api_post, iku, value):
    response = api_post(cast.pengelola, entry_url(iku), {"period": f"{YEAR}-01", "value": value})

    assert response.status_code == 201
    assert Realisation.objects.get().value == D("0.1")
    assert response.json()["value"] == 0.1


def test_the_entry_is_audited_as_made_through_the_api(cast, api_post, iku):
    api_post(cast.pengelola, entry_url(iku), {"period": f"{YEAR}-01", "value": 9})

    record = AuditRecord.objects.get(object_type="strategy.realisation")
    assert (record.channel, record.actor_label) == (Channel.API, cast.pengelola.username)


def test_sending_the_same_value_again_answers_200_with_the_existing_record(cast, api_post, iku):
    body = {"period": f"{YEAR}-02", "value": 9, "note": "Register"}
    first = api_post(cast.pengelola, entry_url(iku), body)

    again = api_post(cast.pengelola, entry_url(iku), {**body, "value": "9.0000"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Realisation.objects.count() == 1


def test_a_correction_supersedes_and_keeps_the_earlier_value(cast, api_post, api_get, iku):
    first = api_post(cast.pengelola, entry_url(iku), {"period": f"{YEAR}-02", "value": 9})
    second = api_post(cast.pengelola, entry_url(iku), {"period": f"{YEAR}-02", "value": 8})
    third = api_post(cast.pengelola, entry_url(iku), {"period": f"{YEAR}-02", "value": "7.5"})
    other = api_post(cast.pengelola, entry_url(iku), {"period": f"{YEAR}-01", "value": 10})

    assert [r.status_code for r in (first, second, third, other)] == [201] * 4
    ids = [r.json()["id"] for r in (first, second, third, other)]
    assert second.json()["corrects"] == ids[0]
    assert third.json()["corrects"] == ids[1]
    history = api_get(cast.employee, entry_url(iku), year=YEAR)
    assert history.status_code == 200
    rows = history.json()
    # by month, newest first within the month
    assert [(r["period"], r["id"]) for r in rows] == [
        (f"{YEAR}-01", ids[3]),
        (f"{YEAR}-02", ids[2]),
        (f"{YEAR}-02", ids[1]),
        (f"{YEAR}-02", ids[0]),
    ]
    assert [r["value"] for r in rows] == [10, 7.5, 8, 9]
    assert [r["corrects"] for r in rows] == [None, ids[1], ids[0], None]
    assert rows[1]["superseded_at"] is None
    assert rows[2]["superseded_at"] is not None
    assert rows[3]["superseded_at"] is not None
    assert history["X-Total-Count"] == "4"


def test_the_history_of_another_year_is_separate(cast, api_post, api_get, iku):
    services.realisation_record(by=SYSTEM, indicator=iku, year=YEAR - 1, month=5, value=D("3"))
    api_post(cast.pengelola, entry_url(iku), {"period": f"{YEAR}-05", "value": 4})

    rows = api_get(cast.head, entry_url(iku), year=YEAR - 1).json()

    assert [(r["period"], r["value"]) for r in rows] == [(f"{YEAR - 1}-05", 3)]


def test_the_holder_of_the_owning_position_may_enter(cast, api_post, owned):
    response = api_post(cast.employee, entry_url(owned), {"period": f"{YEAR}-04", "value": 14})

    assert response.status_code == 201
    assert response.json()["entered_by"] == cast.employee.username


@pytest.mark.parametrize("persona", ["rater", "rater_superior", "head", "auditor"])
def test_those_who_neither_manage_nor_own_get_403(cast, api_post, owned, persona):
    response = api_post(
        cast.users[persona], entry_url(owned), {"period": f"{YEAR}-04", "value": 14}
    )

    assert response.status_code == 403
    assert set(response.json()) == {"error"}
    assert not Realisation.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "other_head"])
def test_an_outsider_gets_404_for_another_agencys_indicator(cast, api_post, api_get, iku, persona):
    user = cast.users[persona]
    hidden = api_post(user, entry_url(iku), {"period": f"{YEAR}-04", "value": 14})
    missing = api_post(
        user, "/api/v1/indicators/999999/realisations", {"period": f"{YEAR}-04", "value": 14}
    )
    history = api_get(user, entry_url(iku), year=YEAR)

    assert hidden.status_code == missing.status_code == history.status_code == 404
    assert hidden.json() == missing.json()
    assert not Realisation.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"period": f"{YEAR}-13", "value": 1}, "period"),
        ({"period": f"{YEAR}", "value": 1}, "period"),
        ({"period": f"{YEAR}-Q1", "value": 1}, "period"),
        ({"period": "March", "value": 1}, "period"),
        ({"period": "2999-01", "value": 1}, "period"),  # beyond the years of the system
        ({"value": 1}, "period"),
        ({"period": f"{YEAR}-01", "value": "twelve"}, "value"),
        ({"period": f"{YEAR}-01", "value": "1.00001"}, "value"),
        ({"period": f"{YEAR}-01", "value": None}, "value"),
        ({"period": f"{YEAR}-01", "value": False}, "value"),
        ({"period": f"{YEAR}-01"}, "value"),
        ({"period": f"{YEAR}-01", "value": 1, "note": "bad\x00note"}, "note"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(cast, api_post, iku, body, field):
    response = api_post(cast.pengelola, entry_url(iku), body)

    assert field in fields(response)
    assert not Realisation.objects.exists()


def test_a_future_month_is_refused_on_the_period(cast, api_post, iku):
    today = timezone.localdate()
    future = f"{today.year + 1}-01"

    response = api_post(cast.pengelola, entry_url(iku), {"period": future, "value": 1})

    assert fields(response) == ["period"]


def test_a_quarterly_indicator_reports_only_in_the_quarters_last_month(cast, api_post):
    quarterly = make_indicator(cast.dinkes, "IKU-03", period_type="quarterly")

    wrong = api_post(cast.pengelola, entry_url(quarterly), {"period": f"{YEAR}-02", "value": 1})
    right = api_post(cast.pengelola, entry_url(quarterly), {"period": f"{YEAR}-03", "value": 1})

    assert fields(wrong) == ["period"]
    assert right.status_code == 201


def test_a_formula_indicators_values_are_computed_not_entered(cast, api_post, iku):
    computed = make_indicator(cast.dinkes, "IKU-04", formula="{IKU-01} * 2")

    response = api_post(cast.pengelola, entry_url(computed), {"period": f"{YEAR}-02", "value": 1})

    assert fields(response) == ["indicator"]


def test_without_a_token_entering_is_refused(cast, client, iku):
    response = client.post(
        entry_url(iku),
        json.dumps({"period": f"{YEAR}-01", "value": 1}),
        content_type="application/json",
    )

    assert response.status_code == 401


# --- Verifying ----------------------------------------------------------------------------------


@pytest.fixture
def entered(cast, iku):
    """A value entered by the pengelola, awaiting verification by the agency head."""
    return services.realisation_record(
        indicator=iku, year=YEAR, month=6, value=D("11"), by=cast.pengelola
    )


def test_the_agency_head_verifies_a_value_of_an_indicator_without_owner(cast, api_post, entered):
    response = api_post(cast.head, verify_url(entered), {"accept": True, "note": "Sesuai"})

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


def test_returning_a_value_needs_a_reason(cast, api_post, entered):
    without = api_post(cast.head, verify_url(entered), {"accept": False})
    with_reason = api_post(
        cast.head, verify_url(entered), {"accept": False, "note": "Lampirkan register"}
    )

    assert fields(without) == ["note"]
    assert with_reason.status_code == 200
    assert with_reason.json()["state"] == "returned"


def test_the_rater_of_the_owner_verifies_and_the_owner_may_not(cast, api_post, owned):
    record = services.realisation_record(
        indicator=owned, year=YEAR, month=6, value=D("11"), by=cast.employee
    )

    by_owner = api_post(cast.employee, verify_url(record), {"accept": True})
    by_colleague = api_post(cast.colleague, verify_url(record), {"accept": True})
    by_rater = api_post(cast.rater, verify_url(record), {"accept": True})

    assert (by_owner.status_code, by_colleague.status_code) == (403, 403)
    assert by_rater.status_code == 200


def test_the_one_who_entered_a_value_may_not_verify_it(cast, api_post, iku):
    # The head is also the agency's performance administrator here: they may both enter and
    # verify, but never verify their own entry.
    RoleAssignment.objects.create(user=cast.head, role=Role.PENGELOLA_KINERJA, agency=cast.dinkes)
    forget_scope(cast.head)
    entered = api_post(cast.head, entry_url(iku), {"period": f"{YEAR}-07", "value": 5})
    assert entered.status_code == 201

    response = api_post(
        cast.head, f"/api/v1/realisations/{entered.json()['id']}/verify", {"accept": True}
    )

    assert response.status_code == 403
    assert Realisation.objects.get().state == "submitted"


@pytest.mark.parametrize("persona", ["pengelola", "rater", "auditor", "admin", "employee"])
def test_those_who_are_not_the_owners_superior_get_403(cast, api_post, entered, persona):
    response = api_post(cast.users[persona], verify_url(entered), {"accept": True})

    assert response.status_code == 403
    entered.refresh_from_db()
    assert entered.state == "submitted"


@pytest.mark.parametrize("persona", ["outsider", "other_head"])
def test_an_outsider_gets_404_for_verifying_another_agencys_value(cast, api_post, entered, persona):
    hidden = api_post(cast.users[persona], verify_url(entered), {"accept": True})
    missing = api_post(cast.users[persona], "/api/v1/realisations/999999/verify", {"accept": True})

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_verifying_twice_or_a_superseded_value_is_a_409(cast, api_post, entered):
    newer = services.realisation_record(
        indicator=entered.indicator, year=YEAR, month=6, value=D("10"), by=cast.pengelola
    )

    superseded = api_post(cast.head, verify_url(entered), {"accept": True})
    first = api_post(cast.head, verify_url(newer), {"accept": True})
    again = api_post(cast.head, verify_url(newer), {"accept": True})

    assert (superseded.status_code, first.status_code, again.status_code) == (409, 200, 409)
    assert set(again.json()) == {"error"}
    assert first.json()["corrects"] == entered.pk


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "accept"), ({"accept": "maybe"}, "accept"), ({"accept": True, "note": 5}, "note")],
)
def test_a_bad_verification_body_is_a_422(cast, api_post, entered, body, field):
    response = api_post(cast.head, verify_url(entered), body)

    assert fields(response) == [field]
