"""GET /api/v1/indicators/{id} (``indicator_detail``): every field with exact numbers, sent as
JSON numbers; lower-is-better capped and penalised, a range with bounds, a formula computed at
each level, a zero target not measurable, four quarters and twelve months even without targets;
the year by default this year, a bad one refused (here and in the list); another agency's
indicator is 404."""

import pytest
from django.utils import timezone

from kinerja.strategy import services

from .api_support import detail

URL = "/api/v1/indicators"


YEAR = 2025


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
    data = detail(api_get, cast.employee, ind)
    current = {r.month: r.pk for r in ind.realisations.all()}

    months = [
        {"period": f"{YEAR}-{m:02d}", "realisation": None, "state": None, "id": None,
         "counted": False}
        for m in range(1, 13)
    ]  # fmt: skip
    for month, value, state, counted in [
        (1, 10, "verified", True),
        (2, 20, "verified", True),
        (3, 20, "verified", True),
        (7, 25, "submitted", False),  # shown, not counted until verified
    ]:
        months[month - 1].update(realisation=value, state=state, id=current[month], counted=counted)
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
        "realisation": 16.6667,  # the average of 10, 20 and 20 (July's 25 is not verified)
        "achievement_pct": 83.33,
        "band": "Baik",
        "quarters": [
            # (10 + 20 + 20) / 3 = 16.666…: 4 decimals out; 83.333… % → 83.33
            quarter(1, target=20, realisation=16.6667, pct=83.33, band="Baik"),
            quarter(2, target=20),  # a target, nothing measured yet
            quarter(3),  # July's value waits for verification: nothing counted
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
    # the year: 16.666… / 2 = 8.3333 against 10 → 83.33 % (IKU-01's July is not verified)
    assert (data["realisation"], data["achievement_pct"], data["band"]) == (
        8.3333,
        83.33,
        "Baik",
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


@pytest.mark.parametrize("persona", ["outsider", "other_head"])
def test_an_outsider_gets_404_for_another_agencys_indicator(cast, api_get, indicators, persona):
    hidden = api_get(cast.users[persona], f"{URL}/{indicators['higher'].pk}")
    missing = api_get(cast.users[persona], f"{URL}/999999")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert set(hidden.json()) == {"error"}


# --- Only verified values count (awaiting verification, returned: shown, not counted) ---------


@pytest.mark.parametrize(
    ("state", "counted", "q3_realisation"),
    [("verified", True, 25), ("submitted", False, None), ("returned", False, None)],
)
def test_only_a_verified_value_counts(cast, api_get, indicators, state, counted, q3_realisation):
    ind = indicators["higher"]
    july = ind.realisations.get(month=7)
    if state != "submitted":
        services.realisation_verify(
            realisation=july, by=cast.rater_superior, accept=state == "verified",
            note="" if state == "verified" else "Lampirkan rekap",
        )  # fmt: skip
    data = detail(api_get, cast.employee, ind)
    assert data["months"][6] == {
        "period": f"{YEAR}-07", "realisation": 25, "state": state, "id": july.pk,
        "counted": counted,
    }  # fmt: skip
    assert data["quarters"][2]["realisation"] == q3_realisation
    assert data["realisation"] == (18.75 if counted else 16.6667)
