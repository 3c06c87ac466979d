"""The regional government (Pemda) this installation serves."""

from __future__ import annotations

from django.db import transaction

from kinerja.core import audit
from kinerja.core.actors import Actor

from .. import permissions
from ..models import Region

REGION_FIELDS = ["code", "name", "head_title", "head_name"]


@transaction.atomic
def region_set(*, code: str, name: str, head_title: str, head_name: str = "", by: Actor) -> Region:
    """Create or update the region this installation serves (there is one). Regional
    administrator only."""
    permissions.require_administrator(by)
    region = Region.objects.select_for_update().first()
    before = audit.snapshot(region, REGION_FIELDS) if region else None
    if region is None:
        region = Region()
    region.code, region.name = code, name
    region.head_title, region.head_name = head_title, head_name
    region.full_clean()
    region.save()
    after = audit.snapshot(region, REGION_FIELDS)
    if before != after:
        b, a = audit.changed(before, after)
        audit.record("create" if before is None else "update", region, before=b, after=a)
    return region
