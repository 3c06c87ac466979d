"""GET /api/v1/indicators, GET /api/v1/indicators/{id} and POST /api/v1/indicators."""

import json
from decimal import Decimal as D
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord, Channel
from kinerja.strategy import services
from kinerja.strategy.models import (
    DataSource,
    Indicator,
    IndicatorTarget,
    PerformanceAgreement,
    QuarterTarget,
)

URL = "/api/v1/indicators"
YEAR = 2025
_names = count(1)


# --- Fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def bearer():
    """``bearer(user)``: the Authorization header of a fresh personal token of ``user``."""

    def make(user) -> dict[str, str]:
        _, secret = token_create(name=f"indicators-{next(_names)}", user=user, by=SYSTEM)
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make


@pytest.fixture
def api_get(client, bearer):
    def get(user, path=URL, **query):
        return client.get(path, query, **bearer(user))

    return get


@pytest.fixture
def api_post(client, bearer):
    def post(user, body, path=URL):
        return client.post(path, json.dumps(body), content_type="application/json", **bearer(user))

    return post


def make_indicator(agency, code, *, target=None, low=None, high=None, quarters=None, **values):
    values = {
        "code": code,
        "name": f"Indicator {code}",
        "unit_of_measure": "%",
        "polarity": "higher_is_better",
        "aggregation": "sum",
        **values,
    }
    if values.get("formula"):
        values["data_source"] = DataSource.FORMULA
    indicator = services.indicator_save(by=SYSTEM, agency=agency, values=values)
    if target is not None or low is not None:
        services.target_set(
            by=SYSTEM,
            indicator=indicator,
            year=YEAR,
            value=target,
            low=low,
            high=high,
            quarters=quarters,
        )
    return indicator


def enter(indicator, month, value, by):
    return services.realisation_record(
        indicator=indicator, year=YEAR, month=month, value=D(value), by=by
    )


@pytest.fixture
def sasaran(cast):
    plan = services.plan_save(
        by=SYSTEM,
        region=cast.dinkes.region,
        title="RPJMD 2024–2028",
        start_year=2024,
        end_year=2028,
        vision="Kota sehat",
        missions=["Meningkatkan kualitas pelayanan publik"],
    )
    goal = services.goal_save(
        by=SYSTEM,
        agency=cast.dinkes,
        mission=plan.missions.get(),
        code="T1",
        text="Masyarakat sehat",
    )
    return services.strategic_target_save(
        by=SYSTEM, goal=goal, code="S1.1", text="Layanan gawat darurat"
    )


@pytest.fixture
def indicators(cast, sasaran):
    """Four DINKES indicators with known numbers for 2025 (and one of DUKCAPIL)."""
    by = cast.pengelola
    higher = make_indicator(
        cast.dinkes,
        "IKU-01",
        name="Persentase puskesmas terakreditasi",
        aggregation="average",
        strategic_target=sasaran,
        owner_unit=cast.units["pkm"],
        owner_position=cast.positions["kapus"],
        target=D("20"),
        quarters=[D("20"), D("20"), None, D("20")],
    )
    for month, value in [(1, "10"), (2, "20"), (3, "20"), (7, "25")]:
        enter(higher, month, value, by)
    lower = make_indicator(
        cast.dinkes,
        "IKU-02",
        name="Waktu respon kegawatdaruratan",
        unit_of_measure="menit",
        polarity="lower_is_better",
        aggregation="average",
        target=D("15"),
        quarters=[D("15")] * 4,
    )
    enter(lower, 1, "12", by)
    enter(lower, 4, "18", by)
    ranged = make_indicator(
        cast.dinkes,
        "IKU-03",
        polarity="range",
        aggregation="last",
        period_type="quarterly",
        low=D("80"),
        high=D("90"),
        quarters=[(D("80"), D("90"))] * 4,
    )
    enter(ranged, 3, "72", by)
    enter(ranged, 6, "85", by)
    formula = make_indicator(
        cast.dinkes, "IKU-04", formula="{IKU-01} / 2", aggregation="average", target=D("10")
    )
    zero = make_indicator(cast.dinkes, "IKU-05", target=D("0"))
    enter(zero, 1, "5", by)
    foreign = make_indicator(cast.dukcapil, "IKU-01", target=D("8"))
    return {
        "higher": higher,
        "lower": lower,
        "range": ranged,
        "formula": formula,
        "zero": zero,
        "foreign": foreign,
    }


def detail(api_get, user, indicator, year=YEAR):
    response = api_get(user, f"{URL}/{indicator.pk}", year=year)
    assert response.status_code == 200, response.content
    return response.json()


def quarter(number, *, target=None, low=None, high=None, realisation=None, pct=None, band=None):
    return {
        "quarter": number,
        "target": target,
        "target_low": low,
        "target_high": high,
        "realisation": realisation,
        "achievement_pct": pct,
        "band": band,
    }


# --- The shape of one indicator -----------------------------------------------------------------


def test_a_higher_is_better_indicator_has_every_field_with_exact_numbers(cast, api_get, indicators):
    ind = indicators["higher"]
    services.realisation_verify(
        realisation=ind.realisations.get(month=1), by=cast.rater_superior, accept=True
    )
    data = detail(api_get, cast.employee, ind)
    current = {r.month: r.pk for r in ind.realisations.all()}

    months = [
        {"period": f"{YEAR}-{m:02d}", "realisation": None, "state": None, "id": None}
        for m in range(1, 13)
    ]
    for month, value, state in [
        (1, 10, "verified"),
        (2, 20, "submitted"),
        (3, 20, "submitted"),
        (7, 25, "submitted"),
    ]:
        months[month - 1].update(realisation=value, state=state, id=current[month])
    assert data == {
        "id": ind.pk,
        "code": "IKU-01",
        "name": "Persentase puskesmas terakreditasi",
        "agency": "DINKES",
        "strategic_target": "S1.1",
        "unit_of_measure": "%",
        "polarity": "higher_is_better",
        "aggregation": "average",
        "period_type": "monthly",
        "data_source": "manual",
        "formula": None,
        "lower_formula": "standard",
        "range_above": "penalize",
        "owner_unit": "DINKES-PKM-PLAJU",
        "owner_position": "DINKES-PKM-PLAJU-KEPALA",
        "active": True,
        "year": YEAR,
        "target": 20,
        "target_low": None,
        "target_high": None,
        "realisation": 18.75,  # the average of 10, 20, 20 and 25
        "achievement_pct": 93.75,
        "band": "Sangat Baik",
        "quarters": [
            # (10 + 20 + 20) / 3 = 16.666…: 4 decimals out; 83.333… % → 83.33
            quarter(1, target=20, realisation=16.6667, pct=83.33, band="Baik"),
            quarter(2, target=20),  # a target, nothing measured yet
            quarter(3, realisation=25),  # measured, but no target: not measurable
            quarter(4, target=20),
        ],
        "months": months,
    }


def test_numbers_travel_as_json_numbers_not_strings(cast, client, bearer, indicators):
    response = client.get(f"{URL}/{indicators['higher'].pk}", {"year": YEAR}, **bearer(cast.head))

    text = response.content.decode()
    assert '"realisation": 16.6667' in text or '"realisation":16.6667' in text
    assert '"target": 20,' in text or '"target":20,' in text
    assert "20.0000" not in text
    assert '"16.6667"' not in text


def test_lower_is_better_is_capped_and_penalised_above_the_target(cast, api_get, indicators):
    data = detail(api_get, cast.head, indicators["lower"])

    # 12 minutes against 15: (2 − 12/15) × 100 = 120, at the cap; 18: (2 − 18/15) × 100 = 80
    assert data["quarters"] == [
        quarter(1, target=15, realisation=12, pct=120, band="Sangat Baik"),
        quarter(2, target=15, realisation=18, pct=80, band="Baik"),
        quarter(3, target=15),
        quarter(4, target=15),
    ]
    assert (data["target"], data["realisation"], data["achievement_pct"], data["band"]) == (
        15,
        15,
        100,
        "Sangat Baik",
    )


def test_a_range_indicator_has_bounds_instead_of_a_target(cast, api_get, indicators):
    data = detail(api_get, cast.pengelola, indicators["range"])

    assert (data["target"], data["target_low"], data["target_high"]) == (None, 80, 90)
    assert data["period_type"] == "quarterly"
    # 72 under [80, 90]: 72 / 80 × 100 = 90.00, Baik; 85 inside: 100
    assert data["quarters"] == [
        quarter(1, low=80, high=90, realisation=72, pct=90, band="Baik"),
        quarter(2, low=80, high=90, realisation=85, pct=100, band="Sangat Baik"),
        quarter(3, low=80, high=90),
        quarter(4, low=80, high=90),
    ]
    assert (data["realisation"], data["achievement_pct"], data["band"]) == (85, 100, "Sangat Baik")


def test_a_formula_indicator_is_computed_at_each_level_and_has_no_states(cast, api_get, indicators):
    data = detail(api_get, cast.employee, indicators["formula"])

    assert data["data_source"] == "formula"
    assert data["formula"] == "{IKU-01} / 2"
    assert [m["realisation"] for m in data["months"][:4]] == [5, 10, 10, None]
    assert {m["state"] for m in data["months"]} == {None}
    assert {m["id"] for m in data["months"]} == {None}
    assert data["quarters"][0] == quarter(1, realisation=8.3333)  # 16.666… / 2, no TW target
    # the year: 18.75 / 2 = 9.375 against 10 → 93.75 %
    assert (data["realisation"], data["achievement_pct"], data["band"]) == (
        9.375,
        93.75,
        "Sangat Baik",
    )


def test_a_zero_target_is_not_measurable(cast, api_get, indicators):
    data = detail(api_get, cast.employee, indicators["zero"])

    assert (data["target"], data["realisation"]) == (0, 5)
    assert (data["achievement_pct"], data["band"]) == (None, None)


def test_an_indicator_without_targets_still_has_four_quarters_and_twelve_months(
    cast, api_get, indicators
):
    data = detail(api_get, cast.employee, indicators["higher"], year=YEAR + 1)

    assert data["year"] == YEAR + 1
    assert data["quarters"] == [quarter(n) for n in range(1, 5)]
    assert [m["period"] for m in data["months"]] == [f"{YEAR + 1}-{m:02d}" for m in range(1, 13)]
    assert (data["target"], data["realisation"], data["achievement_pct"]) == (None, None, None)


def test_the_year_defaults_to_this_year_in_the_regions_time_zone(cast, api_get, indicators):
    response = api_get(cast.employee, f"{URL}/{indicators['higher'].pk}")

    assert response.json()["year"] == timezone.localdate().year


@pytest.mark.parametrize("year", ["1999", "2101", "last", "2025.5"])
def test_a_bad_year_is_refused_with_422(cast, api_get, indicators, year):
    for path in (URL, f"{URL}/{indicators['higher'].pk}"):
        response = api_get(cast.employee, path, year=year)

        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["year"]


# --- Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("employee", {"DINKES"}),
        ("rater", {"DINKES"}),
        ("head", {"DINKES"}),
        ("pengelola", {"DINKES"}),
        ("outsider", {"DUKCAPIL"}),
        ("admin", {"DINKES", "DUKCAPIL"}),
        ("auditor", {"DINKES", "DUKCAPIL"}),
    ],
)
def test_each_persona_lists_the_indicators_of_the_agencies_they_see(
    cast, api_get, indicators, persona, expected
):
    response = api_get(cast.users[persona], year=YEAR)

    assert response.status_code == 200
    assert {row["agency"] for row in response.json()} == expected


def test_the_list_is_ordered_by_agency_and_code_and_filtered_by_agency(cast, api_get, indicators):
    everything = api_get(cast.admin, year=YEAR).json()
    dinkes = api_get(cast.admin, year=YEAR, agency="DINKES").json()

    assert [(r["agency"], r["code"]) for r in everything] == [
        ("DINKES", "IKU-01"),
        ("DINKES", "IKU-02"),
        ("DINKES", "IKU-03"),
        ("DINKES", "IKU-04"),
        ("DINKES", "IKU-05"),
        ("DUKCAPIL", "IKU-01"),
    ]
    assert [r["code"] for r in dinkes] == ["IKU-01", "IKU-02", "IKU-03", "IKU-04", "IKU-05"]


def test_a_list_row_is_the_same_as_the_detail(cast, api_get, indicators):
    rows = {r["id"]: r for r in api_get(cast.head, year=YEAR).json()}

    for ind in indicators.values():
        if ind.agency_id == cast.dinkes.pk:
            assert rows[ind.pk] == detail(api_get, cast.head, ind)


@pytest.mark.parametrize("agency", ["DUKCAPIL", "NOPE"])
def test_filtering_on_an_agency_out_of_sight_gives_an_empty_list(cast, api_get, indicators, agency):
    response = api_get(cast.employee, year=YEAR, agency=agency)

    assert response.status_code == 200
    assert response.json() == []
    assert response["X-Total-Count"] == "0"


@pytest.mark.parametrize("persona", ["outsider", "other_head"])
def test_an_outsider_gets_404_for_another_agencys_indicator(cast, api_get, indicators, persona):
    hidden = api_get(cast.users[persona], f"{URL}/{indicators['higher'].pk}")
    missing = api_get(cast.users[persona], f"{URL}/999999")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert set(hidden.json()) == {"error"}


def test_without_a_token_the_list_and_the_detail_are_refused(cast, client, indicators):
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}/{indicators['higher'].pk}").status_code == 401


def test_the_list_is_paged_with_total_count_and_link_headers(cast, api_get, indicators):
    first = api_get(cast.admin, year=YEAR, limit=4)
    second = api_get(cast.admin, year=YEAR, limit=4, offset=4)

    assert first["X-Total-Count"] == second["X-Total-Count"] == "6"
    assert len(first.json()) == 4
    assert 'rel="next"' in first["Link"]
    assert "offset=4" in first["Link"]
    assert [r["code"] for r in second.json()] == ["IKU-05", "IKU-01"]
    assert 'rel="prev"' in second["Link"]
    assert 'rel="next"' not in second["Link"]


def test_the_list_costs_a_bounded_number_of_queries(
    cast, client, bearer, django_assert_max_num_queries
):
    auth = bearer(cast.pengelola)
    client.get(URL, **auth)  # the token's first use is noted once; not part of the bound

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"year": YEAR}, **auth)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    base = make_indicator(cast.dinkes, "BASE", target=D("10"), quarters=[D("1")] * 4)
    enter(base, 1, "1", cast.pengelola)
    few = queries_for_list()
    for n in range(30):
        ind = make_indicator(cast.dinkes, f"IKU-{n:02d}", target=D("10"), quarters=[D("2")] * 4)
        for month in (1, 2, 3):
            enter(ind, month, str(n), cast.pengelola)
    make_indicator(cast.dinkes, "RATIO", formula="{IKU-01} / {IKU-02}", target=D("1"))

    with django_assert_max_num_queries(few + 1):  # + the formula's references, once
        response = client.get(URL, {"year": YEAR}, **auth)
    assert len(response.json()) == 32


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


def fields(response) -> list[str]:
    assert response.status_code == 422, response.content
    return [error["field"] for error in response.json()["errors"]]


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
