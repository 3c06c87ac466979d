"""The plan's way to approval: what the rater should look at, submitting it, and the rater
approving or returning it. Every change of state is kept (who, when, why) and notified."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.actors import Actor
from kinerja.core.notifications import notify
from kinerja.core.texts import Text

from .. import permissions
from ..models import RhkKind, Skp, SkpState
from .common import chain_of, clean_text, record_transition, require_editable, users_of


def plan_checks(skp: Skp) -> list[str]:
    """What the rater should look at before approving (warnings, never a block): main
    results of JA/JF that name no supported result of the rater, JPT results without an
    agency indicator or a perspective."""
    notes = []
    for rhk in skp.results.all():
        if rhk.kind != RhkKind.MAIN:
            continue
        if skp.is_jpt and (rhk.indicator_id is None or not rhk.perspective):
            notes.append(
                _("Result %(n)d names no agency indicator or perspective.") % {"n": rhk.number}
            )
        elif not skp.is_jpt and rhk.supports_id is None:
            notes.append(
                _("Result %(n)d names no result of the rater that it supports.") % {"n": rhk.number}
            )
    return notes


@transaction.atomic
def skp_submit(*, skp: Skp, by: Actor) -> Skp:
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    permissions.require(permissions.can_edit(by, skp), _("You may not submit this plan."))
    require_editable(skp)
    if not skp.results.filter(kind=RhkKind.MAIN).exists():
        raise ValidationError(
            {"results": _("Add at least one main result (RHK utama) before submitting.")}
        )
    if skp.rater_id is None and not permissions.rated_by_region_head(skp):
        rater, superior = chain_of(skp.employee)
        if rater is None:
            raise ValidationError(
                {
                    "rater": _(
                        "This employee has no rater; ask the performance administrator to fix "
                        "the supervisor chain."
                    )
                }
            )
        skp.rater, skp.rater_superior = rater, superior
    skp.submitted_at = timezone.now()
    skp.return_reason = ""
    record_transition(skp, SkpState.SUBMITTED, by)
    skp.save()
    notify(
        users=users_of(skp.rater),
        title=Text(
            gettext_lazy("%(name)s submitted the %(year)s plan"),
            name=skp.employee.name,
            year=skp.year,
        ),
        link=f"/skp/{skp.pk}/",
    )
    return skp


@transaction.atomic
def skp_approve(*, skp: Skp, by: Actor) -> Skp:
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    permissions.require(permissions.rates_plan(by, skp), _("Only the rater approves the plan."))
    if skp.state != SkpState.SUBMITTED:
        raise ValidationError({"state": _("Only a submitted plan can be approved.")})
    skp.approved_at = timezone.now()
    record_transition(skp, SkpState.APPROVED, by)
    skp.save()
    notify(
        users=users_of(skp.employee),
        title=Text(gettext_lazy("Your %(year)s plan was approved"), year=skp.year),
        link=f"/skp/{skp.pk}/",
    )
    return skp


@transaction.atomic
def skp_return(*, skp: Skp, by: Actor, reason: str) -> Skp:
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    permissions.require(permissions.rates_plan(by, skp), _("Only the rater returns the plan."))
    if skp.state != SkpState.SUBMITTED:
        raise ValidationError({"state": _("Only a submitted plan can be returned.")})
    reason = clean_text(reason, "reason")
    skp.return_reason = reason
    record_transition(skp, SkpState.RETURNED, by, reason)
    skp.save()
    notify(
        users=users_of(skp.employee),
        title=Text(gettext_lazy("Your %(year)s plan was returned"), year=skp.year),
        body=reason[:300],
        link=f"/skp/{skp.pk}/",
    )
    return skp


def transition(skp: Skp, to_state: str, by: Actor, reason: str = "") -> None:
    """For the evaluation operations: move a plan (locked by the caller) and save it."""
    record_transition(skp, to_state, by, reason)
    skp.save(update_fields=["state"])
