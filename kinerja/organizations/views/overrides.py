"""A rater override: who rates one employee when the position tree gives the wrong rater."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form

from .. import permissions, services
from ..forms import RaterOverrideForm
from ..models import Employee, RaterOverride
from .profile import PROFILE_RELATED


@require_http_methods(["GET", "POST"])
def rater_override(request, nip: str):
    employee = visible_or_404(
        Employee.objects.select_related(*PROFILE_RELATED), request.user, nip=nip
    )
    permissions.require_employee_editor(request.user, employee)
    current = (
        RaterOverride.objects.filter(employee=employee, ended_at=None)
        .select_related("rater")
        .first()
    )
    if request.method == "POST" and request.POST.get("action") == "end":
        if current is None:
            messages.info(request, _("There is no override to end."))
        else:
            services.override_end(override=current, by=request.user)
            messages.success(request, _("The override has ended; the position tree decides again."))
        return redirect("organizations:profile", nip=employee.nip)
    form = RaterOverrideForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.override_start(
                employee=employee,
                rater=form.cleaned_data["rater_nip"],
                reason=form.cleaned_data["reason"],
                ends_on=form.cleaned_data["ends_on"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc, fields={"rater": "rater_nip"})
        else:
            messages.success(request, _("The rater has been set and recorded."))
            return redirect("organizations:profile", nip=employee.nip)
    return render(
        request,
        "organizations/rater_override_form.html",
        {"form": form, "employee": employee, "current": current},
    )
