"""Spreadsheets and documents of organisational performance (placeholders; being written)."""

from django.http import HttpResponse


def _todo(*args, **kwargs):
    return HttpResponse("todo")


import_start = import_template = export = report_pdf = report_xlsx = _todo
