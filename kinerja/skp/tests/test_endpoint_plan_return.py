"""POST /api/v1/skp/{id}/return (``plan_return``): the rater returns with a readable reason
and the employee resubmits."""

import pytest

from kinerja.skp.models import Skp, SkpState, SkpTransition

from .api_support import act, draft_through_api, fields

pytestmark = pytest.mark.django_db


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
