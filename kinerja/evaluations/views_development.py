"""Development plans: opened by a predicate below Baik or by anyone who wants one; actions
(training, mentoring, coaching) with owners and due dates; agreed by the employee and the
rater; followed up by the rater at the next evaluation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.forms import errors_to_form
from kinerja.skp import permissions

from . import services
from .forms import ActionForm, DevelopmentOpenForm, FollowUpForm
from .models import DevelopmentPlan, DevelopmentState
from .views import plan_url, rate_url, skp_or_404

_may_develop = services.may_develop


@require_http_methods(["GET", "POST"])
def development_open(request, skp_id: int):
    user = request.user
    skp = skp_or_404(user, skp_id)
    if not _may_develop(user, skp):
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


@require_http_methods(["GET", "POST"])
def development(request, plan_id: int):
    user = request.user
    plan = (
        DevelopmentPlan.objects.visible_to(user)
        .select_related("skp__employee", "skp__rater", "skp__unit__agency", "opened_by_evaluation")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise Http404
    skp = plan.skp
    actions = list(plan.actions.all())
    may_change = _may_develop(user, skp)
    is_employee = permissions.is_self(user, skp.employee)
    is_rater = permissions.rates_plan(user, skp)
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and not (is_employee or is_rater or may_change):
        raise PermissionDenied
    draft = plan.state == DevelopmentState.DRAFT
    action_form = (
        ActionForm(request.POST if action == "add" else None) if may_change and draft else None
    )
    follow_form = (
        FollowUpForm(
            request.POST if action == "follow_up" else None,
            actions=actions,
            initial={"text": plan.follow_up},
        )
        if is_rater and plan.state == DevelopmentState.AGREED
        else None
    )
    agree_errors = []
    if action == "add":
        if action_form is None:
            if not may_change:
                raise PermissionDenied
            messages.error(request, _("The plan is agreed; record progress in the follow-up."))
            return redirect("evaluations:development", plan_id=plan.pk)
        if action_form.is_valid():
            try:
                services.development_action_add(plan=plan, by=user, **action_form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(action_form, exc, fields={"plan": None})
            else:
                messages.success(request, _("The action has been added."))
                return redirect("evaluations:development", plan_id=plan.pk)
    elif action == "agree":
        try:
            plan = services.development_agree(plan=plan, by=user)
        except ValidationError as exc:
            agree_errors = exc.messages
        else:
            if plan.state == DevelopmentState.AGREED:
                messages.success(request, _("The development plan is agreed by both."))
            else:
                messages.success(
                    request, _("Your agreement is recorded; the other side agrees next.")
                )
            return redirect("evaluations:development", plan_id=plan.pk)
    elif action == "follow_up":
        if follow_form is None:
            if not is_rater:
                raise PermissionDenied
            messages.error(request, _("Only an agreed plan is followed up."))
            return redirect("evaluations:development", plan_id=plan.pk)
        if follow_form.is_valid():
            try:
                services.development_follow_up(plan=plan, by=user, **follow_form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(follow_form, exc, fields={"plan": None})
            else:
                messages.success(request, _("The follow-up has been recorded."))
                return redirect("evaluations:development", plan_id=plan.pk)
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
