"""``services.service_token_create`` and ``service_token_revoke``: only the region's
administrator (``SYSTEM`` in commands) manages service applications' tokens."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kinerja.accounts.models import ApiToken
from kinerja.core.actors import SYSTEM
from kinerja.streams import services

from .service_data import make_stream

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["admin", None])
def test_the_regions_administrator_creates_and_revokes_a_service_token(cast, who):
    by = SYSTEM if who is None else getattr(cast, who)
    stream = make_stream(cast.dinkes)
    token, secret = services.service_token_create(name="psc-119", streams=[stream], by=by)
    assert secret and list(token.streams.all()) == [stream] and token.user is None
    services.service_token_revoke(token=token, by=by)
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("who", ["pengelola", "head", "auditor", "employee"])
def test_nobody_else_manages_service_tokens(cast, who):
    user = getattr(cast, who)
    stream = make_stream(cast.dinkes)
    with pytest.raises(PermissionDenied):
        services.service_token_create(name="psc-119", streams=[stream], by=user)
    assert not ApiToken.objects.exists()
    token, _secret = services.service_token_create(name="psc-119", streams=[stream], by=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.service_token_revoke(token=token, by=user)
    token.refresh_from_db()
    assert token.revoked_at is None
