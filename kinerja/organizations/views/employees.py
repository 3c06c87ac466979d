"""Adding and changing one employee; the changeset checks the same rules as an import."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404

from .. import permissions, services
from ..changeset import ChangesetError
from ..forms import EMPLOYEE_COLUMN_FIELDS, EmployeeForm
from ..models import Employee
from .profile import PROFILE_RELATED


def _save(request, form: EmployeeForm) -> bool:
    """Save the form's row; show the changeset's errors on the form's fields."""
    try:
        services.employee_save(values=form.as_row(), by=request.user)
    except ChangesetError as exc:
        for error in exc.row_errors:
            form.add_error(EMPLOYEE_COLUMN_FIELDS.get(error.column), error.message)
        return False
    return True


@require_http_methods(["GET", "POST"])
def employee_create(request):
    permissions.require_employee_adder(request.user)
    form = EmployeeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and _save(request, form):
        messages.success(request, _("The employee has been added."))
        return redirect("organizations:profile", nip=form.cleaned_data["nip"])
    return render(request, "organizations/employee_form.html", {"form": form, "employee": None})


@require_http_methods(["GET", "POST"])
def employee_edit(request, nip: str):
    employee = visible_or_404(
        Employee.objects.select_related(*PROFILE_RELATED), request.user, nip=nip
    )
    permissions.require_employee_editor(request.user, employee)
    initial = {
        "nip": employee.nip,
        "name": employee.name,
        "status": employee.status,
        "rank": employee.rank,
        "unit": employee.unit_id,
        "position": employee.position_id,
        "email": employee.email,
        "active": employee.active,
    }
    form = EmployeeForm(request.POST or None, user=request.user, employee=employee, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, _("Nothing was changed."))
            return redirect("organizations:profile", nip=employee.nip)
        if _save(request, form):
            messages.success(request, _("The changes have been saved and recorded."))
            return redirect("organizations:profile", nip=employee.nip)
    return render(request, "organizations/employee_form.html", {"form": form, "employee": employee})
