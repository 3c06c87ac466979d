"""A plan's workflow: submitting it, the rater approving or returning it, and the
administrator recording a transfer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form

from .. import permissions, services
from ..forms import EndForm, ReturnForm, TransferForm
from ..selectors import plans_with_content, plans_with_people
from .common import error_messages, form_error_messages
from .plan import detail_page


@require_POST
def submit(request, pk: int):
    user = request.user
    skp = visible_or_404(plans_with_people(), user, pk=pk)
    if not permissions.can_edit(user, skp):
        raise PermissionDenied
    try:
        services.skp_submit(skp=skp, by=user)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("The plan has been submitted to the rater."))
    return redirect("skp:detail", pk=skp.pk)


@require_POST
def transfer(request, pk: int):
    """The administrator records that the employee moved: the plan closes with its record and
    a new draft starts in the new position (domain.md §3: a transfer starts a new SKP)."""
    user = request.user
    skp = visible_or_404(plans_with_people(), user, pk=pk)
    if not permissions.can_administer(user, skp):
        raise PermissionDenied
    form = TransferForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect("skp:detail", pk=skp.pk)
    try:
        new = services.skp_transfer(
            skp=skp, by=user, on=form.cleaned_data["on"], sk_number=form.cleaned_data["sk_number"]
        )
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("skp:detail", pk=skp.pk)
    messages.success(
        request,
        _("The transfer is recorded; %(name)s's new plan starts on %(date)s.")
        % {"name": new.employee.name, "date": new.starts_on.strftime("%d/%m/%Y")},
    )
    return redirect("skp:detail", pk=new.pk)


@require_POST
def end(request, pk: int):
    """The administrator records that the plan ended at retirement or death (no successor)."""
    user = request.user
    skp = visible_or_404(plans_with_people(), user, pk=pk)
    if not permissions.can_administer(user, skp):
        raise PermissionDenied
    form = EndForm(request.POST)
    if not form.is_valid():
        form_error_messages(request, form)
        return redirect("skp:detail", pk=skp.pk)
    try:
        services.skp_end(skp=skp, by=user, **form.cleaned_data)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(
            request,
            _("The plan ended on %(date)s.")
            % {"date": form.cleaned_data["on"].strftime("%d/%m/%Y")},
        )
    return redirect("skp:detail", pk=skp.pk)


@require_POST
def approve(request, pk: int):
    user = request.user
    skp = visible_or_404(plans_with_people(), user, pk=pk)
    if not permissions.rates_plan(user, skp):
        raise PermissionDenied
    try:
        services.skp_approve(skp=skp, by=user)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("The plan has been approved."))
    return redirect("skp:detail", pk=skp.pk)


@require_POST
def return_(request, pk: int):
    user = request.user
    skp = visible_or_404(plans_with_people(), user, pk=pk)
    if not permissions.rates_plan(user, skp):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.skp_return(skp=skp, by=user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The plan has been returned to the employee."))
            return redirect("skp:detail", pk=skp.pk)
    skp = visible_or_404(plans_with_content(), user, pk=pk)
    return detail_page(request, skp, return_form=form, status=400)
