"""``raters_recompute`` and ``raters_refresh``: the regional administrator's repair and daily
runs."""

import pytest
from django.core.exceptions import PermissionDenied

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.organizations.models import RaterChain
from kinerja.organizations.services import raters_recompute, raters_refresh


@pytest.mark.parametrize("by", ["admin", "system"])
def test_a_repair_that_changed_chains_is_recorded_once(cast, by):
    RaterChain.objects.filter(employee=cast.employees["employee"]).delete()

    changed = raters_recompute(by=SYSTEM if by == "system" else cast.admin)

    assert changed == 1
    record = AuditRecord.objects.get(object_type="organizations.raterchain")
    assert record.after == {"changed": 1}


def test_a_repair_that_changed_nothing_records_nothing(cast):
    assert raters_recompute(by=cast.admin) == 0
    assert not AuditRecord.objects.filter(object_type="organizations.raterchain").exists()


@pytest.mark.parametrize("persona", ["pengelola", "head", "auditor", "employee"])
def test_only_the_regional_administrator_runs_them(cast, persona):
    RaterChain.objects.filter(employee=cast.employees["employee"]).delete()
    with pytest.raises(PermissionDenied):
        raters_recompute(by=cast.users[persona])
    with pytest.raises(PermissionDenied):
        raters_refresh(by=cast.users[persona])
    assert not RaterChain.objects.filter(employee=cast.employees["employee"]).exists()
