"""What the rater (or the rater's superior) does with a coaching item: send the feedback it
proposes (edited as they like) through :func:`.feedback.feedback_post`, add a development
action through the development plan's operations (:mod:`.development`), or dismiss it with a
reason. Each moves the item out of ``open`` once, on record (who, when, with what)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor, user_of
from kinerja.skp.models import Rhk, RhkKind
from kinerja.skp.services import clean_text

from .. import permissions
from ..models import (
    ActionKind,
    CoachingItem,
    CoachingState,
    DevelopmentAction,
    DevelopmentPlan,
    DevelopmentState,
    FeedbackTag,
)
from .development import development_action_add, development_open
from .feedback import feedback_post


def _open_item(item: CoachingItem, by: Actor) -> CoachingItem:
    """The item, locked, once ``by`` may answer it and it is still open."""
    item = (
        CoachingItem.objects.select_for_update(of=("self",))
        .select_related("skp__employee", "skp__unit__agency", "iki__rhk")
        .get(pk=item.pk)
    )
    permissions.require(
        permissions.may_coach(by, item.skp),
        _("Only the employee's rater or the rater's superior answers a coaching item."),
    )
    if item.state != CoachingState.OPEN:
        raise ValidationError(
            {"state": _("This coaching item is %(state)s already.") % {
                "state": item.get_state_display()
            }}
        )  # fmt: skip
    return item


def _close(item: CoachingItem, by: Actor, state: str, **what: object) -> CoachingItem:
    item.state, item.acted_by, item.acted_at = state, user_of(by), timezone.now()
    for name, value in what.items():
        setattr(item, name, value)
    item.save()
    after = {"state": state, **{k: getattr(v, "pk", v) for k, v in what.items()}}
    audit.record("transition", item, before={"state": CoachingState.OPEN}, after=after)
    return item


def default_result(item: CoachingItem) -> Rhk | None:
    """The result a feedback on the item is about: the indicator's, else the plan's first
    main result."""
    if item.iki is not None:
        return item.iki.rhk
    results = item.skp.results.order_by("kind", "number")
    return results.filter(kind=RhkKind.MAIN).first() or results.first()


@transaction.atomic
def coaching_send_feedback(
    *, item: CoachingItem, by: Actor, text: str, rhk: Rhk | None = None
) -> CoachingItem:
    """Send the (edited) message as feedback on the result, tagged improvement."""
    item = _open_item(item, by)
    rhk = rhk or default_result(item)
    if rhk is None:
        raise ValidationError({"rhk": _("The plan has no result to give feedback on.")})
    feedback = feedback_post(skp=item.skp, by=by, text=text, tag=FeedbackTag.IMPROVEMENT, rhk=rhk)
    return _close(item, by, CoachingState.FEEDBACK_SENT, feedback=feedback)


def _draft_plan(item: CoachingItem, by: Actor, goal: str) -> DevelopmentPlan:
    """The employee's development plan still in draft, or a new one with ``goal``."""
    plan = (
        DevelopmentPlan.objects.filter(skp=item.skp, state=DevelopmentState.DRAFT)
        .order_by("-created_at", "-pk")
        .first()
    )
    return plan or development_open(skp=item.skp, by=by, goal=goal)


@transaction.atomic
def coaching_add_development(
    *,
    item: CoachingItem,
    by: Actor,
    goal: str,
    description: str,
    owner: str,
    due_on: date,
    kind: str = ActionKind.COACHING,
) -> CoachingItem:
    """Add a development action to the employee's draft development plan (opened with
    ``goal`` when there is none); the employee and the rater then agree it as usual. The
    development plan's own right applies (the rater; not the rater's superior)."""
    item = _open_item(item, by)
    permissions.require(
        permissions.may_develop(by, item.skp),
        _("The employee's rater agrees development actions with the employee."),
    )
    plan = _draft_plan(item, by, goal)
    action: DevelopmentAction = development_action_add(
        plan=plan, by=by, kind=kind, description=description, owner=owner, due_on=due_on
    )
    return _close(item, by, CoachingState.DEVELOPMENT_ADDED, development_action=action)


@transaction.atomic
def coaching_dismiss(*, item: CoachingItem, by: Actor, reason: str) -> CoachingItem:
    """Nothing to do (e.g. the slip is explained): the reason is kept; the employee is not
    shown a dismissed item."""
    item = _open_item(item, by)
    return _close(item, by, CoachingState.DISMISSED, reason=clean_text(reason, "reason"))
