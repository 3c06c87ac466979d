"""Signing in and out, and an administrator's password reset."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.organizations.scope import scope_for

from . import services, throttle
from .forms import PasswordResetByAdminForm, RoleAssignForm, SignInForm
from .models import RoleAssignment


class SignInView(LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if throttle.address_blocked(request):
            return render(request, "accounts/locked.html", {"address": True}, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.note_failure(self.request)
        return super().form_invalid(form)


@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_not_required
def lockout_response(request, original_response=None, credentials=None):
    """django-axes calls this when an account is locked after too many wrong passwords."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)


def password_reset(request, username: str):
    """Admin BKPSDM resets anyone's password; a Pengelola Kinerja those of their agency.

    For an employee who has no account yet, setting the first password creates it."""
    from kinerja.organizations.models import Employee

    user_model = get_user_model()
    target = user_model.objects.filter(username=username).select_related("employee").first()
    employee = target.employee if target is not None else None
    if target is None:
        employee = Employee.objects.filter(nip=username).first()
        if employee is None:
            raise Http404
    if employee is not None:
        if not Employee.objects.visible_to(request.user).filter(pk=employee.pk).exists():
            raise Http404  # do not tell outsiders whether the person exists
        allowed = Employee.objects.editable_by(request.user).filter(pk=employee.pk).exists()
        back = reverse("organizations:profile", args=[employee.nip])
        name = employee.name
    else:
        allowed = scope_for(request.user).region_write
        back = reverse("portal:home")
        name = target.display_name
    if not allowed:
        raise PermissionDenied
    form = PasswordResetByAdminForm(target or user_model(username=username), request.POST or None)
    if request.method == "POST" and form.is_valid():
        if target is None:
            target = services.account_for_employee(employee=employee)
        services.password_set(user=target, password=form.cleaned_data["new_password1"])
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
        "accounts/password_reset.html",
        {"form": form, "name": name, "username": username, "back": back},
    )


def roles(request, username: str):
    """Admin BKPSDM gives and takes back the assigned roles of an account."""
    if not scope_for(request.user).region_write:
        raise PermissionDenied
    target = get_user_model().objects.filter(username=username).select_related("employee").first()
    if target is None:
        raise Http404
    form = RoleAssignForm(request.POST or None)
    if request.method == "POST" and request.POST.get("revoke"):
        assignment = RoleAssignment.objects.filter(user=target, pk=request.POST["revoke"]).first()
        if assignment is None:
            raise Http404
        services.role_revoke(assignment=assignment)
        messages.success(request, _("The role has been taken back."))
        return redirect("accounts:roles", username=target.username)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assign(
                user=target, role=form.cleaned_data["role"], agency=form.cleaned_data["agency"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The role has been given."))
            return redirect("accounts:roles", username=target.username)
    return render(
        request,
        "accounts/roles.html",
        {
            "target": target,
            "form": form,
            "assignments": target.role_assignments.select_related("agency").order_by("role"),
        },
    )
