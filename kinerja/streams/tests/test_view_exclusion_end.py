"""``streams:exclusion_end``: managers end an exclusion (by role), once, only under its own
stream; the actions refuse GET."""

from __future__ import annotations

import pytest

from .service_data import make_stream
from .support import CODE, url


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 302),
        ("pengelola", 302),
        ("auditor", 403),
        ("head", 403),
        ("employee", 403),
        ("outsider", 404),
    ],
)
def test_ending_an_exclusion_by_role(cast, client_for, exclusion, persona, status):
    response = client_for(getattr(cast, persona)).post(url("exclusion_end", CODE, exclusion.pk))
    assert response.status_code == status
    exclusion.refresh_from_db()
    assert (exclusion.ended_at is not None) is (status == 302)


@pytest.mark.parametrize(
    ("name", "args"),
    [("exclusion_end", (CODE, 1)), ("token_revoke", (1,))],
)
def test_actions_refuse_get(cast, client_for, stream, name, args):
    assert client_for(cast.admin).get(url(name, *args)).status_code == 405


def test_an_exclusion_of_another_stream_is_not_found(cast, client_for, stream, exclusion):
    make_stream(cast.dinkes, code="lain")
    response = client_for(cast.admin).post(url("exclusion_end", "lain", exclusion.pk))
    assert response.status_code == 404
    exclusion.refresh_from_db()
    assert exclusion.ended_at is None


def test_ending_an_ended_exclusion_says_so_and_changes_nothing(cast, client_for, exclusion):
    client = client_for(cast.admin)
    client.post(url("exclusion_end", CODE, exclusion.pk))
    exclusion.refresh_from_db()
    ended = exclusion.ended_at
    response = client.post(url("exclusion_end", CODE, exclusion.pk), follow=True)
    assert response.status_code == 200
    exclusion.refresh_from_db()
    assert exclusion.ended_at == ended
