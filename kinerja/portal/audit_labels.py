"""The audit trail as people read it, in one place: each record keeps codes (its action, the
type of its object, the names and values of the fields it changed — the API answers them as
they are), and the audit page shows their labels in the reader's language: the action from
:data:`kinerja.core.models.ACTION_LABELS`, the object type from its model's verbose name, a
changed field from its ``verbose_name`` and a coded value from the field's choices
("state: rated → objected" reads "status: dinilai → keberatan").
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.models import AuditRecord

#: Fields without a verbose name of their own whose English name the catalogue lacks.
FIELD_LABELS = {
    "suggested_results": gettext_lazy("suggested results rating"),
}
#: Keys of ``before``/``after`` that name a field differently (the operation's shorter word).
ALIASES = {
    "results": "results_rating",
    "behaviour": "behaviour_rating",
    "suggested": "suggested_results",
}


#: The models without a verbose name of their own (Django would make an English one from the
#: class name); giving them one in ``Meta`` needs a migration of their app.
OBJECT_TYPE_LABELS = {
    "evaluations.selfassessment": gettext_lazy("self-assessment"),
    "evaluations.orgevaluation": gettext_lazy("Organisation predicate"),
    "evaluations.developmentaction": gettext_lazy("development plan action"),
    "evaluations.agencyrhythm": gettext_lazy("rhythm"),
    "evaluations.reminder": gettext_lazy("reminder"),
    "evaluations.evaluationsetting": gettext_lazy("evaluation setting"),
    "evaluations.creditpercent": gettext_lazy("credit-point percentage"),
    "evaluations.creditcoefficient": gettext_lazy("credit-point coefficient"),
    "evaluations.creditrequirement": gettext_lazy("credit-point requirement"),
    "skp.skptransition": gettext_lazy("plan state change"),
    "strategy.quartertarget": gettext_lazy("quarterly target"),
}


def model_of(object_type: str) -> type[models.Model] | None:
    """The model of ``app_label.modelname``, ``None`` for anything else (an import, a test)."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = model_of(object_type)
    if object_type in OBJECT_TYPE_LABELS:
        return capfirst(str(OBJECT_TYPE_LABELS[object_type]))
    return capfirst(str(model._meta.verbose_name)) if model is not None else object_type


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(ALIASES.get(name, name))
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def value_label(field: models.Field | None, value: Any) -> Any:
    """A coded value as its label (a choice, yes/no); a list or a mapping as JSON in a
    ``<code>`` element (data with its keys as stored, not Python's ``None``, not words of the
    page); anything else as it is."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | dict):
        return format_html("<code>{}</code>", json.dumps(value, ensure_ascii=False))
    if field is not None and field.choices and isinstance(value, str | int):
        return dict(field.flatchoices).get(value, value)
    return value


def changes(record: AuditRecord) -> list[tuple[str, Any, Any]]:
    """(field label, value before, value after) of every field ``record`` names, by name."""
    before = record.before if isinstance(record.before, dict) else {}
    after = record.after if isinstance(record.after, dict) else {}
    model = model_of(record.object_type)
    rows = []
    for name in sorted(set(before) | set(after)):
        field = _field(model, name)
        # a field without a verbose name of its own has Django's, made from its name in
        # English: the catalogue knows most of those words ("state" → "status")
        label = _(str(field.verbose_name) if field is not None else name)
        if field is not None and field.name in FIELD_LABELS:
            label = str(FIELD_LABELS[field.name])
        rows.append(
            (label, value_label(field, before.get(name)), value_label(field, after.get(name)))
        )
    return rows
