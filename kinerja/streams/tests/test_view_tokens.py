"""``streams:tokens``: only Admin BKPSDM sees and creates service tokens; a created token is shown
once and works by its hash; a bad form shows the error on its field."""

from __future__ import annotations

import pytest
from django.test import Client

from kinerja.accounts.models import ApiToken, hash_token

from .support import CODE, url


@pytest.mark.parametrize(
    "persona", ["auditor", "pengelola", "head", "employee", "outsider", "other_head"]
)
def test_only_admin_bkpsdm_manages_service_tokens(cast, client_for, stream, service_token, persona):
    client = client_for(getattr(cast, persona))
    assert client.get(url("tokens")).status_code == 403
    created = client.post(url("tokens"), {"name": "lain", "streams": [stream.pk]})
    assert created.status_code == 403
    assert client.post(url("token_revoke", service_token.pk)).status_code == 403
    assert not ApiToken.objects.filter(name="lain").exists()
    service_token.refresh_from_db()
    assert service_token.revoked_at is None


def test_admin_bkpsdm_sees_the_service_tokens(cast, client_for, service_token):
    response = client_for(cast.admin).get(url("tokens"))
    assert response.status_code == 200
    assert [t.name for t in response.context["tokens"]] == ["psc-119"]


def test_creating_a_token_needs_the_csrf_token(cast, stream):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin, backend="kinerja.accounts.backends.NipOrUsernameBackend")
    assert client.post(url("tokens"), {"name": "x", "streams": [stream.pk]}).status_code == 403
    assert not ApiToken.objects.filter(name="x").exists()


def test_a_created_token_is_shown_once_and_works_by_its_hash(cast, client_for, stream):
    client = client_for(cast.admin)
    response = client.post(url("tokens"), {"name": "siak-ktp", "streams": [stream.pk]})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = ApiToken.objects.get(name="siak-ktp")
    assert token.token_hash == hash_token(secret)
    assert token.user is None and list(token.streams.all()) == [stream]
    assert secret not in client.get(url("tokens")).content.decode()
    assert secret not in client.get(url("detail", CODE)).content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "streams": ["STREAM"]}, "name"),
        ({"name": "psc-119", "streams": ["STREAM"]}, "name"),  # taken
        ({"name": "baru"}, "streams"),
        ({"name": "baru", "streams": ["999999"]}, "streams"),
    ],
)
def test_a_bad_token_form_shows_the_error_on_its_field(
    cast, client_for, stream, service_token, data, field
):
    data = {k: [stream.pk if v == "STREAM" else v for v in vs] if k == "streams" else vs
            for k, vs in data.items()}  # fmt: skip
    response = client_for(cast.admin).post(url("tokens"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ApiToken.objects.count() == 1
