"""``role_assign`` and ``role_revoke``: the regional administrator's (and the installation's)."""

import pytest
from django.core.exceptions import PermissionDenied

from kinerja.accounts.models import Role, RoleAssignment
from kinerja.accounts.services import role_assign, role_revoke
from kinerja.core.actors import SYSTEM


@pytest.mark.parametrize("by", ["admin", "system"])
def test_the_administrator_gives_and_takes_back_a_role(cast, by):
    actor = SYSTEM if by == "system" else cast.admin
    assignment = role_assign(user=cast.outsider, role=Role.AUDITOR, by=actor)
    role_revoke(assignment=assignment, by=actor)
    assert not RoleAssignment.objects.filter(user=cast.outsider).exists()


@pytest.mark.parametrize("persona", ["pengelola", "head", "auditor", "employee"])
def test_nobody_else_gives_or_takes_back_roles(cast, persona):
    with pytest.raises(PermissionDenied):
        role_assign(user=cast.users[persona], role=Role.ADMIN_BKPSDM, by=cast.users[persona])
    assignment = RoleAssignment.objects.get(user=cast.auditor)
    with pytest.raises(PermissionDenied):
        role_revoke(assignment=assignment, by=cast.users[persona])
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not RoleAssignment.objects.filter(
        user=cast.users[persona], role=Role.ADMIN_BKPSDM
    ).exists()
