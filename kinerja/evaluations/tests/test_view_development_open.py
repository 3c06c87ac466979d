"""Opening a development plan from a plan (``evaluations:development_open``): the employee,
the rater or the administrator opens one; readers may not; an empty goal is refused."""

import pytest

from kinerja.evaluations.models import DevelopmentPlan

from .support import development_open_url, development_url, english_pages, plan  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["employee", "rater", "pengelola"])
def test_the_employee_the_rater_or_the_administrator_opens_a_plan(cast, client_for, who):
    skp = plan(cast)
    response = client_for(cast.users[who]).post(
        development_open_url(skp), {"goal": "Komunikasi dengan pasien"}
    )
    development = DevelopmentPlan.objects.get()
    assert response["Location"] == development_url(development)
    assert development.goal == "Komunikasi dengan pasien"


@pytest.mark.parametrize("who", ["rater_superior", "head", "auditor"])
def test_readers_may_not_open_one(cast, client_for, who):
    skp = plan(cast)
    client = client_for(cast.users[who])
    assert client.get(development_open_url(skp)).status_code == 403
    assert client.post(development_open_url(skp), {"goal": "x"}).status_code == 403
    assert not DevelopmentPlan.objects.exists()


def test_an_empty_goal_is_refused(cast, client_for):
    response = client_for(cast.rater).post(development_open_url(plan(cast)), {"goal": " "})
    assert response.context["form"].errors["goal"] == ["This field is required."]
