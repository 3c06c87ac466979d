"""What a task is: one pending action a person must take, with its due date and the address of
the exact page where it is done.

Each part of Kinerja has a *provider* (``provider(user, scope, today) -> list[Task]``) that
lists the tasks of its kinds for ``user``; :func:`kinerja.portal.tasks.tasks_for` calls them
all (``PROVIDERS``) and sorts the result. A provider

* lists a task only when the person may really do it: the same rights the operation that
  answers it asks (``permissions.py``), read through the models' doors (``visible_to``);
* takes its due dates from the rule tables (``kinerja.skp.rules``, ``evaluations.lifecycle``),
  never from a constant;
* runs a bounded number of queries, whatever the number of tasks (``select_related``,
  ``annotate``; never a query per row).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

#: Every kind of task, with what it asks of the person (the API documents these values).
KINDS: dict[str, str] = {
    "plan_submit": "Submit your own plan (SKP): a draft, or a plan the rater returned.",
    "plan_approve": "Approve or return a plan submitted to you as its rater.",
    "realisation_verify": (
        "Verify a value: an individual indicator's (IKI) realisation of a plan you rate, or an "
        "organisational indicator's (IKU) realisation you verify."
    ),
    "period_rate": "Rate a period (or the year) of a plan you rate, open for rating now.",
    "objection_explain": "Explain a rating you gave that is objected to, as asked by the decider.",
    "objection_decide": "Decide an objection to a predicate, as the rater's superior.",
    "development_action": (
        "A development action not done yet, of an agreed development plan you are the employee "
        "(to do it) or the rater (to follow it up) of."
    ),
    "agreement_agree": (
        "Agree a performance agreement (Perjanjian Kinerja) of the agency you head, or a "
        "development plan as its employee or rater."
    ),
    "feedback_reply": "Reply to feedback on your own plan.",
    "coaching": "A coaching item: support proposed when a measure slips.",
}

#: The kinds as the page groups them, with their headings.
KIND_LABELS: dict[str, str] = {
    "plan_submit": _("Plans to submit"),
    "plan_approve": _("Plans to approve"),
    "realisation_verify": _("Values to verify"),
    "period_rate": _("Periods to rate"),
    "objection_explain": _("Ratings to explain"),
    "objection_decide": _("Objections to decide"),
    "development_action": _("Development actions"),
    "agreement_agree": _("Agreements to agree"),
    "feedback_reply": _("Feedback to reply to"),
    "coaching": _("Coaching"),
}


@dataclass(frozen=True)
class Task:
    """One pending action. ``url`` is a path of this site; ``object_id`` names the object the
    action is on (a plan, a value, an objection, … — the ``kind`` says which);
    ``overdue``: the due date has passed."""

    kind: str
    title: str
    due: date | None
    url: str
    object_id: str
    overdue: bool = False

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


def task(kind: str, title: str, due: date | None, url: str, object_id: object, today: date) -> Task:
    """A task of ``kind``, overdue when ``due`` lies before ``today``."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of task: {kind}")
    return Task(kind, str(title), due, url, str(object_id), due is not None and due < today)


def sort_key(item: Task) -> tuple:
    """Overdue first, then by due date (none last), then by title."""
    return (not item.overdue, item.due is None, item.due or date.max, item.title)
