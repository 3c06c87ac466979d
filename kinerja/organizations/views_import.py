"""Import and export pages (placeholder; being written)."""

from django.http import HttpResponse


def import_start(request):
    return HttpResponse("todo")


def import_template(request):
    return HttpResponse("todo")


def import_job(request, job_id):
    return HttpResponse("todo")


def import_status(request, job_id):
    return HttpResponse("todo")


def export(request, fmt):
    return HttpResponse("todo")
