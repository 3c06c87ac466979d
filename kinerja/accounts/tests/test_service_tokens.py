"""``token_create`` and ``token_revoke``: only the regional administrator hands out tokens."""

import pytest
from django.core.exceptions import PermissionDenied

from kinerja.accounts.models import ApiToken
from kinerja.accounts.services import token_create, token_revoke
from kinerja.core.actors import SYSTEM


@pytest.mark.parametrize("by", ["admin", "system"])
def test_the_administrator_creates_and_revokes_a_token(cast, by):
    actor = SYSTEM if by == "system" else cast.admin
    token, secret = token_create(name="laporan", user=cast.employee, by=actor)
    token_revoke(token=token, by=actor)
    assert secret.startswith("knj_")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


@pytest.mark.parametrize("persona", ["pengelola", "head", "auditor", "employee"])
def test_nobody_else_creates_or_revokes_tokens(cast, persona):
    with pytest.raises(PermissionDenied):
        token_create(name="mine", user=cast.users[persona], by=cast.users[persona])
    token, _secret = token_create(name="laporan", user=cast.admin, by=SYSTEM)
    with pytest.raises(PermissionDenied):
        token_revoke(token=token, by=cast.users[persona])
    assert ApiToken.objects.get().revoked_at is None
