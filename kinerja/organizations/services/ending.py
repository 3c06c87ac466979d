"""Ending an acting assignment or a rater override: the step shared by the operations that end
one (:func:`~.acting.acting_end`, :func:`~.overrides.override_end`,
:func:`~.raters.raters_refresh`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from kinerja.core import audit

from ..models import ActingOfficial, RaterOverride


def end_now(record: ActingOfficial | RaterOverride, *, already: str = "") -> None:
    """End ``record`` now, with its audit record; refuse with ``already`` if it has ended."""
    if record.ended_at is not None:
        raise ValidationError(already)
    before = audit.snapshot(record, ["ended_at"])
    record.ended_at = timezone.now()
    record.save(update_fields=["ended_at"])
    audit.record("end", record, before=before, after=audit.snapshot(record, ["ended_at"]))
