"""The leader's special expectations (ekspektasi khusus pimpinan), one per core value
(BerAKHLAK), written by the rater while the plan is prepared or awaits approval."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor

from .. import permissions
from ..models import EDITABLE_STATES, BehaviourExpectation, BehaviourValue, Skp, SkpState
from .common import clean_text, require_editable


@transaction.atomic
def expectation_set(
    *, skp: Skp, value: BehaviourValue, text: str, by: Actor
) -> BehaviourExpectation | None:
    """The leader's special expectation for a core value (empty text removes it). The rater
    writes it while the plan is being prepared or awaits approval."""
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    permissions.require(
        permissions.rates_plan(by, skp), _("Only the rater writes the leader's expectations.")
    )
    if skp.state not in EDITABLE_STATES | {SkpState.SUBMITTED}:
        require_editable(skp)
    text = clean_text(text, "text", required=False)
    current = BehaviourExpectation.objects.filter(skp=skp, value=value).first()
    before = {"text": current.text} if current else None
    if not text:
        if current:
            current.delete()
        result = None
    else:
        result, _created = BehaviourExpectation.objects.update_or_create(
            skp=skp, value=value, defaults={"text": text}
        )
    after = {"text": text} if text else None
    if before != after:
        with translation.override(settings.LANGUAGE_CODE):  # the audit trail's notes: the region's
            note = _("Leader's special expectation")
        audit.record(
            "update", skp, before={value.code: before}, after={value.code: after}, note=note
        )
    return result


@transaction.atomic
def expectations_set(*, skp: Skp, by: Actor, expectations: Mapping[BehaviourValue, str]) -> None:
    """The leader's expectations for several core values at once, all or nothing: each text
    that differs from the stored one is set as :func:`expectation_set` sets one (an empty text
    removes it). When any is refused nothing is stored, and the ``ValidationError`` names each
    refused text by its value's code (``{"integritas": […]}``); a refusal of the plan itself
    keeps its own key (``state``)."""
    current = {e.value_id: e.text for e in BehaviourExpectation.objects.filter(skp=skp)}
    errors: dict[str, list[str]] = {}
    for value, text in expectations.items():
        if (text or "").strip() == current.get(value.pk, ""):
            continue
        try:
            expectation_set(skp=skp, value=value, text=text, by=by)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(value.code if key == "text" else key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
