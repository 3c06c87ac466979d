"""Development plans: opened by a predicate below Baik or by anyone who wants one; actions
(training, mentoring, coaching) with owners and due dates; agreed by the employee and the
rater; followed up by the rater at the next evaluation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form

from .. import permissions, services
from ..forms import ActionForm, DevelopmentOpenForm, FollowUpForm
from ..models import DevelopmentPlan, DevelopmentState
from .common import plan_url, plans_for_rating, rate_url


@require_http_methods(["GET", "POST"])
def development_open(request, skp_id: int):
    user = request.user
    skp = visible_or_404(plans_for_rating(), user, pk=skp_id)
    if not permissions.may_develop(user, skp):
        raise PermissionDenied
    form = DevelopmentOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.development_open(skp=skp, by=user, goal=form.cleaned_data["goal"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The development plan has been opened; add its actions."))
            return redirect("evaluations:development", plan_id=plan.pk)
    existing = list(DevelopmentPlan.objects.filter(skp=skp).order_by("-created_at"))
    return render(
        request,
        "evaluations/development_open.html",
        {"skp": skp, "form": form, "existing": existing, "plan_url": plan_url(skp.pk)},
    )


def _again(plan: DevelopmentPlan):
    return redirect("evaluations:development", plan_id=plan.pk)


def _add_action(request, plan: DevelopmentPlan, form, may_change: bool):
    """An action for a plan in draft: a redirect when stored, else ``None``."""
    if form is None:
        if not may_change:
            raise PermissionDenied
        messages.error(request, _("The plan is agreed; record progress in the follow-up."))
        return _again(plan)
    if not form.is_valid():
        return None
    try:
        services.development_action_add(plan=plan, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        errors_to_form(form, exc, fields={"plan": None})
        return None
    messages.success(request, _("The action has been added."))
    return _again(plan)


def _agree(request, plan: DevelopmentPlan) -> tuple[object | None, list]:
    """The employee's or the rater's agreement: (a redirect, []) when recorded, else (None,
    the reasons)."""
    try:
        plan = services.development_agree(plan=plan, by=request.user)
    except ValidationError as exc:
        return None, exc.messages
    if plan.state == DevelopmentState.AGREED:
        messages.success(request, _("The development plan is agreed by both."))
    else:
        messages.success(request, _("Your agreement is recorded; the other side agrees next."))
    return _again(plan), []


def _follow_up(request, plan: DevelopmentPlan, form, is_rater: bool):
    """The rater's follow-up of an agreed plan: a redirect when stored, else ``None``."""
    if form is None:
        if not is_rater:
            raise PermissionDenied
        messages.error(request, _("Only an agreed plan is followed up."))
        return _again(plan)
    if not form.is_valid():
        return None
    try:
        services.development_follow_up(plan=plan, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        errors_to_form(form, exc, fields={"plan": None})
        return None
    messages.success(request, _("The follow-up has been recorded."))
    return _again(plan)


@require_http_methods(["GET", "POST"])
def development(request, plan_id: int):
    user = request.user
    plan = visible_or_404(
        DevelopmentPlan.objects.select_related(
            "skp__employee", "skp__rater", "skp__unit__agency", "opened_by_evaluation"
        ),
        user,
        pk=plan_id,
    )
    skp = plan.skp
    actions = list(plan.actions.all())
    may_change = permissions.may_develop(user, skp)
    is_employee = permissions.is_self(user, skp.employee)
    is_rater = permissions.rates_plan(user, skp)
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and not (is_employee or is_rater or may_change):
        raise PermissionDenied
    draft = plan.state == DevelopmentState.DRAFT
    action_form = None
    if may_change and draft:
        action_form = ActionForm(request.POST if action == "add" else None)
    follow_form = None
    if is_rater and plan.state == DevelopmentState.AGREED:
        data = request.POST if action == "follow_up" else None
        follow_form = FollowUpForm(data, actions=actions, initial={"text": plan.follow_up})
    done, agree_errors = None, []
    if action == "add":
        done = _add_action(request, plan, action_form, may_change)
    elif action == "agree":
        done, agree_errors = _agree(request, plan)
    elif action == "follow_up":
        done = _follow_up(request, plan, follow_form, is_rater)
    if done is not None:
        return done
    agreed_by_me = (is_employee and plan.employee_agreed_at) or (is_rater and plan.rater_agreed_at)
    evaluation = plan.opened_by_evaluation
    return render(
        request,
        "evaluations/development.html",
        {
            "plan": plan,
            "skp": skp,
            "actions": actions,
            "action_form": action_form,
            "follow_form": follow_form,
            "may_agree": draft and (is_employee or is_rater) and not agreed_by_me,
            "agree_errors": agree_errors,
            "plan_url": plan_url(skp.pk),
            "evaluation_url": rate_url(skp.pk, evaluation.period) if evaluation else None,
        },
    )
