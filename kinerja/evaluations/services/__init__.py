"""Operations of individual evaluation, by noun. Each runs in one transaction, checks who may
do it (:mod:`kinerja.evaluations.permissions`), validates, and writes its own audit record
(architecture.md rule 2).

* :mod:`.rhythm` — ``rhythm_set`` (reading it: :func:`kinerja.skp.rhythm.rhythm_of`)
* :mod:`.feedback` — ``feedback_post``, ``self_assess``
* :mod:`.rating` — ``evaluation_rate``
* :mod:`.objections` — ``objection_file``, ``objection_explanation_request``,
  ``objection_explain``, ``objection_decide``
* :mod:`.correction` — ``evaluation_correct`` (a recorded rating corrected, on record)
* :mod:`.org_predicate` — ``org_predicate_set``
* :mod:`.development` — ``development_open``, ``development_action_add``,
  ``development_agree``, ``development_follow_up``
* :mod:`.coaching` — ``coaching_check``, ``coaching_refresh``, ``coaching_from_breach``,
  ``coaching_from_open_breaches`` (coaching items opened and resolved by the data)
* :mod:`.coaching_actions` — ``coaching_send_feedback``, ``coaching_add_development``,
  ``coaching_dismiss`` (the rater answers a coaching item)
* :mod:`.credit` — ``credit_base_set`` (the ledger's base, a PAK)
* :mod:`.closing` — ``annual_close`` (the year's final predicates, credit points, curve)
* :mod:`.reminders` — ``reminders_send`` (the SKP cycle's deadline reminders)
"""

from .closing import ClosingSummary, annual_close
from .coaching import (
    CoachingCount,
    coaching_check,
    coaching_from_breach,
    coaching_from_open_breaches,
    coaching_refresh,
)
from .coaching_actions import coaching_add_development, coaching_dismiss, coaching_send_feedback
from .correction import evaluation_correct
from .credit import credit_base_set
from .development import (
    development_action_add,
    development_agree,
    development_follow_up,
    development_open,
)
from .feedback import feedback_post, self_assess
from .objections import (
    objection_decide,
    objection_explain,
    objection_explanation_request,
    objection_file,
)
from .org_predicate import org_predicate_set
from .rating import RATEABLE_STATES, evaluation_rate
from .reminders import ReminderOutcome, reminders_send
from .rhythm import rhythm_set

__all__ = [
    "RATEABLE_STATES",
    "ClosingSummary",
    "CoachingCount",
    "ReminderOutcome",
    "annual_close",
    "coaching_add_development",
    "coaching_check",
    "coaching_dismiss",
    "coaching_from_breach",
    "coaching_from_open_breaches",
    "coaching_refresh",
    "coaching_send_feedback",
    "credit_base_set",
    "development_action_add",
    "development_agree",
    "development_follow_up",
    "development_open",
    "evaluation_correct",
    "evaluation_rate",
    "feedback_post",
    "objection_decide",
    "objection_explain",
    "objection_explanation_request",
    "objection_file",
    "org_predicate_set",
    "reminders_send",
    "rhythm_set",
    "self_assess",
]
