"""POST /api/v1/skp, GET /api/v1/skp and GET /api/v1/skp/{id}: creating and reading plans."""

import pytest

from kinerja.core.models import AuditRecord, Channel
from kinerja.skp.models import Skp
from kinerja.skp.tests.factories import approved_plan
from kinerja.skp.tests.test_api_support import Api, draft_through_api, fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    return Api(client)


def test_the_employee_starts_their_own_plan_and_gets_it_back(api, cast):
    nip = cast.employees["employee"].nip
    response = api.post(cast.employee, "/api/v1/skp", {"employee": nip, "year": 2026})
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["state"] == "draft"
    assert (plan["employee"], plan["year"], plan["approach"]) == (nip, 2026, "kuantitatif")
    assert plan["rater"] == cast.employees["rater"].nip
    assert plan["rater_superior"] == cast.employees["rater_superior"].nip
    assert plan["unit"] == "DINKES-PKM-PLAJU"
    assert plan["position"] == "Perawat Terampil"
    assert plan["rhk"] == [] and plan["evaluations"] == []
    skp = Skp.objects.get(pk=plan["id"])
    assert skp.created_by == cast.employee
    record = AuditRecord.objects.filter(object_type="skp.skp", action="create").get()
    assert (record.channel, record.actor) == (Channel.API, cast.employee)


def test_a_qualitative_plan_can_be_asked_for(api, cast):
    nip = cast.employees["employee"].nip
    response = api.post(
        cast.employee, "/api/v1/skp", {"employee": nip, "year": 2026, "approach": "kualitatif"}
    )
    assert response.status_code == 201
    assert response.json()["approach"] == "kualitatif"


def test_the_rater_may_draft_a_plan_for_a_subordinate(api, cast):
    nip = cast.employees["employee"].nip
    response = api.post(cast.rater, "/api/v1/skp", {"employee": nip, "year": 2026})
    assert response.status_code == 201


def test_a_second_plan_for_the_same_year_is_a_conflict(api, cast):
    nip = cast.employees["employee"].nip
    assert (
        api.post(cast.employee, "/api/v1/skp", {"employee": nip, "year": 2026}).status_code == 201
    )
    response = api.post(cast.employee, "/api/v1/skp", {"employee": nip, "year": 2026})
    assert response.status_code == 409
    assert "already has a plan for 2026" in response.json()["error"]
    assert Skp.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "other_head", "colleague"])
def test_someone_who_cannot_see_the_employee_is_told_there_is_no_such_nip(api, cast, who):
    nip = cast.employees["employee"].nip
    response = api.post(cast.users[who], "/api/v1/skp", {"employee": nip, "year": 2026})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "employee", "message": "No employee with this NIP that you may see."}
    ]
    assert not Skp.objects.exists()


@pytest.mark.parametrize("who", ["rater_superior", "auditor"])
def test_someone_who_sees_the_employee_but_may_not_draft_is_refused(api, cast, who):
    nip = cast.employees["employee"].nip
    response = api.post(cast.users[who], "/api/v1/skp", {"employee": nip, "year": 2026})
    assert response.status_code == 403
    assert response.json()["error"] == "You may not draft a plan for this employee."
    assert not Skp.objects.exists()


def test_an_unknown_nip_is_refused_like_an_invisible_one(api, cast):
    response = api.post(cast.admin, "/api/v1/skp", {"employee": "199901012020011999", "year": 2026})
    assert response.status_code == 422
    assert fields(response) == ["employee"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": 2026, "employee": None}, "employee"),
        ({"year": 1999}, "year"),
        ({"year": "dua ribu"}, "year"),
        ({"year": 2026, "approach": "campuran"}, "approach"),
        ({"year": 2026, "employee": "1990\x00"}, "employee"),
        ({"year": 2026, "employee": "9" * 300}, "employee"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(api, cast, body, field):
    body = {"employee": cast.employees["employee"].nip, **body}
    if body.get("employee") is None:
        body.pop("employee")
    response = api.post(cast.employee, "/api/v1/skp", body)
    assert response.status_code == 422, response.content
    assert fields(response) == [field]
    assert not Skp.objects.exists()


def test_anonymous_callers_are_asked_to_authenticate(api, cast):
    nip = cast.employees["employee"].nip
    assert api.post(None, "/api/v1/skp", {"employee": nip, "year": 2026}).status_code == 401
    assert api.get(None, "/api/v1/skp").status_code == 401
    assert api.get(None, "/api/v1/skp/1").status_code == 401


def test_a_signed_in_browser_may_use_the_api_too(client_for, cast):
    client = client_for(cast.employee)
    nip = cast.employees["employee"].nip
    response = client.post(
        "/api/v1/skp", {"employee": nip, "year": 2026}, content_type="application/json"
    )
    assert response.status_code == 201
    assert client.get(f"/api/v1/skp/{response.json()['id']}").status_code == 200


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


def test_the_list_filters_by_year_unit_employee_and_state(api, cast):
    mine = approved_plan(cast)
    theirs = approved_plan(cast, "colleague")
    earlier = approved_plan(cast, "colleague", 2025)
    rater = approved_plan(cast, "rater")

    def ids(**query):
        response = api.get(cast.admin, "/api/v1/skp", **query)
        assert response.status_code == 200, response.content
        return {p["id"] for p in response.json()}

    assert ids() == {mine.pk, theirs.pk, earlier.pk, rater.pk}
    assert ids(year=2026) == {mine.pk, theirs.pk, rater.pk}
    assert ids(year=2026, unit="DINKES-PKM-PLAJU") == {mine.pk, theirs.pk, rater.pk}
    assert ids(unit="dinkes-yankes") == set()
    assert ids(unit="NOWHERE") == set()
    assert ids(employee=cast.employees["colleague"].nip) == {theirs.pk, earlier.pk}
    assert ids(state="draft") == set()
    assert ids(state="approved", year=2025) == {earlier.pk}


@pytest.mark.parametrize(
    "query", [{"year": 1999}, {"state": "lost"}, {"unit": "A\x00"}, {"limit": 0}]
)
def test_bad_list_filters_are_named(api, cast, query):
    response = api.get(cast.admin, "/api/v1/skp", **query)
    assert response.status_code == 422
    assert fields(response) == list(query)


def test_the_list_is_paged_and_makes_a_bounded_number_of_queries(
    api, cast, django_assert_max_num_queries
):
    plans = [approved_plan(cast, who) for who in ("employee", "colleague", "rater", "pengelola")]
    api.headers(cast.admin)  # the token exists before counting
    with django_assert_max_num_queries(12):
        response = api.get(cast.admin, "/api/v1/skp", year=2026, limit=3)
    assert response.status_code == 200
    assert response["X-Total-Count"] == "4"
    assert 'rel="next"' in response["Link"]
    page = response.json()
    assert len(page) == 3
    assert all(len(p["rhk"]) == 1 and len(p["rhk"][0]["indicators"]) == 2 for p in page)
    rest = api.get(cast.admin, "/api/v1/skp", year=2026, limit=3, offset=3).json()
    assert {p["id"] for p in page + rest} == {p.pk for p in plans}


def test_the_query_count_does_not_grow_with_the_number_of_plans(
    api, cast, django_assert_max_num_queries
):
    approved_plan(cast)
    api.headers(cast.admin)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        api.get(cast.admin, "/api/v1/skp")
    for who in ("colleague", "rater", "pengelola", "rater_superior"):
        approved_plan(cast, who)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api.get(cast.admin, "/api/v1/skp").json()) == 5
