"""Signing in and out, and the language switch. (An administrator's password reset and the
roles page need the organisation: they are in ``kinerja.organizations.views.accounts``.)"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from . import throttle
from .forms import SignInForm
from .middleware import offered
from .services import user_language_set


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


@login_not_required
@require_POST
def set_language(request):
    """The language switch: Django's ``set_language`` (the cookie, for pages before signing
    in), and for a signed-in person their saved choice, which every later sign-in follows."""
    language = offered(request.POST.get("language"))
    if language is not None and request.user.is_authenticated:
        user_language_set(user=request.user, language=language, by=request.user)
    return i18n.set_language(request)
