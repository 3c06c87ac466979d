"""POST /api/v1/skp/{id}/submit, /approve and /return: the plan's workflow."""

import pytest

from kinerja.skp import services
from kinerja.skp.models import Skp, SkpState, SkpTransition
from kinerja.skp.tests.test_api_support import Api, draft_through_api, fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    return Api(client)


def act(api, user, plan, action, body=None):
    return api.post(user, f"/api/v1/skp/{plan['id']}/{action}", body)


def test_the_employee_submits_and_the_rater_approves(api, cast):
    plan = draft_through_api(api, cast)
    response = act(api, cast.employee, plan, "submit")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted"
    assert response.json()["submitted_at"] is not None
    response = act(api, cast.rater, plan, "approve")
    assert response.status_code == 200
    assert response.json()["state"] == "approved"
    assert [t.to_state for t in SkpTransition.objects.filter(skp_id=plan["id"])] == [
        "draft",
        "submitted",
        "approved",
    ]


def test_the_rater_returns_with_a_reason_and_the_employee_resubmits(api, cast):
    plan = draft_through_api(api, cast)
    act(api, cast.employee, plan, "submit")
    response = act(api, cast.rater, plan, "return", {"reason": "Target pasien terlalu rendah"})
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["return_reason"]) == (
        "returned",
        "Target pasien terlalu rendah",
    )
    assert SkpTransition.objects.filter(skp_id=plan["id"]).last().reason == (
        "Target pasien terlalu rendah"
    )
    response = act(api, cast.employee, plan, "submit")
    assert (response.json()["state"], response.json()["return_reason"]) == ("submitted", "")


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "reason"), ({"reason": ""}, "reason"), ({"reason": "a\x00b"}, "reason"),
     ({"reason": "x" * 2001}, "reason"), ({"reason": 5}, "reason")],
)  # fmt: skip
def test_a_return_needs_a_readable_reason(api, cast, body, field):
    plan = draft_through_api(api, cast)
    act(api, cast.employee, plan, "submit")
    response = act(api, cast.rater, plan, "return", body)
    assert response.status_code == 422
    assert fields(response) == [field]
    assert Skp.objects.get(pk=plan["id"]).state == SkpState.SUBMITTED


def test_the_employee_never_approves_or_returns_their_own_plan(api, cast):
    plan = draft_through_api(api, cast)
    act(api, cast.employee, plan, "submit")
    response = act(api, cast.employee, plan, "approve")
    assert response.status_code == 403
    assert response.json()["error"] == "Only the rater approves the plan."
    response = act(api, cast.employee, plan, "return", {"reason": "Saya ubah sendiri"})
    assert response.status_code == 403
    assert Skp.objects.get(pk=plan["id"]).state == SkpState.SUBMITTED


@pytest.mark.parametrize("who", ["rater_superior", "head", "pengelola", "admin", "auditor"])
def test_only_the_rater_approves(api, cast, who):
    plan = draft_through_api(api, cast)
    act(api, cast.employee, plan, "submit")
    assert act(api, cast.users[who], plan, "approve").status_code == 403
    assert act(api, cast.users[who], plan, "return", {"reason": "x"}).status_code == 403


@pytest.mark.parametrize("who", ["rater", "rater_superior", "auditor"])
def test_only_the_employee_or_the_administrator_submits(api, cast, who):
    plan = draft_through_api(api, cast)
    assert act(api, cast.users[who], plan, "submit").status_code == 403
    assert act(api, cast.pengelola, plan, "submit").status_code == 200


def test_a_step_in_the_wrong_state_is_a_conflict(api, cast):
    plan = draft_through_api(api, cast)
    response = act(api, cast.rater, plan, "approve")
    assert response.status_code == 409
    assert response.json()["error"] == "Only a submitted plan can be approved."
    assert act(api, cast.rater, plan, "return", {"reason": "x"}).status_code == 409
    act(api, cast.employee, plan, "submit")
    response = act(api, cast.employee, plan, "submit")
    assert response.status_code == 409
    assert "only a draft or a returned plan can change" in response.json()["error"]
    act(api, cast.rater, plan, "approve")
    assert act(api, cast.rater, plan, "approve").status_code == 409


def test_a_plan_without_a_main_result_cannot_be_submitted(api, cast):
    skp = services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    response = act(api, cast.employee, {"id": skp.pk}, "submit")
    assert response.status_code == 409
    assert response.json()["error"] == "Add at least one main result (RHK utama) before submitting."


@pytest.mark.parametrize("who", ["outsider", "colleague", "other_head"])
@pytest.mark.parametrize("action", ["submit", "approve", "return"])
def test_those_who_cannot_see_the_plan_get_not_found(api, cast, who, action):
    plan = draft_through_api(api, cast)
    response = act(api, cast.users[who], plan, action, {"reason": "x"})
    assert response.status_code == 404
    assert Skp.objects.get(pk=plan["id"]).state == SkpState.DRAFT


@pytest.mark.parametrize("action", ["submit", "approve", "return"])
def test_anonymous_is_asked_to_authenticate(api, cast, action):
    plan = draft_through_api(api, cast)
    assert act(api, None, plan, action, {"reason": "x"}).status_code == 401
