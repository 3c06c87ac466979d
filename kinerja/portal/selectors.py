"""Reading the audit trail, through its one door
(:func:`kinerja.organizations.selectors.audit_records_visible_to`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from kinerja.core.models import AuditRecord
from kinerja.organizations.selectors import audit_records_visible_to


def day_start(day: date) -> datetime:
    """Midnight of ``day`` in the region's time zone (the dates users think in)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_records_filtered(
    user,
    *,
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    channel: str = "",
    actor: str = "",
    agency: str = "",
    text: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditRecord]:
    """Filter the trail; ``since`` and ``until`` are inclusive days in the region's time zone."""
    qs = audit_records_visible_to(user)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action=action)
    if channel:
        qs = qs.filter(channel=channel)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if agency:
        qs = qs.filter(agency_code=agency.upper())
    if text:
        qs = qs.filter(Q(object_id__icontains=text) | Q(object_repr__icontains=text))
    if since:
        qs = qs.filter(at__gte=day_start(since))
    if until:
        qs = qs.filter(at__lt=day_start(until + timedelta(days=1)))
    return qs.order_by("-seq")
