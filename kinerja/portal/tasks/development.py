"""Development and feedback: the actions of an agreed development plan not done yet (the
employee does them, the rater follows them up: ``development_follow_up``), development plans
waiting for my agreement (``development_agree``: the employee and the rater, once the plan has
an action — due by its first action), and feedback on my own plan that I have not answered
(``feedback_post`` with ``parent``: the employee replies)."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.evaluations.models import (
    DevelopmentAction,
    DevelopmentPlan,
    DevelopmentState,
    Feedback,
)
from kinerja.organizations.scope import Scope
from kinerja.skp.models import SkpState

from .base import Task, task

#: Feedback on a plan in these states is history: no reply is asked any more.
FEEDBACK_CLOSED = {SkpState.DRAFT, SkpState.FINAL, SkpState.CLOSED}


def development_actions_due(user, scope: Scope, today: date) -> list[Task]:
    """``development_action``: as the plan's employee or its rater."""
    me = scope.employee_id
    if me is None:
        return []
    actions = (
        DevelopmentAction.objects.filter(
            plan__in=DevelopmentPlan.objects.visible_to(user).values("pk"),
            plan__state=DevelopmentState.AGREED,
            done_on__isnull=True,
        )
        .filter(Q(plan__skp__employee_id=me) | Q(plan__skp__rater_id=me))
        .select_related("plan__skp__employee")
        .order_by("due_on", "pk")
    )
    tasks = []
    for action in actions:
        employee = action.plan.skp.employee
        if employee.pk == me:
            title = _("Your development action: %(action)s") % {"action": action.description}
        else:
            title = _("Follow up %(name)s's development action: %(action)s") % {
                "name": employee.name,
                "action": action.description,
            }
        url = reverse("evaluations:development", args=[action.plan_id])
        tasks.append(task("development_action", title, action.due_on, url, action.pk, today))
    return tasks


def development_plans_to_agree(user, scope: Scope, today: date) -> list[Task]:
    """``agreement_agree`` of a development plan: a draft with an action, not yet agreed by me
    (the employee, or the plan's rater)."""
    me = scope.employee_id
    if me is None:
        return []
    plans = (
        DevelopmentPlan.objects.visible_to(user)
        .filter(state=DevelopmentState.DRAFT)
        .filter(
            Q(skp__employee_id=me, employee_agreed_at__isnull=True)
            | Q(skp__rater_id=me, rater_agreed_at__isnull=True)
        )
        .annotate(
            first_due=Min("actions__due_on"),
            has_action=Exists(DevelopmentAction.objects.filter(plan=OuterRef("pk"))),
        )
        .filter(has_action=True)
        .select_related("skp__employee")
        .order_by("created_at", "pk")
    )
    tasks = []
    for plan in plans:
        if plan.skp.employee_id == me:
            title = _("Agree your development plan: %(goal)s") % {"goal": plan.goal}
        else:
            title = _("Agree the development plan of %(name)s: %(goal)s") % {
                "name": plan.skp.employee.name,
                "goal": plan.goal,
            }
        url = reverse("evaluations:development", args=[plan.pk])
        tasks.append(task("agreement_agree", title, plan.first_due, url, f"dev:{plan.pk}", today))
    return tasks


def feedback_to_reply(user, scope: Scope, today: date) -> list[Task]:
    """``feedback_reply``: a thread on my own open plan, started by someone else, without a
    reply of mine."""
    me = scope.employee_id
    if me is None:
        return []
    my_reply = Feedback.objects.filter(parent=OuterRef("pk"), author_id=me)
    threads = (
        Feedback.objects.filter(
            skp__employee_id=me,
            skp__ends_on__isnull=True,
            skp__year__gte=today.year - 1,
            parent__isnull=True,
        )
        .exclude(author_id=me)
        .exclude(skp__state__in=FEEDBACK_CLOSED)
        .exclude(Exists(my_reply))
        .select_related("author")
        .order_by("created_at", "pk")
    )
    return [
        task(
            "feedback_reply",
            _("Reply to %(name)s's feedback: %(text)s")
            % {"name": f.author.name, "text": _short(f.text)},
            None,
            f"{reverse('evaluations:feedback', args=[f.skp_id])}#thread-{f.pk}",
            f.pk,
            today,
        )
        for f in threads
    ]


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
