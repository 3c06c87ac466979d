"""GET /api/v1/skp/{id} (``plan_detail``): a plan with its results, indicators and targets,
seen by the employee, the rater chain and the agency only; an unknown plan not found."""

import pytest

from kinerja.skp.tests.factories import approved_plan

from .api_support import draft_through_api

pytestmark = pytest.mark.django_db


# --- Reading ------------------------------------------------------------------------------------


def test_a_plan_shows_its_results_indicators_and_targets(api, cast):
    support = approved_plan(cast, "rater").results.get()
    plan = draft_through_api(api, cast, supports=support.pk)
    response = api.get(cast.employee, f"/api/v1/skp/{plan['id']}")
    assert response.status_code == 200
    (rhk,) = response.json()["rhk"]
    assert (rhk["kind"], rhk["number"], rhk["supports"]) == ("utama", 1, support.pk)
    assert rhk["perspective"] is None and rhk["indicator"] is None
    count_iki, quality = rhk["indicators"]
    assert (count_iki["aspect"], count_iki["target"], count_iki["target_low"]) == (
        "kuantitas",
        1200,
        None,
    )
    assert (quality["target"], quality["target_low"], quality["target_high"]) == (None, 80, 90)
    assert quality["unit"] == "%"


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("employee", True),
        ("rater", True),
        ("rater_superior", True),
        ("head", True),
        ("pengelola", True),
        ("admin", True),
        ("auditor", True),
        ("colleague", False),
        ("outsider", False),
        ("other_head", False),
    ],
)
def test_a_plan_is_seen_by_the_employee_the_rater_chain_and_the_agency_only(api, cast, who, sees):
    skp = approved_plan(cast)
    response = api.get(cast.users[who], f"/api/v1/skp/{skp.pk}")
    assert response.status_code == (200 if sees else 404)
    if not sees:
        assert response.json() == {"error": "Plan not found."}
    listed = api.get(cast.users[who], "/api/v1/skp").json()
    assert [p["id"] for p in listed] == ([skp.pk] if sees else [])


def test_an_unknown_plan_is_not_found(api, cast):
    response = api.get(cast.admin, "/api/v1/skp/999999")
    assert response.status_code == 404
    assert response.json() == {"error": "Plan not found."}
