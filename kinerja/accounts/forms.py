"""The sign-in form (the forms that manage someone's account are in organizations)."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
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
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )
