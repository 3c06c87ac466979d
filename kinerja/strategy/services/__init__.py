"""Operations of organisational performance, one module per noun. Each takes ``by`` (the
person, or :data:`kinerja.core.actors.SYSTEM`), checks that one's rights through
:mod:`kinerja.strategy.permissions` (``PermissionDenied`` with the reason), runs in one
transaction, validates (``ValidationError`` keyed by field) and writes its own audit record.

* :mod:`.plan` — the region's plan: :func:`plan_save`;
* :mod:`.goals` — goals and strategic targets: :func:`goal_save`, :func:`strategic_target_save`;
* :mod:`.indicators` — :func:`indicator_save`, and :func:`indicator_create` (an indicator with
  its targets, in one step);
* :mod:`.targets` — :func:`target_set`, and :func:`targets_set` (the agreement's rows, all or
  nothing);
* :mod:`.agreements` — :func:`agreement_transition` (submit, agree, return, reopen);
* :mod:`.realisations` — :func:`realisation_record`, :func:`realisation_verify`,
  :func:`evidence_add`.
"""

from .agreements import ACTION_WORDS, TRANSITIONS, agreement_for, agreement_transition
from .goals import goal_save, strategic_target_save
from .indicators import INDICATOR_FIELDS, indicator_create, indicator_save
from .plan import plan_save
from .realisations import PERIOD_MONTHS, evidence_add, realisation_record, realisation_verify
from .targets import target_set, targets_set

__all__ = [
    "ACTION_WORDS",
    "INDICATOR_FIELDS",
    "PERIOD_MONTHS",
    "TRANSITIONS",
    "agreement_for",
    "agreement_transition",
    "evidence_add",
    "goal_save",
    "indicator_create",
    "indicator_save",
    "plan_save",
    "realisation_record",
    "realisation_verify",
    "strategic_target_save",
    "target_set",
    "targets_set",
]
