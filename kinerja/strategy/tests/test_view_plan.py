"""The region's plan (``strategy:plan``): vision and missions, read by every signed-in user;
anonymous visitors sign in."""

import pytest
from django.urls import reverse

from .support import build_sample

PLAN = reverse("strategy:plan")


@pytest.mark.parametrize("persona", ["employee", "outsider", "head", "auditor", "admin"])
def test_every_signed_in_user_reads_the_vision_and_missions(cast, client_for, persona):
    sample = build_sample(cast)
    response = client_for(cast.users[persona]).get(PLAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="plan-{sample.plan.pk}-mission-2"' in html
    assert "Palembang Emas Darussalam" in html
    assert ('id="plan-new"' in html) is (persona == "admin")


def test_anonymous_visitors_are_sent_to_sign_in(db, client):
    assert client.get(PLAN).status_code == 302
