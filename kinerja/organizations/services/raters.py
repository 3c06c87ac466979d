"""The operations on the rater chains as a whole: the daily refresh and a repair run."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from kinerja.core import audit
from kinerja.core.actors import Actor

from .. import permissions
from ..chains import rater_chains_sync
from ..models import ActingOfficial, RaterOverride
from .ending import end_now


@transaction.atomic
def raters_recompute(*, by: Actor) -> int:
    """Bring every stored rater chain in line with the tree (a repair run; the operations that
    change the tree keep the chains current themselves). Regional administrator only; returns
    how many chains changed and records the repair when there was one."""
    permissions.require_administrator(by)
    changed = rater_chains_sync()
    if changed:
        audit.record(
            "update",
            object_type="organizations.raterchain",
            object_repr="rater chains",
            after={"changed": changed},
        )
    return changed


@transaction.atomic
def raters_refresh(*, by: Actor, today: date | None = None) -> tuple[int, int]:
    """End acting assignments and overrides whose planned end has passed (run daily).
    Regional administrator only.

    Returns how many assignments ended and how many rater chains changed (including any
    drift the recomputation repaired)."""
    permissions.require_administrator(by)
    today = today or timezone.localdate()
    ended = 0
    for acting in ActingOfficial.objects.select_for_update().filter(
        ended_at=None, ends_on__lt=today
    ):
        end_now(acting)
        ended += 1
    for override in RaterOverride.objects.select_for_update().filter(
        ended_at=None, ends_on__lt=today
    ):
        end_now(override)
        ended += 1
    return ended, rater_chains_sync()
