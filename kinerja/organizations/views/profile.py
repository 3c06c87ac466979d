"""One employee's profile: their position, rater chain, whom they rate, and (for those who may
change them) their account; "my profile" leads to one's own."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from kinerja.core.access import visible_or_404

from .. import permissions
from ..models import ActingOfficial, Employee, RaterOverride
from ..scope import scope_for
from ..selectors import audit_records_visible_to, rater_chain_for

PROFILE_RELATED = ("unit__agency", "position__unit")


@require_GET
def me(request):
    scope = scope_for(request.user)
    if scope.employee_id is None:
        raise Http404
    employee = visible_or_404(Employee, request.user, pk=scope.employee_id)
    return redirect("organizations:profile", nip=employee.nip)


@require_GET
def profile(request, nip: str):
    user = request.user
    employee = visible_or_404(Employee.objects.select_related(*PROFILE_RELATED), user, nip=nip)
    editable = permissions.may_edit_employee(user, employee)
    scope = scope_for(user)
    context = {
        "employee": employee,
        "chain": rater_chain_for(user, employee),
        "editable": editable,
        "override": RaterOverride.objects.filter(employee=employee, ended_at=None)
        .select_related("rater")
        .first(),
        "acting_in": list(
            ActingOfficial.objects.filter(employee=employee, ended_at=None).select_related(
                "position"
            )
        ),
        "rates": list(
            Employee.objects.visible_to(user)
            .filter(rater_chain__rater=employee)
            .select_related("position")
            .order_by("name")[:100]
        ),
        "account": getattr(employee, "user", None) if editable else None,
        "is_me": scope.employee_id == employee.pk,
        "can_assign_roles": permissions.is_administrator(user),
    }
    if scope.can_audit:
        context["history"] = list(
            audit_records_visible_to(user)
            .filter(object_type="organizations.employee", object_id=employee.nip)
            .order_by("-seq")[:10]
        )
    return render(request, "organizations/profile.html", context)
