"""Organisational performance: the performance agreement (Perjanjian Kinerja) of an agency I
head (holder or acting), submitted and waiting for my agreement (``agreement_transition``
``agree``/``return``: ``can_agree``). No rule table gives it a due date."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.organizations.scope import Scope
from kinerja.strategy.models import AgreementState, PerformanceAgreement

from .base import Task, task


def agreements_to_agree(user, scope: Scope, today: date) -> list[Task]:
    """``agreement_agree`` of a performance agreement."""
    if not scope.agencies_headed:
        return []
    agreements = (
        PerformanceAgreement.objects.visible_to(user)
        .filter(state=AgreementState.SUBMITTED, agency_id__in=scope.agencies_headed)
        .select_related("agency")
        .order_by("year", "agency__code")
    )
    return [
        task(
            "agreement_agree",
            _("Agree or return the %(year)s performance agreement of %(agency)s")
            % {"year": a.year, "agency": a.agency.name},
            None,
            reverse("strategy:agreement", args=[a.agency.code, a.year]),
            f"pk:{a.pk}",
            today,
        )
        for a in agreements
    ]
