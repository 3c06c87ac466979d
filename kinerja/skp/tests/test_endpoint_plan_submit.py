"""POST /api/v1/skp/{id}/submit (``plan_submit``): the employee or the administrator submits;
a plan without a main result is refused; and, for every step of the workflow (submit, approve,
return), a step in the wrong state is a conflict, those who cannot see the plan get not found,
anonymous callers are asked to authenticate."""

import pytest

from kinerja.skp import services
from kinerja.skp.models import Skp, SkpState, SkpTransition

from .api_support import act, draft_through_api

pytestmark = pytest.mark.django_db


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
