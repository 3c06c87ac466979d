from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.shortcuts import render


class SignInView(LoginView):
    pass


def sign_out(request):
    return HttpResponse("todo")


def password_reset(request, username):
    return HttpResponse("todo")


def lockout_response(request, credentials, *args, **kwargs):
    return render(request, "accounts/locked.html", status=429)
