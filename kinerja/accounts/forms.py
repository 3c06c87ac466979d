from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """Sign-in by NIP (employees) or username (administrators)."""

    username = forms.CharField(
        label=_("NIP or username"),
        max_length=64,
        help_text=_("Employees: your 18-digit NIP, e.g. 198503122010011002 (spaces are fine)."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "The NIP/username or the password is wrong. After %(limit)s wrong attempts the account "
            "is locked for a while."
        ),
        "inactive": _("This account is disabled. Ask your agency's performance administrator."),
    }

    def get_invalid_login_error(self):
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class PasswordResetByAdminForm(SetPasswordForm):
    """An administrator sets a new password for someone; the password rules still apply."""

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 10 characters, not only digits, not a common password. e.g. Plaju-2026-aman"
        ),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        help_text=_(
            "Pengelola Kinerja needs an agency; Admin BKPSDM and Auditor cover the region."
        ),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=None,
        required=False,
        help_text=_("Only for Pengelola Kinerja, e.g. Dinas Kesehatan"),
    )

    def __init__(self, *args, **kwargs):
        from kinerja.organizations.models import Agency

        from .models import ASSIGNABLE_ROLES

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in ASSIGNABLE_ROLES]
        self.fields["agency"].queryset = Agency.objects.order_by("name")
