"""An acting official (Plt/Plh) for a position: recording one, ending one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form

from .. import permissions, services
from ..forms import ActingForm
from ..models import ActingOfficial, Position
from .tree import tree_url


@require_http_methods(["GET", "POST"])
def acting(request, code: str):
    position = visible_or_404(
        Position.objects.select_related("unit__agency"), request.user, code=code.upper()
    )
    permissions.require_position_editor(request.user, position)
    current = (
        ActingOfficial.objects.filter(position=position, ended_at=None)
        .select_related("employee")
        .first()
    )
    if request.method == "POST" and request.POST.get("action") == "end":
        if current is None:
            messages.info(request, _("There is no acting official to end."))
        else:
            services.acting_end(acting=current, by=request.user)
            messages.success(request, _("The acting assignment has ended."))
        return redirect(tree_url(position))
    form = ActingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.acting_start(
                position=position,
                employee=form.cleaned_data["employee_nip"],
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                ends_on=form.cleaned_data["ends_on"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc, fields={"employee": "employee_nip", "position": None})
        else:
            messages.success(request, _("The acting official has been recorded."))
            return redirect(tree_url(position))
    return render(
        request,
        "organizations/acting_form.html",
        {"form": form, "position": position, "current": current},
    )
