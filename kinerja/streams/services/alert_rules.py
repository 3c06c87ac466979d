"""Operations on alert rules: create or change one, deactivate one. Admin BKPSDM and the
Pengelola Kinerja of the stream's agency (``permissions.may_manage_stream``); each in one
transaction, with its audit record. How rules are evaluated is :mod:`kinerja.streams.alerts`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor, user_of

from .. import permissions
from ..models import AlertBreach, AlertMetric, AlertRule, Stream

RULE_FIELDS = [
    "name", "metric", "comparison", "threshold", "window", "consecutive", "unit", "active",
]  # fmt: skip


def rule_snapshot(rule: AlertRule) -> dict[str, Any]:
    data = audit.snapshot(rule, [f for f in RULE_FIELDS if f != "unit"])
    data["unit"] = rule.unit.code if rule.unit else None
    return data


def _check_rule(rule: AlertRule) -> None:
    errors = {}
    share = rule.metric == AlertMetric.WITHIN_SLA_PCT
    if share and rule.threshold is not None and rule.threshold > 100:
        errors["threshold"] = _("A share is at most 100 %, e.g. 90.")
    if not (rule.name or "").strip():
        errors["name"] = _("Give the rule a name, e.g. p90 above the target two days running.")
    if errors:
        raise ValidationError(errors)
    rule.full_clean(exclude=["created_by"])


@transaction.atomic
def alert_rule_save(
    *, stream: Stream, values: dict[str, Any], by: Actor, rule: AlertRule | None = None
) -> AlertRule:
    """Create or change a rule of ``stream``. ``values``: the fields of ``RULE_FIELDS``.
    Deactivating a rule ends its open breach."""
    permissions.require(
        permissions.may_manage_stream(by, stream),
        _("You may not set the alert rules of stream %(code)s.") % {"code": stream.code},
    )
    if rule is not None:
        rule = (
            AlertRule.objects.select_for_update(of=("self",))
            .select_related("unit", "stream__agency")
            .get(pk=rule.pk)
        )
        if rule.stream_id != stream.pk:
            raise ValidationError(_("This rule belongs to another stream."))
    before = rule_snapshot(rule) if rule else None
    rule = rule or AlertRule(stream=stream, created_by=user_of(by))
    for name, value in values.items():
        if name not in RULE_FIELDS:
            raise ValueError(f"unknown alert rule field {name}")
        setattr(rule, name, value)
    rule.name = " ".join((rule.name or "").split())
    _check_rule(rule)
    after = rule_snapshot(rule)
    if before == after:
        return rule
    rule.save()
    if not rule.active:
        AlertBreach.objects.filter(rule=rule, ended_at=None).update(ended_at=timezone.now())
    b, a = audit.changed(before, after)
    audit.record("create" if before is None else "update", rule, before=b, after=a)
    return rule


def alert_rule_deactivate(*, rule: AlertRule, by: Actor) -> AlertRule:
    """Stop evaluating a rule; its open breach ends (as ``alert_rule_save``)."""
    return alert_rule_save(stream=rule.stream, values={"active": False}, by=by, rule=rule)
