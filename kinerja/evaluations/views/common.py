"""What the evaluation pages share."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from kinerja.core.periods import Period
from kinerja.skp.models import Skp
from kinerja.skp.rhythm import periods_of


def plans_for_rating():
    """Plans with the people and the agency the evaluation pages show (one query)."""
    return Skp.objects.select_related("employee", "unit__agency", "rater", "rater_superior")


def plan_url(skp_id: int) -> str:
    """The plan's own page."""
    return reverse("skp:detail", args=[skp_id])


def rate_url(skp_id: int, period) -> str:
    return reverse("evaluations:rate", args=[skp_id, str(period)])


def current_period(rhythm: str, year: int) -> Period:
    """The latest period of ``rhythm`` in ``year`` that has begun (the first one before)."""
    today = timezone.localdate()
    periods = periods_of(rhythm, year)
    started = [p for p in periods if p.start <= today]
    return started[-1] if started else periods[0]
