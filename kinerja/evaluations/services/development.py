"""Development plans: opened by a predicate below Baik or by anyone who wants one; actions
(training, mentoring, coaching) with owners and due dates; agreed by the employee and the
rater; followed up by the rater at the next evaluation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.skp.models import Skp
from kinerja.skp.services import clean_text

from .. import permissions
from ..models import ActionKind, DevelopmentAction, DevelopmentPlan, DevelopmentState, Evaluation


@transaction.atomic
def development_open(
    *, skp: Skp, by: Actor, goal: str, evaluation: Evaluation | None = None, _checked: bool = False
) -> DevelopmentPlan:
    """Open a development plan — anyone may have one; a predicate below Baik opens one."""
    if not _checked:
        permissions.require(
            permissions.may_develop(by, skp), _("You may not open a development plan here.")
        )
    plan = DevelopmentPlan.objects.create(
        skp=skp, goal=clean_text(goal, "goal"), opened_by_evaluation=evaluation
    )
    audit.record(
        "create",
        plan,
        object_id=str(plan.pk),
        after={"goal": plan.goal, "evaluation": evaluation.period if evaluation else None},
    )
    return plan


@transaction.atomic
def development_action_add(
    *, plan: DevelopmentPlan, by: Actor, kind: str, description: str, owner: str, due_on: date
) -> DevelopmentAction:
    permissions.require(
        permissions.may_develop(by, plan.skp), _("You may not change this development plan.")
    )
    if plan.state != DevelopmentState.DRAFT:
        raise ValidationError({"plan": _("The plan is agreed; record progress in the follow-up.")})
    if kind not in ActionKind.values:
        raise ValidationError({"kind": _("Choose training, mentoring or coaching.")})
    if not isinstance(due_on, date):
        raise ValidationError({"due_on": _("Give a date, e.g. 30/06/2026.")})
    action = DevelopmentAction.objects.create(
        plan=plan, kind=kind, description=clean_text(description, "description"),
        owner=clean_text(owner, "owner", limit=200), due_on=due_on,
    )  # fmt: skip
    audit.record(
        "create",
        action,
        object_id=f"{plan.pk}/{action.pk}",
        after={"kind": kind, "description": action.description, "due_on": due_on.isoformat()},
    )
    return action


@transaction.atomic
def development_agree(
    *, plan: DevelopmentPlan, by: Actor, now: datetime | None = None
) -> DevelopmentPlan:
    """The employee and the rater each agree; the plan is agreed when both have."""
    now = now or timezone.now()
    plan = DevelopmentPlan.objects.select_for_update().select_related("skp").get(pk=plan.pk)
    skp = plan.skp
    if plan.state != DevelopmentState.DRAFT:
        raise ValidationError({"plan": _("The plan is already agreed.")})
    if not plan.actions.exists():
        raise ValidationError({"plan": _("Add at least one action first.")})
    if permissions.is_self(by, skp.employee):
        plan.employee_agreed_at = now
    elif permissions.rates_plan(by, skp):
        plan.rater_agreed_at = now
    else:
        permissions.require(False, _("Only the employee and the rater agree a development plan."))
    if plan.employee_agreed_at and plan.rater_agreed_at:
        plan.state = DevelopmentState.AGREED
    plan.save()
    audit.record("agree", plan, object_id=str(plan.pk), after={"state": plan.state})
    return plan


@transaction.atomic
def development_follow_up(
    *, plan: DevelopmentPlan, by: Actor, text: str, done: Iterable[int] = (), close: bool = False
) -> DevelopmentPlan:
    """The rater records progress at the next evaluation; closing ends the plan."""
    plan = DevelopmentPlan.objects.select_for_update().select_related("skp").get(pk=plan.pk)
    permissions.require(permissions.rates_plan(by, plan.skp), _("The rater follows the plan up."))
    if plan.state != DevelopmentState.AGREED:
        raise ValidationError({"plan": _("Only an agreed plan is followed up.")})
    plan.follow_up = clean_text(text, "text")
    today = timezone.localdate()
    plan.actions.filter(pk__in=list(done), done_on__isnull=True).update(done_on=today)
    if close:
        plan.state = DevelopmentState.CLOSED
    plan.save()
    audit.record(
        "follow_up",
        plan,
        object_id=str(plan.pk),
        after={"text": plan.follow_up, "state": plan.state},
    )
    return plan
