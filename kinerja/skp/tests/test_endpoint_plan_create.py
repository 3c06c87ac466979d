"""POST /api/v1/skp (``plan_create``): starting a plan — one's own, a qualitative one, a
subordinate's by the rater; a second plan, an invisible or unknown NIP, no right and bad input
refused; anonymous callers asked to authenticate, a signed-in browser served."""

import pytest
from django.utils import translation

from kinerja.core.models import AuditRecord, Channel
from kinerja.skp.models import Skp

from .api_support import fields, raters_plan

pytestmark = pytest.mark.django_db


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


def test_the_api_answers_in_english_whatever_the_session_language(api, cast):
    raters_plan(cast)
    with translation.override("id"):
        response = api.post(
            cast.outsider,
            "/api/v1/skp",
            {"employee": cast.employees["employee"].nip, "year": 2026},
        )
    assert response.json()["errors"][0]["message"] == "No employee with this NIP that you may see."


def test_the_administrator_gives_an_entrants_start_and_sk(api, cast):
    nip = cast.employees["employee"].nip
    body = {"employee": nip, "year": 2026, "start": "2026-03-15", "sk_number": "800/1/2026"}
    response = api.post(cast.pengelola, "/api/v1/skp", body)
    assert response.status_code == 201, response.content
    plan = response.json()
    assert (plan["starts_on"], plan["tmt_sk_number"], plan["end_reason"]) == (
        "2026-03-15", "800/1/2026", "",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("who", "start"), [("pengelola", "2027-01-01"), ("employee", "2026-03-15")]
)
def test_a_start_outside_the_year_or_not_the_administrators_is_a_422_on_start(
    api, cast, who, start
):
    nip = cast.employees["employee"].nip
    response = api.post(
        cast.users[who], "/api/v1/skp", {"employee": nip, "year": 2026, "start": start}
    )
    assert response.status_code == 422, response.content
    assert "start" in fields(response)
    assert not Skp.objects.exists()
