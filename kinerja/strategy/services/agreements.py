"""The yearly performance agreement (Perjanjian Kinerja) of an agency: drafted and submitted
by those who manage the agency, agreed or returned by its head, reopened to revise it."""

from __future__ import annotations

from typing import Any, Literal, overload

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.accounts.models import User
from kinerja.core import audit
from kinerja.core.actors import Actor, user_of
from kinerja.core.notifications import notify
from kinerja.core.texts import Text
from kinerja.organizations.models import Agency

from .. import permissions
from ..models import AgreementEvent, AgreementState, IndicatorTarget, PerformanceAgreement

TRANSITIONS = {
    "submit": ({AgreementState.DRAFT, AgreementState.RETURNED}, AgreementState.SUBMITTED),
    "agree": ({AgreementState.SUBMITTED}, AgreementState.AGREED),
    "return": ({AgreementState.SUBMITTED}, AgreementState.RETURNED),
    "reopen": ({AgreementState.AGREED}, AgreementState.DRAFT),
}
ACTION_WORDS = {
    "submit": gettext_lazy("submitted"),
    "agree": gettext_lazy("agreed"),
    "return": gettext_lazy("returned"),
    "reopen": gettext_lazy("reopened"),
}


@overload
def agreement_for(agency: Agency, year: int, *, create: Literal[True]) -> PerformanceAgreement: ...
@overload
def agreement_for(
    agency: Agency, year: int, *, create: bool = False
) -> PerformanceAgreement | None: ...
def agreement_for(
    agency: Agency, year: int, *, create: bool = False
) -> PerformanceAgreement | None:
    if create:
        agreement, _created = PerformanceAgreement.objects.get_or_create(agency=agency, year=year)
        return agreement
    return PerformanceAgreement.objects.filter(agency=agency, year=year).first()


def _targets_snapshot(agreement: PerformanceAgreement) -> dict[str, Any]:
    rows = IndicatorTarget.objects.filter(
        indicator__agency=agreement.agency, year=agreement.year
    ).select_related("indicator")
    snapshot = {}
    for target in rows.prefetch_related("quarters"):
        snapshot[target.indicator.code] = audit.to_json(
            {
                "value": target.value,
                "low": target.low,
                "high": target.high,
                "quarters": [[q.quarter, q.value, q.low, q.high] for q in target.quarters.all()],
            }
        )
    return snapshot


def _refusal(action: str) -> str:
    if action in permissions.DRAFTER_ACTIONS:
        return _("Only the agency's performance administrators may submit or reopen the agreement.")
    return _("Only the agency head may agree or return the agreement.")


@transaction.atomic
def agreement_transition(
    *, agreement: PerformanceAgreement, action: str, by: Actor, note: str = ""
) -> PerformanceAgreement:
    """Move the agreement: submit (draft → submitted), agree or return (submitted → …),
    reopen (agreed → draft, to revise targets; the agreed version stays in the history).
    Those who manage the agency submit and reopen; its head (holder or acting) agrees and
    returns."""
    agreement = PerformanceAgreement.objects.select_for_update().get(pk=agreement.pk)
    allowed, to_state = TRANSITIONS[action]
    permissions.require(permissions.can_transition(by, agreement, action), _refusal(action))
    if agreement.state not in allowed:
        raise ValidationError(
            _("An agreement that is %(state)s cannot be %(action)s.")
            % {"state": agreement.get_state_display(), "action": ACTION_WORDS[action]}
        )
    if action in {"return", "reopen"} and not note.strip():
        raise ValidationError({"note": _("Give the reason.")})
    if (
        action == "submit"
        and not IndicatorTarget.objects.filter(
            indicator__agency=agreement.agency, year=agreement.year
        ).exists()
    ):
        raise ValidationError(_("Set at least one target before submitting."))
    from_state = agreement.state
    agreement.state = to_state
    if to_state == AgreementState.AGREED:
        agreement.agreed_at, agreement.agreed_by = timezone.now(), user_of(by)
    agreement.save()
    AgreementEvent.objects.create(
        agreement=agreement,
        by=user_of(by),
        from_state=from_state,
        to_state=to_state,
        note=note.strip(),
        targets=_targets_snapshot(agreement),
    )
    audit.record(
        action,
        agreement,
        before={"state": from_state},
        after={"state": to_state},
        note=note.strip(),
    )
    if to_state == AgreementState.SUBMITTED:
        _tell_the_head(agreement)
    return agreement


def _tell_the_head(agreement: PerformanceAgreement) -> None:
    """The agency head (holder or acting) learns that the agreement waits for them."""
    head_position = agreement.agency.head_position_id
    if head_position is None:
        return
    heads = User.objects.filter(is_active=True).filter(
        Q(employee__position_id=head_position, employee__active=True)
        | Q(employee__acting_in__position_id=head_position, employee__acting_in__ended_at=None)
    )
    notify(
        users=heads.distinct(),
        title=Text(
            gettext_lazy("The %(year)s performance agreement awaits your agreement"),
            year=agreement.year,
        ),
        link=reverse("strategy:agreement", args=[agreement.agency.code, agreement.year]),
    )
