"""Operations on employees' plans (SKP), by noun. Each runs in one transaction, checks who may
do it (:mod:`kinerja.skp.permissions`), validates, and writes its own audit record; every
change of state is also kept as an :class:`~kinerja.skp.models.SkpTransition` (who, when, why).

Errors are ``ValidationError`` keyed by the field they concern (translated), or
``PermissionDenied`` when the caller may not do this at all.

* :mod:`.plans` — ``skp_create``, ``skp_transfer``, ``skp_end``, ``skp_update``
* :mod:`.results` — ``rhk_add``, ``rhk_update``, ``rhk_delete`` (a result with its
  indicators), ``iki_bind``, ``parse_target``
* :mod:`.expectations` — ``expectation_set``, ``expectations_set``
* :mod:`.workflow` — ``plan_checks``, ``skp_submit``, ``skp_approve``, ``skp_return``
* :mod:`.realisations` — ``realisation_record``, ``realisation_verify``, ``evidence_add``
* :mod:`.matrix` — ``matrix_assign``, ``template_save``, ``template_apply``
* :mod:`.common` — what they share (``clean_text``, ``transition`` for the evaluation
  operations, …)
"""

from .common import MAX_TEXT, clean_text, transition, users_of
from .expectations import expectation_set, expectations_set
from .matrix import matrix_assign, template_apply, template_save
from .plans import ATTACHMENT_FIELDS, skp_create, skp_end, skp_transfer, skp_update
from .realisations import LIVE_STATES, evidence_add, realisation_record, realisation_verify
from .results import (
    MAX_INDICATORS,
    Target,
    iki_bind,
    parse_target,
    rhk_add,
    rhk_delete,
    rhk_snapshot,
    rhk_update,
)
from .workflow import plan_checks, skp_approve, skp_return, skp_submit

__all__ = [
    "ATTACHMENT_FIELDS",
    "LIVE_STATES",
    "MAX_INDICATORS",
    "MAX_TEXT",
    "Target",
    "clean_text",
    "evidence_add",
    "expectation_set",
    "expectations_set",
    "iki_bind",
    "matrix_assign",
    "parse_target",
    "plan_checks",
    "realisation_record",
    "realisation_verify",
    "rhk_add",
    "rhk_delete",
    "rhk_snapshot",
    "rhk_update",
    "skp_approve",
    "skp_create",
    "skp_end",
    "skp_return",
    "skp_submit",
    "skp_transfer",
    "skp_update",
    "template_apply",
    "template_save",
    "transition",
    "users_of",
]
