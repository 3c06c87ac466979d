"""Who may change what in organisational performance — one place. The operations of
:mod:`.services` check these inside (every door: page, API, command, import); pages and
endpoints read them only to show or hide what one may do.

* the region's plan (vision, missions): Admin BKPSDM;
* an agency's goals, strategic targets, indicators and the draft of its agreement: the
  agency's Pengelola Kinerja and Admin BKPSDM;
* agreeing (or returning) the agreement: the agency head, holder or acting;
* realisations and evidence: those who manage the agency, and the holder of the indicator's
  owning position;
* verifying a realisation: the owner's superior — the rater of the owning position's holder,
  or the agency head when the indicator has no owning position — never the person who
  entered the value.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from kinerja.core.actors import Actor
from kinerja.organizations.models import ActingOfficial, Employee, RaterChain
from kinerja.organizations.scope import scope_for

from .models import Indicator, PerformanceAgreement, Realisation


def require(allowed: bool, message: str) -> None:
    """Refuse with ``message`` (translated, shown to the person) unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)


def can_edit_plan(user: Actor) -> bool:
    return scope_for(user).region_write


def can_manage(user: Actor, agency_id: int) -> bool:
    scope = scope_for(user)
    return scope.region_write or agency_id in scope.agencies_managed


def can_agree(user: Actor, agreement: PerformanceAgreement) -> bool:
    return agreement.agency_id in scope_for(user).agencies_headed


#: Who moves the agreement: its drafters submit and reopen it, the agency head agrees or
#: returns it.
DRAFTER_ACTIONS = frozenset({"submit", "reopen"})


def can_transition(user: Actor, agreement: PerformanceAgreement, action: str) -> bool:
    if action in DRAFTER_ACTIONS:
        return can_manage(user, agreement.agency_id)
    return can_agree(user, agreement)


def owns(user: Actor, indicator: Indicator) -> bool:
    employee_id = scope_for(user).employee_id
    return (
        employee_id is not None
        and indicator.owner_position_id is not None
        and Employee.objects.filter(
            pk=employee_id, position_id=indicator.owner_position_id, active=True
        ).exists()
    )


def can_enter_realisation(user: Actor, indicator: Indicator) -> bool:
    return can_manage(user, indicator.agency_id) or owns(user, indicator)


def verifiers(indicator: Indicator) -> set[int]:
    """Employee ids of those who verify this indicator's realisations."""
    if indicator.owner_position_id:
        raters = set(
            RaterChain.objects.filter(
                employee__position_id=indicator.owner_position_id, employee__active=True
            )
            .exclude(rater=None)
            .values_list("rater_id", flat=True)
        )
        if raters:
            return raters
    head_position = indicator.agency.head_position_id
    if head_position is None:
        return set()
    heads = set(
        Employee.objects.filter(position_id=head_position, active=True).values_list("pk", flat=True)
    )
    heads |= set(
        ActingOfficial.objects.filter(position_id=head_position, ended_at=None).values_list(
            "employee_id", flat=True
        )
    )
    return heads


def can_verify(user: Actor, realisation: Realisation) -> bool:
    employee_id = scope_for(user).employee_id
    if employee_id is None or realisation.entered_by_id == user.pk:
        return False
    return employee_id in verifiers(realisation.indicator)
