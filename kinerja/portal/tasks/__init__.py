"""The worklist ("Tugas saya"): every pending action a person must take, from every part of
Kinerja, with its due date and the address of the exact page — overdue first.

:data:`PROVIDERS` is the list of providers, one per part (see :mod:`.base` for what a
provider promises); add one to list a new kind of task (its kind goes into
:data:`.base.KINDS` too).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from kinerja.evaluations.lifecycle import today_of
from kinerja.organizations.scope import Scope, scope_for

from .base import KIND_LABELS, KINDS, Task, sort_key
from .coaching import coaching_to_answer
from .development import development_actions_due, development_plans_to_agree, feedback_to_reply
from .plans import plans_to_approve, plans_to_submit
from .ratings import objections_to_decide, objections_to_explain, periods_to_rate
from .strategy import agreements_to_agree
from .verify import iki_values_to_verify, iku_values_to_verify

Provider = Callable[[object, Scope, date], list[Task]]

PROVIDERS: tuple[Provider, ...] = (
    plans_to_submit,
    plans_to_approve,
    iki_values_to_verify,
    iku_values_to_verify,
    periods_to_rate,
    objections_to_explain,
    objections_to_decide,
    development_actions_due,
    development_plans_to_agree,
    agreements_to_agree,
    feedback_to_reply,
    coaching_to_answer,
)


def tasks_for(user, today: date | None = None) -> list[Task]:
    """Every task of ``user`` on ``today`` (default: the region's today): overdue first, then
    by due date (those without one last), then by title."""
    scope = scope_for(user)
    if scope.user_id is None:
        return []
    today = today or today_of()
    found = [item for provider in PROVIDERS for item in provider(user, scope, today)]
    return sorted(found, key=sort_key)


def first_tasks(tasks: list[Task], limit: int) -> list[Task]:
    """What a short list (the home page) shows of ``tasks`` (sorted): the first task of every
    kind, then the next ones, at most ``limit``, in the worklist's order — so that a task
    without a due date (an objection to decide) is not hidden behind many dated ones."""
    chosen: list[Task] = []
    kinds: set[str] = set()
    for item in tasks:
        if item.kind not in kinds and len(chosen) < limit:
            chosen.append(item)
            kinds.add(item.kind)
    for item in tasks:
        if len(chosen) >= limit:
            break
        if item not in chosen:
            chosen.append(item)
    return sorted(chosen, key=sort_key)


__all__ = ["KINDS", "KIND_LABELS", "PROVIDERS", "Task", "first_tasks", "tasks_for"]
