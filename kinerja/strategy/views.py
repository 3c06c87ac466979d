"""Organisational performance pages (placeholders; being written)."""

from django.http import HttpResponse


def _todo(*args, **kwargs):
    return HttpResponse("todo")


overview = tree = plan = plan_edit = indicator = indicator_edit = realisation_add = _todo
evidence_add = realisation_verify = evidence = goals = indicator_create = agreement = _todo
