"""Approving a plan on its page (``skp:approve``): the rater approves and the history shows
who; only the rater approves or returns; approving a draft is refused with the reason."""

import pytest

from kinerja.skp.models import SkpState

from .support import detail_url, draft, english, state, step_url, submitted

pytestmark = pytest.mark.django_db


# --- Approve and return --------------------------------------------------------------------------


def test_the_rater_approves_and_the_history_shows_who(cast, client_for):
    skp = submitted(cast)
    client = client_for(cast.rater)
    assert client.post(step_url("approve", skp)).status_code == 302
    assert state(skp) == SkpState.APPROVED
    html = client.get(detail_url(skp)).content.decode()
    assert html.count('class="transition"') == 3
    assert "dr. Ahmad Fauzi" in html


@pytest.mark.parametrize("persona", ["employee", "rater_superior", "pengelola", "head", "admin"])
def test_only_the_rater_approves_or_returns(cast, client_for, persona):
    skp = submitted(cast)
    client = client_for(cast.users[persona])
    assert client.post(step_url("approve", skp)).status_code == 403
    assert client.post(step_url("return", skp), {"reason": "Perbaiki"}).status_code == 403
    assert state(skp) == SkpState.SUBMITTED


def test_approving_a_draft_is_refused_with_the_reason(cast, client_for):
    skp = draft(cast)
    response = english(client_for(cast.rater)).post(step_url("approve", skp), follow=True)
    assert state(skp) == SkpState.DRAFT
    assert any("Only a submitted plan" in str(m) for m in response.context["messages"])
