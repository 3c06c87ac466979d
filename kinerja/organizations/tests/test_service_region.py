"""``region_set``: the regional administrator's (and the installation's) only."""

import pytest
from django.core.exceptions import PermissionDenied

from kinerja.core.actors import SYSTEM
from kinerja.organizations.models import Region
from kinerja.organizations.services import region_set

VALUES = {"code": "PLG", "name": "Pemerintah Kota Palembang", "head_title": "Wali Kota Palembang"}


@pytest.mark.parametrize("by", ["admin", "system"])
def test_the_administrator_sets_the_region(cast, by):
    region = region_set(**VALUES, by=SYSTEM if by == "system" else cast.admin)
    assert Region.objects.get().name == region.name == VALUES["name"]


@pytest.mark.parametrize("persona", ["pengelola", "head", "auditor", "employee"])
def test_nobody_else_sets_the_region(cast, persona):
    before = Region.objects.get()
    with pytest.raises(PermissionDenied):
        region_set(**VALUES, by=cast.users[persona])
    assert Region.objects.get().name == before.name
