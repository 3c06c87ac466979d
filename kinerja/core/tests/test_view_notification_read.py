"""``core:notification_read``: opening a notification marks it read and follows its link."""

from __future__ import annotations

from kinerja.core.tests.support import read_url


def test_opening_a_notification_marks_it_read_and_follows_its_link(cast, client_for, notes):
    mine, _theirs = notes
    response = client_for(cast.employee).post(read_url(mine), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/x/"
    mine.refresh_from_db()
    assert mine.read_at is not None
