"""POST /api/v1/skp/{id}/rhk: a result (RHK) with its indicators (IKI)."""

import pytest

from kinerja.core.actors import SYSTEM
from kinerja.skp import services
from kinerja.skp.models import Iki, Rhk
from kinerja.skp.tests.factories import approved_plan
from kinerja.strategy import services as strategy_services

from .api_support import INDICATORS, fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cast):
    return services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)


def url(skp) -> str:
    return f"/api/v1/skp/{skp.pk}/rhk"


def body(**changes) -> dict:
    return {
        "kind": "utama",
        "text": "Terlaksananya asuhan keperawatan",
        "indicators": INDICATORS,
    } | changes


def test_a_result_supporting_the_raters_result_is_added_with_numbered_indicators(api, cast, draft):
    support = approved_plan(cast, "rater").results.get()
    response = api.post(cast.employee, url(draft), body(supports=support.pk))
    assert response.status_code == 201, response.content
    rhk = response.json()
    assert (rhk["kind"], rhk["number"], rhk["supports"]) == ("utama", 1, support.pk)
    assert [(i["number"], i["aspect"]) for i in rhk["indicators"]] == [
        (1, "kuantitas"),
        (2, "kualitas"),
    ]
    stored = Rhk.objects.get(pk=rhk["id"])
    assert stored.supports == support
    assert [i.pk for i in stored.indicators.order_by("number")] == [
        i["id"] for i in rhk["indicators"]
    ]
    second = api.post(cast.employee, url(draft), body(kind="tambahan", supports=None)).json()
    assert (second["kind"], second["number"]) == ("tambahan", 1)


def test_targets_come_as_numbers_decimal_strings_or_ranges(api, cast, draft):
    indicators = [
        {"aspect": "kuantitas", "text": "Pasien", "target": 1200, "unit": "pasien"},
        {"aspect": "kualitas", "text": "Kepuasan", "target": "80–90", "unit": "%"},
        {"aspect": "waktu", "text": "Waktu tunggu", "target": "12,5", "unit": "menit"},
        {"aspect": "biaya", "text": "Biaya", "target": {"low": 1, "high": 2}, "unit": "juta"},
    ]
    response = api.post(cast.employee, url(draft), body(indicators=indicators))
    assert response.status_code == 201, response.content
    got = [
        (i["target"], i["target_low"], i["target_high"], i["lower_is_better"])
        for i in response.json()["indicators"]
    ]
    assert got == [
        (1200, None, None, False),
        (None, 80, 90, False),
        (12.5, None, None, True),
        (None, 1, 2, False),
    ]


def test_a_jpt_result_names_an_agency_indicator_and_a_perspective(api, cast):
    skp = services.skp_create(employee=cast.employees["head"], year=2026, by=cast.head)
    indicator = strategy_services.indicator_save(by=SYSTEM,
        agency=cast.dinkes,
        values={"code": "IKU-01", "name": "Angka kematian ibu", "unit_of_measure": "kasus",
                "polarity": "lower_is_better", "aggregation": "sum"},
    )  # fmt: skip
    response = api.post(
        cast.head, url(skp), body(indicator=indicator.pk, perspective="penerima_layanan")
    )
    assert response.status_code == 201, response.content
    assert (response.json()["indicator"], response.json()["perspective"]) == (
        indicator.pk,
        "penerima_layanan",
    )
    other = strategy_services.indicator_save(by=SYSTEM,
        agency=cast.dukcapil,
        values={"code": "IKU-01", "name": "Cakupan KTP-el", "unit_of_measure": "%",
                "polarity": "higher_is_better", "aggregation": "last"},
    )  # fmt: skip
    response = api.post(cast.head, url(skp), body(indicator=other.pk))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "indicator", "message": "No agency indicator with this id that you may see."}
    ]


def test_a_result_of_someone_elses_plan_cannot_be_supported(api, cast, draft):
    colleague = approved_plan(cast, "colleague").results.get()
    response = api.post(cast.employee, url(draft), body(supports=colleague.pk))
    assert response.status_code == 422
    assert fields(response) == ["supports"]
    assert response.json()["errors"][0]["message"] == "No result with this id that you may see."
    # one the admin may see but that is not the rater's: the service's own rule
    admin_draft = draft
    response = api.post(cast.admin, url(admin_draft), body(supports=colleague.pk))
    assert response.status_code == 422
    assert (
        response.json()["errors"][0]["message"]
        == "Choose a result from the 2026 plan of your rater."
    )
    response = api.post(cast.employee, url(draft), body(supports=999999))
    assert fields(response) == ["supports"]
    assert not Rhk.objects.filter(skp=draft).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "lainnya"}, "kind"),
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "Asuhan\x00keperawatan"}, "text"),
        ({"indicators": []}, "indicators"),
        ({"indicators": [dict(INDICATORS[0], aspect="kecepatan")]}, "indicators.0.aspect"),
        ({"indicators": [INDICATORS[0], dict(INDICATORS[1], text="")]}, "indicators.1.text"),
        ({"indicators": [dict(INDICATORS[0], text="a\x00b")]}, "indicators.0.text"),
        ({"indicators": [dict(INDICATORS[0], target="banyak")]}, "indicators.0.target"),
        ({"indicators": [dict(INDICATORS[0], target="90-80")]}, "indicators.0.target"),
        ({"indicators": [dict(INDICATORS[0], target=None)]}, "indicators.0.target"),
        ({"indicators": [dict(INDICATORS[0], target=10**15)]}, "indicators.0.target"),
        ({"indicators": [dict(INDICATORS[0], target=True)]}, "indicators.0.target"),
        ({"indicators": [dict(INDICATORS[0], unit="u" * 41)]}, "indicators.0.unit"),
        ({"indicators": [INDICATORS[0]] * 11}, "indicators"),
        ({"perspective": "visi"}, "perspective"),
        ({"supports": "satu"}, "supports"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(api, cast, draft, changes, field):
    response = api.post(cast.employee, url(draft), body(**changes))
    assert response.status_code == 422, response.content
    assert fields(response) == [field]
    assert not Rhk.objects.exists() and not Iki.objects.exists()


def test_too_long_text_is_refused_with_the_limit(api, cast, draft):
    response = api.post(cast.employee, url(draft), body(text="x" * 2001))
    assert response.json()["errors"][0]["message"] == "Write at most 2000 characters (now 2001)."


def test_an_approved_plan_takes_no_new_result(api, cast):
    skp = approved_plan(cast)
    response = api.post(cast.employee, url(skp), body())
    assert response.status_code == 409
    assert "only a draft or a returned plan can change" in response.json()["error"]


@pytest.mark.parametrize("who", ["rater", "rater_superior", "head", "auditor"])
def test_those_who_see_the_plan_but_may_not_change_it_are_refused(api, cast, draft, who):
    response = api.post(cast.users[who], url(draft), body())
    assert response.status_code == 403
    assert response.json()["error"] == "You may not change this plan."


@pytest.mark.parametrize("who", ["outsider", "colleague", "other_head"])
def test_those_who_cannot_see_the_plan_are_told_it_is_not_found(api, cast, draft, who):
    response = api.post(cast.users[who], url(draft), body())
    assert response.status_code == 404
    assert not Rhk.objects.exists()


def test_the_performance_administrator_may_add_a_result(api, cast, draft):
    assert api.post(cast.pengelola, url(draft), body()).status_code == 201


def test_anonymous_is_asked_to_authenticate(api, cast, draft):
    assert api.post(None, url(draft), body()).status_code == 401
