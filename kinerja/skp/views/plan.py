"""A plan's page, starting one's own plan, and the evidence downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.accounts.models import Role
from kinerja.core.access import visible_or_404
from kinerja.core.downloads import stored_file_response
from kinerja.core.forms import errors_to_form
from kinerja.core.periods import this_year
from kinerja.organizations.models import Employee
from kinerja.organizations.scope import scope_for

from .. import permissions, services
from ..forms import EndForm, ReturnForm, StartForm, TransferForm
from ..models import EDITABLE_STATES, Skp, SkpEvidence, SkpState
from ..rules import behaviour_values, plan_deadline
from ..selectors import plans_with_content
from .common import form_error_messages, grouped_results


@require_http_methods(["POST"])
def start(request):
    """Start the signed-in employee's own plan for a year."""
    user = request.user
    me_id = scope_for(user).employee_id
    if me_id is None:
        raise PermissionDenied
    employee = Employee.objects.select_related("unit", "position").get(pk=me_id)
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            skp = services.skp_create(
                employee=employee,
                year=form.cleaned_data["year"],
                approach=form.cleaned_data["approach"],
                by=user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Your plan has been started. Add your work results."))
            return redirect("skp:detail", pk=skp.pk)
    form_error_messages(request, form)
    year = form.cleaned_data.get("year") if hasattr(form, "cleaned_data") else None
    return redirect(f"{reverse('evaluations:mine')}?year={year or this_year()}")


def _rater_plan(user, skp: Skp) -> Skp | None:
    """The rater's plan of the same year, if the viewer may see it (for its link)."""
    if not skp.rater_id:
        return None
    return (
        Skp.objects.visible_to(user)
        .filter(employee_id=skp.rater_id, year=skp.year, ends_on__isnull=True)
        .only("pk", "year")
        .first()
    )


def _rights(user, skp: Skp) -> dict:
    """What the viewer may do on the plan's page."""
    scope = scope_for(user)
    rates = permissions.rates_plan(user, skp)
    may_transfer = (
        skp.ends_on is None
        and skp.employee.position_id != skp.position_id
        and permissions.can_administer(user, skp)
    )
    return {
        "can_edit": skp.editable and permissions.can_edit(user, skp),
        "can_decide": rates and skp.state == SkpState.SUBMITTED,
        "can_expect": rates and skp.state in EDITABLE_STATES | {SkpState.SUBMITTED},
        "can_report": skp.state in services.LIVE_STATES and permissions.can_report(user, skp),
        "can_matrix": scope.employee_id == skp.employee_id and Role.PEJABAT_PENILAI in scope.roles,
        "may_develop": permissions.may_develop(user, skp),
        "may_transfer": may_transfer,
        "may_end": skp.ends_on is None and permissions.can_administer(user, skp),
    }


def detail_page(request, skp: Skp, *, return_form: ReturnForm | None = None, status: int = 200):
    user = request.user
    rights = _rights(user, skp)
    expectations = {e.value_id: e.text for e in skp.expectations.all()}
    transitions = list(skp.transitions.select_related("by__employee").order_by("at", "pk"))
    return render(
        request,
        "skp/detail.html",
        {
            **rights,
            "skp": skp,
            "groups": grouped_results(skp),
            "checks": services.plan_checks(skp),
            "values": [(v, expectations.get(v.pk, "")) for v in behaviour_values(skp.year)],
            "transitions": transitions,
            "rater_plan": _rater_plan(user, skp),
            "deadline": plan_deadline(skp.year),
            "return_form": return_form or (ReturnForm() if rights["can_decide"] else None),
            "region_head_rates": skp.rater_id is None and permissions.rated_by_region_head(skp),
            "transfer_form": TransferForm() if rights["may_transfer"] else None,
            "end_form": EndForm() if rights["may_end"] else None,
            # The plan's ratings, through its reverse relation (kept by the evaluation app).
            "evaluations": list(skp.evaluations.order_by("period")),
        },
        status=status,
    )


@require_GET
def detail(request, pk: int):
    skp = visible_or_404(plans_with_content(), request.user, pk=pk)
    return detail_page(request, skp)


@require_GET
def evidence(request, pk: int):
    """The stored file, as a download only: never shown inline, never sniffed; reached only
    through a plan the viewer may see."""
    item = visible_or_404(
        SkpEvidence.objects.only("file", "original_name", "content_type"), request.user, pk=pk
    )
    return stored_file_response(item)
