"""POST /api/v1/skp/{id}/approve (``plan_approve``): only the rater approves; the employee
never approves or returns their own plan."""

import pytest

from kinerja.skp.models import Skp, SkpState

from .api_support import act, draft_through_api

pytestmark = pytest.mark.django_db


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
