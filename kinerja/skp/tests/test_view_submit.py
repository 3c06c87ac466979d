"""Submitting a plan on its page (``skp:submit``): the employee or the administrator submits a
draft, a plan without a main result is refused with the reason, others who see the plan may
not; and, for every step on the page (submit, approve, return, expectations), outsiders get
404, only POST is accepted, anonymous visitors are sent to sign in."""

import pytest

from kinerja.skp.models import SkpState

from .support import detail_url, draft, english, state, step_url, submitted

pytestmark = pytest.mark.django_db


# --- Submit -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["employee", "pengelola"])
def test_the_employee_or_the_administrator_submits_a_draft(cast, client_for, persona):
    skp = draft(cast)
    response = client_for(cast.users[persona]).post(step_url("submit", skp))
    assert response.status_code == 302 and response["Location"] == detail_url(skp)
    assert state(skp) == SkpState.SUBMITTED


def test_a_plan_without_a_main_result_is_not_submitted_and_the_reason_is_shown(cast, client_for):
    skp = draft(cast, results=0)
    response = english(client_for(cast.employee)).post(step_url("submit", skp), follow=True)
    assert state(skp) == SkpState.DRAFT
    assert any("main result" in str(m) for m in response.context["messages"])


@pytest.mark.parametrize("persona", ["rater", "rater_superior", "head"])
def test_others_who_see_the_plan_may_not_submit_it(cast, client_for, persona):
    skp = draft(cast)
    assert client_for(cast.users[persona]).post(step_url("submit", skp)).status_code == 403
    assert state(skp) == SkpState.DRAFT


@pytest.mark.parametrize("name", ["submit", "approve", "return", "expectations"])
@pytest.mark.parametrize("persona", ["outsider", "colleague"])
def test_outsiders_get_404_for_every_step(cast, client_for, persona, name):
    skp = submitted(cast)
    assert client_for(cast.users[persona]).post(step_url(name, skp)).status_code == 404
    assert state(skp) == SkpState.SUBMITTED


@pytest.mark.parametrize("name", ["submit", "approve", "return"])
def test_steps_accept_only_post(cast, client_for, name):
    skp = submitted(cast)
    assert client_for(cast.rater).get(step_url(name, skp)).status_code == 405


@pytest.mark.parametrize("name", ["submit", "approve", "return", "expectations"])
def test_anonymous_visitors_are_sent_to_sign_in(cast, client, name):
    skp = submitted(cast)
    response = client.post(step_url(name, skp))
    assert response.status_code == 302 and "/masuk/" in response["Location"]
