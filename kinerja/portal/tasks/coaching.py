"""Coaching: the open coaching items about the plans I rate — a measure slipped, and the rater
answers with feedback, a development action, or a reason to leave it
(:mod:`kinerja.evaluations.services.coaching_actions`); due by the item's ``due_on``."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.evaluations.selectors import coaching_items_to_act
from kinerja.organizations.scope import Scope

from .base import Task, task


def coaching_to_answer(user, scope: Scope, today: date) -> list[Task]:
    """``coaching``: one task per open item (one query, whatever their number)."""
    if scope.employee_id is None:
        return []
    tasks = []
    for item in coaching_items_to_act(user):
        title = _("Support %(name)s: %(subject)s (%(period)s)") % {
            "name": item.skp.employee.name,
            "subject": item.subject,
            "period": item.period_label,
        }
        url = reverse("evaluations:coaching", args=[item.pk])
        tasks.append(task("coaching", title, item.due_on, url, item.pk, today))
    return tasks
