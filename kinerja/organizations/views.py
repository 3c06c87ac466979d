"""Organisation pages (placeholder; being written)."""

from django.http import HttpResponse


def tree(request):
    return HttpResponse("todo")


def directory(request):
    return HttpResponse("todo")


def me(request):
    return HttpResponse("todo")


def profile(request, nip):
    return HttpResponse("todo")


def employee_edit(request, nip):
    return HttpResponse("todo")


def rater_override(request, nip):
    return HttpResponse("todo")


def acting(request, code):
    return HttpResponse("todo")
