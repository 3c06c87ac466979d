"""``core:notifications``: everyone sees their own notifications and no one else's; signed-out
visitors are sent to sign in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.core.tests.support import read_url

PAGE = reverse("core:notifications")


def test_the_page_shows_only_ones_own_notifications(cast, client_for, notes):
    mine, theirs = notes
    response = client_for(cast.employee).get(PAGE)
    assert response.status_code == 200
    shown = [item.pk for item in response.context["page"]]
    assert shown == [mine.pk]
    html = response.content.decode()
    assert f'id="notification-{mine.pk}"' in html
    assert all(f'id="notification-{other.pk}"' not in html for other in theirs)


@pytest.mark.parametrize("persona", ["admin", "auditor", "outsider"])
def test_nobody_else_sees_or_marks_ones_notifications(cast, client_for, notes, persona):
    mine, _theirs = notes
    client = client_for(getattr(cast, persona))
    assert mine.pk not in [item.pk for item in client.get(PAGE).context["page"]]
    assert client.post(read_url(mine)).status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "next=" in response["Location"]
