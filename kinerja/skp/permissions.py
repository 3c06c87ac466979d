"""Who may do what with a plan. The services call these, so that every door (page, API,
command) applies the same rules; reading is decided by ``Skp.objects.visible_to``.

* The employee drafts, changes and submits their own plan, and reports realisations.
* The agency's performance administrator (and the region's administrator) may do the same for
  any employee of the agency — drafting for someone is allowed after the second week of
  January (:func:`kinerja.skp.rules.admin_may_draft_from`).
* Only the plan's rater approves, returns and rates it; only the rater's superior decides an
  objection. Nobody rates their own plan.
* The employee, the rater and the agency's administrators work on the plan's development
  plans (:func:`may_develop`).

The rights over what the evaluation app keeps about a plan (ratings, objections, development
plans) are decided here too, from the plan: the evaluation app imports them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from kinerja.core.actors import Actor
from kinerja.organizations.models import Employee, RaterBasis, RaterChain
from kinerja.organizations.scope import scope_for

from .models import Skp


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def is_self(user: Actor | None, employee: Employee | None) -> bool:
    return user is not None and employee is not None and scope_for(user).employee_id == employee.pk


def is_administrator(user: Actor | None, employee: Employee) -> bool:
    scope = scope_for(user)
    return scope.region_write or employee.unit.agency_id in scope.agencies_managed


def rates(user: Actor | None, employee: Employee) -> bool:
    me = scope_for(user).employee_id
    return me is not None and RaterChain.objects.filter(employee=employee, rater_id=me).exists()


def can_create(user: Actor | None, employee: Employee) -> bool:
    return is_self(user, employee) or is_administrator(user, employee) or rates(user, employee)


def can_administer(user: Actor | None, skp: Skp) -> bool:
    return is_administrator(user, skp.employee)


def can_edit(user: Actor | None, skp: Skp) -> bool:
    """Change a draft or returned plan: its employee or an administrator of the agency."""
    return is_self(user, skp.employee) or is_administrator(user, skp.employee)


def can_report(user: Actor | None, skp: Skp) -> bool:
    """Enter realisations and evidence."""
    return can_edit(user, skp)


def rates_plan(user: Actor | None, skp: Skp) -> bool:
    """The plan's rater (never the employee: the chain never names someone as their own
    rater) — or, for a plan rated by the head of region, the region's administrator who
    records the head of region's decisions."""
    me = scope_for(user).employee_id
    if me is not None and skp.rater_id == me and skp.employee_id != me:
        return True
    return acts_for_region_head(user, skp)


def rated_by_region_head(skp: Skp) -> bool:
    """The plan's rater is the head of region (a JPT at the top of the tree), who is not an
    employee of the system."""
    if skp.rater_id is not None:
        return False
    basis = (
        RaterChain.objects.filter(employee_id=skp.employee_id)
        .values_list("rater_basis", flat=True)
        .first()
    )
    return basis == RaterBasis.REGION_HEAD


def acts_for_region_head(user: Actor | None, skp: Skp) -> bool:
    """The region's administrator (Admin BKPSDM) records the head of region's approval and
    rating of a plan the head of region rates — never their own plan."""
    scope = scope_for(user)
    return scope.region_write and scope.employee_id != skp.employee_id and rated_by_region_head(skp)


def may_develop(user: Actor | None, skp: Skp) -> bool:
    """Work on the plan's development plans (evaluations): the employee, the rater and the
    agency's administrators."""
    return is_self(user, skp.employee) or rates_plan(user, skp) or can_administer(user, skp)


def above_rater(user: Actor | None, skp: Skp) -> bool:
    me = scope_for(user).employee_id
    return me is not None and skp.rater_superior_id == me and skp.employee_id != me


__all__ = ["PermissionDenied", "require"]
