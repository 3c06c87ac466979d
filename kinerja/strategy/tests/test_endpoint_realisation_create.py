"""POST /api/v1/indicators/{id}/realisations (``realisation_create``): the Pengelola Kinerja
or the holder of the owning position enters a month's value (the exact decimal, audited as made
through the API; the same value again answers 200); those who neither manage nor own get 403,
an outsider 404; bad input, a future month, a quarterly indicator outside its reporting month
and a formula indicator refused; without a token refused."""

import json
from decimal import Decimal as D

import pytest
from django.utils import timezone

from kinerja.core.models import AuditRecord, Channel
from kinerja.strategy.models import Realisation

from .api_support import entry_url, fields, new_indicator

YEAR = 2025


# --- Entering -----------------------------------------------------------------------------------


def test_the_pengelola_enters_a_months_value_and_gets_the_record(cast, api_post_to, iku):
    response = api_post_to(
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
def test_a_value_is_stored_as_the_exact_decimal_sent(cast, api_post_to, iku, value):
    response = api_post_to(cast.pengelola, entry_url(iku), {"period": f"{YEAR}-01", "value": value})

    assert response.status_code == 201
    assert Realisation.objects.get().value == D("0.1")
    assert response.json()["value"] == 0.1


def test_the_entry_is_audited_as_made_through_the_api(cast, api_post_to, iku):
    api_post_to(cast.pengelola, entry_url(iku), {"period": f"{YEAR}-01", "value": 9})

    record = AuditRecord.objects.get(object_type="strategy.realisation")
    assert (record.channel, record.actor_label) == (Channel.API, cast.pengelola.username)


def test_sending_the_same_value_again_answers_200_with_the_existing_record(cast, api_post_to, iku):
    body = {"period": f"{YEAR}-02", "value": 9, "note": "Register"}
    first = api_post_to(cast.pengelola, entry_url(iku), body)

    again = api_post_to(cast.pengelola, entry_url(iku), {**body, "value": "9.0000"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Realisation.objects.count() == 1


def test_the_holder_of_the_owning_position_may_enter(cast, api_post_to, owned):
    response = api_post_to(cast.employee, entry_url(owned), {"period": f"{YEAR}-04", "value": 14})

    assert response.status_code == 201
    assert response.json()["entered_by"] == cast.employee.username


@pytest.mark.parametrize("persona", ["rater", "rater_superior", "head", "auditor"])
def test_those_who_neither_manage_nor_own_get_403(cast, api_post_to, owned, persona):
    response = api_post_to(
        cast.users[persona], entry_url(owned), {"period": f"{YEAR}-04", "value": 14}
    )

    assert response.status_code == 403
    assert set(response.json()) == {"error"}
    assert not Realisation.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "other_head"])
def test_an_outsider_gets_404_for_another_agencys_indicator(
    cast, api_post_to, api_get, iku, persona
):
    user = cast.users[persona]
    hidden = api_post_to(user, entry_url(iku), {"period": f"{YEAR}-04", "value": 14})
    missing = api_post_to(
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
def test_bad_input_is_a_422_naming_the_field(cast, api_post_to, iku, body, field):
    response = api_post_to(cast.pengelola, entry_url(iku), body)

    assert field in fields(response)
    assert not Realisation.objects.exists()


def test_a_future_month_is_refused_on_the_period(cast, api_post_to, iku):
    today = timezone.localdate()
    future = f"{today.year + 1}-01"

    response = api_post_to(cast.pengelola, entry_url(iku), {"period": future, "value": 1})

    assert fields(response) == ["period"]


def test_a_quarterly_indicator_reports_only_in_the_quarters_last_month(cast, api_post_to):
    quarterly = new_indicator(cast.dinkes, "IKU-03", period_type="quarterly")

    wrong = api_post_to(cast.pengelola, entry_url(quarterly), {"period": f"{YEAR}-02", "value": 1})
    right = api_post_to(cast.pengelola, entry_url(quarterly), {"period": f"{YEAR}-03", "value": 1})

    assert fields(wrong) == ["period"]
    assert right.status_code == 201


def test_a_formula_indicators_values_are_computed_not_entered(cast, api_post_to, iku):
    computed = new_indicator(cast.dinkes, "IKU-04", formula="{IKU-01} * 2")

    response = api_post_to(
        cast.pengelola, entry_url(computed), {"period": f"{YEAR}-02", "value": 1}
    )

    assert fields(response) == ["indicator"]


def test_without_a_token_entering_is_refused(cast, client, iku):
    response = client.post(
        entry_url(iku),
        json.dumps({"period": f"{YEAR}-01", "value": 1}),
        content_type="application/json",
    )

    assert response.status_code == 401
