"""The region's plan (RPJMD): the list, and its form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.core.periods import this_year
from kinerja.organizations.models import Region

from .. import permissions, services
from ..forms import PlanForm
from ..models import Plan
from ..selectors import plan_for_year
from .common import pk_of


@require_GET
def plan(request):
    plans = list(Plan.objects.prefetch_related("missions").order_by("-start_year"))
    current = plan_for_year(None, this_year())
    return render(
        request,
        "strategy/plan.html",
        {
            "plans": plans,
            "current": current,
            "can_edit": permissions.can_edit_plan(request.user),
        },
    )


def _initial(plan: Plan | None) -> dict:
    if plan is None:
        return {}
    return {
        "title": plan.title,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "vision": plan.vision,
        "missions": "\n".join(m.text for m in plan.missions.all()),
    }


@require_http_methods(["GET", "POST"])
def plan_edit(request):
    user = request.user
    if not permissions.can_edit_plan(user):
        raise PermissionDenied  # the page is the form: only for those who may use it
    plan = None
    raw = request.GET.get("plan", "")
    if raw:
        plan = visible_or_404(Plan, user, pk=pk_of(raw))
    form = PlanForm(request.POST or None, initial=_initial(plan))
    if request.method == "POST" and form.is_valid():
        region = plan.region if plan else Region.objects.order_by("pk").first()
        if region is None:
            form.add_error(None, _("Record the region first (kinerja region set)."))
        else:
            try:
                services.plan_save(by=user, region=region, plan=plan, **form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("The regional plan has been saved and recorded."))
                return redirect("strategy:plan")
    return render(request, "strategy/plan_form.html", {"form": form, "plan": plan})
