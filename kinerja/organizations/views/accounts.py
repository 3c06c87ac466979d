"""An employee's account: a password set by an administrator, and the assigned roles.

A Pengelola Kinerja sets the passwords of the employees of their agency (creating the account of
one who has none), the regional administrator anyone's; only the regional administrator gives
and takes back roles."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.accounts import services as accounts
from kinerja.accounts.models import User
from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form

from .. import permissions, services
from ..forms import PasswordResetByAdminForm, RoleAssignForm
from ..models import Employee
from ..selectors import accounts_visible_to


@require_http_methods(["GET", "POST"])
def password_reset(request, username: str):
    """For an employee who has no account yet, setting the first password creates it."""
    target = accounts_visible_to(request.user).filter(username=username).first()
    if target is not None:
        employee = target.employee
    else:  # an employee without an account, named by NIP
        employee = visible_or_404(Employee, request.user, nip=username)
    permissions.require_account_manager(request.user, employee=employee)
    if employee is not None:
        back = reverse("organizations:profile", args=[employee.nip])
        name = employee.name
    else:
        back = resolve_url(settings.LOGIN_REDIRECT_URL)
        name = target.display_name
    form = PasswordResetByAdminForm(target or User(username=username), request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_set(
            user=target,
            employee=None if target else employee,
            password=form.cleaned_data["new_password1"],
            by=request.user,
        )
        messages.success(
            request,
            _(
                "The password of %(name)s has been set. Give it to them in person; "
                "any lockout is lifted."
            )
            % {"name": name},
        )
        return HttpResponseRedirect(back)
    return render(
        request,
        "organizations/password_reset.html",
        {"form": form, "name": name, "username": username, "back": back},
    )


@require_http_methods(["GET", "POST"])
def roles(request, username: str):
    """The regional administrator gives and takes back the assigned roles of an account."""
    permissions.require_administrator(request.user)
    target = accounts_visible_to(request.user).filter(username=username).first()
    if target is None:
        raise Http404
    form = RoleAssignForm(request.POST or None)
    if request.method == "POST" and request.POST.get("revoke"):
        revoke = request.POST["revoke"]
        assignment = target.role_assignments.filter(pk=revoke).first() if revoke.isdigit() else None
        if assignment is None:
            raise Http404
        accounts.role_revoke(assignment=assignment, by=request.user)
        messages.success(request, _("The role has been taken back."))
        return redirect("organizations:roles", username=target.username)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.role_assign(
                user=target,
                role=form.cleaned_data["role"],
                agency=form.cleaned_data["agency"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The role has been given."))
            return redirect("organizations:roles", username=target.username)
    return render(
        request,
        "organizations/roles.html",
        {
            "target": target,
            "form": form,
            "assignments": target.role_assignments.select_related("agency").order_by("role"),
        },
    )
