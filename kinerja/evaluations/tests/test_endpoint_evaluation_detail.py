"""GET /api/v1/evaluations/{id} (``evaluation_detail``): an evaluation is read through its
plan; an unknown one is not found."""

import pytest

from .api_support import rate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["employee", "rater", "rater_superior", "head", "auditor"])
def test_an_evaluation_is_read_through_its_plan(api, cast, plan, who):
    evaluation = rate(api, cast.rater, plan, results="below").json()
    response = api.get(cast.users[who], f"/api/v1/evaluations/{evaluation['id']}")
    assert response.status_code == 200
    shown = response.json()
    assert (shown["predicate"], shown["skp"], shown["employee"]) == (
        "Butuh Perbaikan",
        plan.pk,
        cast.employees["employee"].nip,
    )
    assert "curve_warnings" not in shown


def test_an_unknown_evaluation_is_not_found(api, cast):
    assert api.get(cast.admin, "/api/v1/evaluations/999999").status_code == 404
