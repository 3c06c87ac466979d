"""``streams:token_revoke``: revoking a service token stops it; personal tokens are not managed
here."""

from __future__ import annotations

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM

from .support import url


def test_revoking_a_token_stops_it_and_is_shown(cast, client_for, service_token):
    client = client_for(cast.admin)
    assert client.post(url("token_revoke", service_token.pk)).status_code == 302
    service_token.refresh_from_db()
    assert service_token.revoked_at is not None
    content = client.get(url("tokens")).content.decode()
    assert f'id="token-revoke-{service_token.pk}"' not in content


def test_a_personal_token_is_not_managed_here(cast, client_for, stream):
    personal, _secret = token_create(name="pribadi", user=cast.employee, by=SYSTEM)
    response = client_for(cast.admin).post(url("token_revoke", personal.pk))
    assert response.status_code == 404
    personal.refresh_from_db()
    assert personal.revoked_at is None
    listed = client_for(cast.admin).get(url("tokens")).context["tokens"]
    assert "pribadi" not in [t.name for t in listed]
