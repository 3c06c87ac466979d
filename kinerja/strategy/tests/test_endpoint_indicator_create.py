"""POST /api/v1/indicators (``indicator_create``): the Pengelola Kinerja creates an indicator
with its targets (exact decimals, a range with quarterly pairs, a formula, or none), audited as
made through the API; Admin BKPSDM for any agency; bad input named by field; a duplicate code
refused; those who do not manage the agency get 403, an outsider learns nothing; a frozen
agreement is a 409; and the OpenAPI document of the performance operations."""

import json
from decimal import Decimal as D

import pytest

from kinerja.core.models import AuditRecord, Channel
from kinerja.strategy.models import Indicator, IndicatorTarget, PerformanceAgreement, QuarterTarget

from .api_support import fields

URL = "/api/v1/indicators"


YEAR = 2025


@pytest.fixture
def api_post(client, bearer):
    def post(user, body, path=URL):
        return client.post(path, json.dumps(body), content_type="application/json", **bearer(user))

    return post


# --- Creating -----------------------------------------------------------------------------------


def body(**changes):
    data = {
        "code": "IKU-09",
        "name": "Cakupan imunisasi dasar lengkap",
        "agency": "DINKES",
        "unit_of_measure": "%",
        "polarity": "higher_is_better",
        "aggregation": "last",
        "year": YEAR,
        "target": 95,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not ...}


def test_the_pengelola_creates_an_indicator_and_gets_its_full_representation(
    cast, api_post, sasaran
):
    response = api_post(
        cast.pengelola,
        body(
            code="iku-09",
            period_type="quarterly",
            quarterly_targets=[90, "92.5", None, 95],
            strategic_target="S1.1",
            owner_unit="DINKES-PKM-PLAJU",
            owner_position="DINKES-PKM-PLAJU-PERAWAT",
        ),
    )

    assert response.status_code == 201, response.content
    data = response.json()
    ind = Indicator.objects.get(pk=data["id"])
    assert (ind.agency, ind.code, ind.data_source) == (cast.dinkes, "IKU-09", "manual")
    assert ind.strategic_target == sasaran
    assert ind.owner_position == cast.positions["perawat"]
    assert (data["code"], data["agency"], data["period_type"], data["target"]) == (
        "IKU-09",
        "DINKES",
        "quarterly",
        95,
    )
    assert [q["target"] for q in data["quarters"]] == [90, 92.5, None, 95]
    assert len(data["months"]) == 12
    quarters = QuarterTarget.objects.filter(target__indicator=ind).order_by("quarter")
    assert [(q.quarter, q.value) for q in quarters] == [(1, D("90")), (2, D("92.5")), (4, D("95"))]


@pytest.mark.parametrize("target", ["0.1", 0.1, "0,1"])
def test_a_target_is_stored_as_the_exact_decimal_sent(cast, api_post, target):
    response = api_post(cast.pengelola, body(target=target))

    assert response.status_code == 201, response.content
    stored = IndicatorTarget.objects.get(indicator_id=response.json()["id"], year=YEAR)
    assert stored.value == D("0.1")
    assert response.json()["target"] == 0.1


def test_a_range_indicator_is_created_with_bounds_and_quarterly_pairs(cast, api_post):
    response = api_post(
        cast.pengelola,
        body(
            polarity="range",
            target=None,
            target_low="80",
            target_high=90,
            quarterly_targets=[[80, 90], None, ["82.5", 92], [85, 95]],
            range_above="full",
        ),
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["target"], data["target_low"], data["target_high"]) == (None, 80, 90)
    assert data["range_above"] == "full"
    assert [(q["target_low"], q["target_high"]) for q in data["quarters"]] == [
        (80, 90),
        (None, None),
        (82.5, 92),
        (85, 95),
    ]


def test_a_formula_makes_a_computed_indicator(cast, api_post, indicators):
    response = api_post(
        cast.pengelola, body(code="RASIO", formula="{iku-01} / {IKU-02} * 100", target=None)
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["data_source"] == "formula"
    assert data["formula"] == "{iku-01} / {IKU-02} * 100"
    assert data["target"] is None


def test_an_indicator_can_be_created_without_a_target(cast, api_post):
    response = api_post(cast.pengelola, body(target=...))

    assert response.status_code == 201, response.content
    assert not IndicatorTarget.objects.filter(indicator_id=response.json()["id"]).exists()


def test_the_creation_is_audited_as_made_through_the_api_by_the_caller(cast, api_post):
    response = api_post(cast.pengelola, body())

    record = AuditRecord.objects.get(object_type="strategy.indicator", action="create")
    assert response.status_code == 201
    assert (record.channel, record.actor_label) == (Channel.API, cast.pengelola.username)
    assert record.object_id == "DINKES/IKU-09"


def test_admin_bkpsdm_creates_for_any_agency(cast, api_post):
    response = api_post(cast.admin, body(agency="DUKCAPIL"))

    assert response.status_code == 201
    assert response.json()["agency"] == "DUKCAPIL"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target": "abc"}, "target"),
        ({"target": "1.23456"}, "target"),
        ({"target": True}, "target"),
        ({"target": [1]}, "target"),
        ({"target_low": 80}, "target"),  # bounds on an indicator without a range
        ({"target": None, "quarterly_targets": [1, 2, 3, 4]}, "target"),
        ({"quarterly_targets": [1, 2, 3]}, "quarterly_targets"),
        ({"quarterly_targets": "1,2,3,4"}, "quarterly_targets"),
        ({"quarterly_targets": [1, "x", 3, 4]}, "quarterly_targets.1"),
        ({"polarity": "sideways"}, "polarity"),
        ({"aggregation": "median"}, "aggregation"),
        ({"period_type": "weekly"}, "period_type"),
        ({"lower_formula": "guess"}, "lower_formula"),
        ({"code": ...}, "code"),
        ({"name": ...}, "name"),
        ({"year": ...}, "year"),
        ({"year": 1999}, "year"),
        ({"code": "IKU 09"}, "code"),
        ({"code": "X" * 41}, "code"),
        ({"name": "Cakupan\x00imunisasi"}, "name"),
        ({"name": " "}, "name"),
        ({"agency": "NOPE"}, "agency"),
        ({"strategic_target": "S9.9"}, "strategic_target"),
        ({"owner_unit": "DUKCAPIL"}, "owner_unit"),
        ({"owner_position": "DUKCAPIL-OPERATOR"}, "owner_position"),
        ({"formula": "{IKU-01} +"}, "formula"),
        ({"formula": "{NOWHERE} * 2"}, "formula"),
        ({"formula": "__import__('os')"}, "formula"),
        ({"formula": "{IKU-09} + 1"}, "formula"),  # refers to itself
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_stores_nothing(
    cast, api_post, sasaran, changes, field
):
    before = Indicator.objects.count(), IndicatorTarget.objects.count()

    response = api_post(cast.pengelola, body(**changes))

    assert field in fields(response)
    assert all(e["message"] for e in response.json()["errors"])
    assert (Indicator.objects.count(), IndicatorTarget.objects.count()) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target": 85}, "target"),
        ({"target": None, "target_low": 80}, "target_high"),
        ({"target": None, "target_high": 90}, "target_low"),
        ({"target": None, "target_low": 95, "target_high": 90}, "target_low"),
        ({"target": None, "target_low": 80, "target_high": 90, "quarterly_targets": [1, 2, 3, 4]},
         "quarterly_targets.0"),
        ({"target": None, "target_low": 80, "target_high": 90,
          "quarterly_targets": [[80, 90], [95, 90], None, None]}, "quarterly_targets"),
    ],
)  # fmt: skip
def test_a_range_indicator_needs_a_sound_range(cast, api_post, changes, field):
    response = api_post(cast.pengelola, body(polarity="range", **changes))

    assert field in fields(response)
    assert not Indicator.objects.filter(code="IKU-09").exists()


def test_a_formula_error_names_the_position(cast, api_post):
    response = api_post(cast.pengelola, body(formula="{IKU-01} * * 2"))

    errors = response.json()["errors"]
    assert errors[0]["field"] == "formula"
    assert "12" in errors[0]["message"]  # the second '*' is the twelfth character


def test_a_duplicate_code_in_the_agency_is_refused_on_the_code(cast, api_post, indicators):
    response = api_post(cast.pengelola, body(code="iku-01"))

    assert fields(response) == ["code"]


def test_the_same_code_in_another_agency_is_fine(cast, api_post, indicators):
    response = api_post(cast.admin, body(code="IKU-02", agency="DUKCAPIL"))

    assert response.status_code == 201


@pytest.mark.parametrize("persona", ["rater", "auditor", "head", "employee"])
def test_those_who_do_not_manage_the_agency_get_403(cast, api_post, persona):
    response = api_post(cast.users[persona], body())

    assert response.status_code == 403
    assert set(response.json()) == {"error"}
    assert not Indicator.objects.exists()


def test_an_outsider_naming_another_agency_learns_nothing_about_it(cast, api_post):
    hidden = api_post(cast.outsider, body(agency="DINKES"))
    missing = api_post(cast.outsider, body(agency="NOPE"))

    assert hidden.json() == missing.json()
    assert fields(hidden) == ["agency"]
    assert not Indicator.objects.exists()


def test_an_outsider_may_not_create_in_their_own_agency_either(cast, api_post):
    response = api_post(cast.outsider, body(agency="DUKCAPIL"))

    assert response.status_code == 403


@pytest.mark.parametrize("state", ["submitted", "agreed"])
def test_a_target_while_the_agreement_is_frozen_is_a_409_and_stores_nothing(cast, api_post, state):
    PerformanceAgreement.objects.create(agency=cast.dinkes, year=YEAR, state=state)

    response = api_post(cast.pengelola, body())

    assert response.status_code == 409
    assert set(response.json()) == {"error"}
    assert not Indicator.objects.exists()
    assert not AuditRecord.objects.filter(object_type="strategy.indicator").exists()


def test_a_returned_agreement_takes_targets_again(cast, api_post):
    PerformanceAgreement.objects.create(agency=cast.dinkes, year=YEAR, state="returned")

    response = api_post(cast.pengelola, body())

    assert response.status_code == 201


def test_a_body_that_is_not_an_object_is_refused(cast, client, bearer):
    response = client.post(URL, "[1, 2]", content_type="application/json", **bearer(cast.admin))

    assert response.status_code == 422
    assert "errors" in response.json()


def test_creating_without_a_token_is_refused(cast, client):
    response = client.post(URL, json.dumps(body()), content_type="application/json")

    assert response.status_code == 401
    assert not Indicator.objects.exists()


# --- The OpenAPI document -----------------------------------------------------------------------


def test_the_openapi_document_shows_the_performance_operations_with_their_schemas(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]

    assert set(paths["/api/v1/indicators"]) == {"get", "post"}
    assert set(paths["/api/v1/indicators/{indicator_id}"]) == {"get"}
    assert set(paths["/api/v1/indicators/{indicator_id}/realisations"]) == {"get", "post"}
    assert set(paths["/api/v1/realisations/{realisation_id}/verify"]) == {"post"}
    create = paths["/api/v1/indicators"]["post"]
    request = create["requestBody"]["content"]["application/json"]["schema"]
    assert {"code", "name", "agency", "polarity", "aggregation", "year", "target"} <= set(
        request["properties"]
    )
    assert set(create["responses"]) >= {"201", "403", "409", "422"}
    indicator = schema["components"]["schemas"]["IndicatorOut"]["properties"]
    assert {"target_low", "target_high", "achievement_pct", "band", "quarters", "months"} <= set(
        indicator
    )
    assert set(schema["components"]["schemas"]["QuarterOut"]["properties"]) == {
        "quarter",
        "target",
        "target_low",
        "target_high",
        "realisation",
        "achievement_pct",
        "band",
    }
