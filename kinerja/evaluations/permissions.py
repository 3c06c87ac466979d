"""Who may do what in the evaluation of plans. The operations (:mod:`.services`) call these, so
that every door (page, API, command) applies the same rules; reading is decided by the doors
of the models (``Skp.objects.visible_to``, ``Evaluation.objects.visible_to``, …).

* Rights decided by the plan — the employee (:func:`is_self`), the plan's rater
  (:func:`rates_plan`), the agency's administrators (:func:`can_administer`), development
  plans (:func:`may_develop`) — are the plan's (:mod:`kinerja.skp.permissions`), used here as
  they are.
* Feedback comes from the rater, the rater's superior, peers (who share the rater) and
  subordinates; the employee replies (:func:`feedback_role`).
* The organisation predicate of a unit is set by the leader above it, the agency's head or
  the region's administrator (:func:`may_set_org_predicate`).
* Only the rater's superior recorded on an objection decides it (:func:`decides`); a JPT's
  objection is decided by the head of region, recorded by the region's administrator, as the
  ratings are. The rater who gave the rating explains it when the decider asks
  (:func:`explains`).
* A recorded rating is corrected by the plan's rater until the period's deadline, by the
  rater's superior after it; the head of region's (a JPT's) by the region's administrator
  (:func:`may_correct`).
* A coaching item about an employee is answered by the rater of the employee's plan, or the
  rater's superior (:func:`may_coach`); a development action through it also needs the
  development plan's own right (:func:`may_develop`: the rater, not the superior).
* The agency's rhythm is set by its head or performance administrator, or the region's
  administrator (:func:`may_set_rhythm`).
* The year's work of the whole region — the annual closing, the reminders — is the region's
  administrator's (or the installation's, :data:`~kinerja.core.actors.SYSTEM`); for one
  agency, also its performance administrator's (:func:`runs_the_year`).
"""

from __future__ import annotations

from django.db.models import Q

from kinerja.core.actors import Actor
from kinerja.organizations.heads import unit_head
from kinerja.organizations.models import Agency, Employee, RaterChain, Unit
from kinerja.organizations.scope import scope_for
from kinerja.skp.models import Skp
from kinerja.skp.permissions import (
    PermissionDenied,
    above_rater,
    acts_for_region_head,
    can_administer,
    is_administrator,
    is_self,
    may_develop,
    rates_plan,
    require,
)

from .models import FeedbackRole, Objection

__all__ = [
    "PermissionDenied",
    "can_administer",
    "decides",
    "explains",
    "feedback_role",
    "is_self",
    "may_coach",
    "may_correct",
    "may_develop",
    "may_set_org_predicate",
    "may_set_rhythm",
    "may_watch_unit",
    "rates_plan",
    "require",
    "runs_the_year",
    "sees_credit",
]


def feedback_role(user: Actor | None, skp: Skp) -> str | None:
    """How the user stands to the plan's owner, for feedback; ``None``: may not write."""
    me = scope_for(user).employee_id
    if me is None:
        return None
    if me == skp.employee_id:
        return FeedbackRole.EMPLOYEE
    if me in {skp.rater_id}:
        return FeedbackRole.RATER
    if me == skp.rater_superior_id:
        return FeedbackRole.OTHER
    if skp.rater_id and RaterChain.objects.filter(employee_id=me, rater_id=skp.rater_id).exists():
        return FeedbackRole.PEER
    if RaterChain.objects.filter(employee_id=me, rater_id=skp.employee_id).exists():
        return FeedbackRole.SUBORDINATE
    return None


def may_set_org_predicate(user: Actor | None, unit: Unit) -> bool:
    """The leader above the unit — the rater of its head — or the agency's head, or the
    region's administrator (for a top unit, whose leader is the head of region)."""
    scope = scope_for(user)
    if scope.region_write or unit.agency_id in scope.agencies_headed:
        return True
    head = unit_head(unit)
    if head is None or scope.employee_id is None or head.pk == scope.employee_id:
        return False
    return RaterChain.objects.filter(employee=head, rater_id=scope.employee_id).exists()


def may_watch_unit(user: Actor | None, unit: Unit) -> bool:
    """See a unit's curve: its agency's readers, the leader above it, and whoever rates (or
    is the rater's superior of) someone in it."""
    scope = scope_for(user)
    if scope.region_read or unit.agency_id in scope.agencies_read:
        return True
    if may_set_org_predicate(user, unit):
        return True
    me = scope.employee_id
    return (
        me is not None
        and RaterChain.objects.filter(
            Q(rater_id=me) | Q(rater_superior_id=me), employee__unit=unit
        ).exists()
    )


def decides(user: Actor | None, objection: Objection, skp: Skp) -> bool:
    """The rater's superior recorded on the objection to a rating of ``skp`` — or, for a JPT's
    objection decided by the head of region, the region's administrator who records the head
    of region's decisions (never the employee objecting)."""
    scope = scope_for(user)
    me = scope.employee_id
    if objection.for_region_head:
        return scope.region_write and (me is None or me != skp.employee_id)
    return me is not None and me == objection.decider_id and me != skp.employee_id


def explains(user: Actor | None, objection: Objection, skp: Skp) -> bool:
    """The rater who gave the rating objected to (the plan's rater when none is recorded)
    explains it; never for the head of region's rating, never the employee."""
    if objection.for_region_head:
        return False
    me = scope_for(user).employee_id
    rater = objection.evaluation.rated_by_id or skp.rater_id
    return me is not None and me == rater and me != skp.employee_id


def may_set_rhythm(user: Actor | None, agency: Agency) -> bool:
    scope = scope_for(user)
    return scope.region_write or agency.pk in scope.agencies_managed | scope.agencies_headed


def runs_the_year(user: Actor | None, agency: Agency | None = None) -> bool:
    """Run the year's work (the annual closing, the reminders) for the whole region
    (``agency`` None: the region's administrator or the installation) or for one agency (also
    its performance administrator)."""
    scope = scope_for(user)
    return scope.region_write or (agency is not None and agency.pk in scope.agencies_managed)


def may_correct(user: Actor | None, skp: Skp, *, after_deadline: bool) -> bool:
    """Correct a recorded rating of ``skp``: the plan's rater until the period's deadline, the
    rater's superior after it (never the employee); for a plan the head of region rates, the
    region's administrator who records the head of region's decisions."""
    if acts_for_region_head(user, skp):
        return True
    me = scope_for(user).employee_id
    if me is None or me == skp.employee_id:
        return False
    return me == (skp.rater_superior_id if after_deadline else skp.rater_id)


def sees_credit(user: Actor | None, employee: Employee) -> bool:
    """A credit-point ledger is seen as the person's plans are (the person, their rater chain,
    the agency's performance administrator, the region's administrator and auditors), and by
    who records their PAK; not by everyone who may look the person up (a subordinate sees their
    rater in the directory, not the rater's credit points)."""
    return (
        is_self(user, employee)
        or is_administrator(user, employee)
        or Skp.objects.visible_to(user).filter(employee=employee).exists()
    )


def may_coach(user: Actor | None, skp: Skp) -> bool:
    """Answer a coaching item about ``skp``'s employee (feedback, a development action, or
    dismiss it): the plan's rater or the rater's superior, never the employee."""
    return rates_plan(user, skp) or above_rater(user, skp)
