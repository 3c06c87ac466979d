"""An agency's goals and strategic targets: the list, with a form for each."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.core.periods import this_year
from kinerja.organizations.models import Agency

from .. import permissions, services
from ..forms import GoalForm, StrategicTargetForm
from ..models import Goal, StrategicTarget
from .common import pk_of


def _edited(request, agency: Agency) -> tuple[Goal | None, StrategicTarget | None]:
    """The goal or strategic target asked for with ``?goal=`` or ``?target=`` (404 unless it
    is one of the agency's, seen by this person)."""
    user = request.user
    edit_goal = edit_target = None
    if (pk := pk_of(request.GET.get("goal"))) is not None:
        edit_goal = visible_or_404(Goal.objects.filter(agency=agency), user, pk=pk)
    if (pk := pk_of(request.GET.get("target"))) is not None:
        edit_target = visible_or_404(StrategicTarget.objects.filter(agency=agency), user, pk=pk)
    return edit_goal, edit_target


def _forms(request, which, goals, edit_goal, edit_target):
    goal_initial = (
        {"mission": edit_goal.mission_id, "code": edit_goal.code, "text": edit_goal.text}
        if edit_goal
        else None
    )
    target_initial = (
        {"goal": edit_target.goal_id, "code": edit_target.code, "text": edit_target.text}
        if edit_target
        else None
    )
    goal_form = GoalForm(request.POST if which == "goal" else None, initial=goal_initial)
    target_form = StrategicTargetForm(
        request.POST if which == "target" else None,
        initial=target_initial,
        goals=goals.order_by("code"),
    )
    return goal_form, target_form


def _save(request, form, operation, **kwargs) -> bool:
    """Call the operation with the form's values; its refusal goes on the form."""
    try:
        operation(by=request.user, **kwargs, **form.cleaned_data)
    except ValidationError as exc:
        errors_to_form(form, exc)
        return False
    return True


@require_http_methods(["GET", "POST"])
def goals(request, agency: str):
    user = request.user
    agency = visible_or_404(Agency, user, code=agency.upper())
    can_manage = permissions.can_manage(user, agency.pk)
    goal_qs = Goal.objects.visible_to(user).filter(agency=agency)
    edit_goal, edit_target = _edited(request, agency)
    if (edit_goal or edit_target) and not can_manage:
        raise PermissionDenied  # an edit form is only for those who may use it
    which = request.POST.get("form") if request.method == "POST" else None
    if request.method == "POST" and which not in {"goal", "target"}:
        return HttpResponseBadRequest()
    goal_form, target_form = _forms(request, which, goal_qs, edit_goal, edit_target)
    if (
        which == "goal"
        and goal_form.is_valid()
        and _save(request, goal_form, services.goal_save, agency=agency, goal=edit_goal)
    ):
        messages.success(request, _("The goal has been saved and recorded."))
        return redirect("strategy:goals", agency=agency.code)
    if (
        which == "target"
        and target_form.is_valid()
        and _save(request, target_form, services.strategic_target_save, target=edit_target)
    ):
        messages.success(request, _("The strategic target has been saved and recorded."))
        return redirect("strategy:goals", agency=agency.code)
    rows = list(
        goal_qs.select_related("mission__plan")
        .prefetch_related(Prefetch("targets", queryset=StrategicTarget.objects.order_by("code")))
        .order_by("code")
    )
    return render(
        request,
        "strategy/goals.html",
        {
            "agency": agency,
            "goals": rows,
            "can_manage": can_manage,
            "goal_form": goal_form,
            "target_form": target_form,
            "edit_goal": edit_goal,
            "edit_target": edit_target,
            "year": this_year(),
        },
    )
