"""What the operations on plans share: cleaning typed text, the people to notify, the plan's
rater chain, the check that a plan may still change, and recording a change of state."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.core import audit
from kinerja.core.actors import Actor, user_of
from kinerja.organizations.models import Employee, RaterChain

from ..models import EDITABLE_STATES, Skp, SkpTransition

MAX_TEXT = 2000


def clean_text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    """``value`` stripped; refused (keyed by ``field``) when required and empty, longer than
    ``limit`` or holding control characters other than line breaks and tabs."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("Write at most %(n)d characters (now %(m)d).") % {"n": limit, "m": len(text)}}
        )
    if any((ord(c) < 32 and c not in "\n\r\t") or ord(c) == 127 for c in text):
        raise ValidationError({field: _("must not contain control characters")})
    return text


def users_of(*employees: Employee | None) -> list[User]:
    """The active accounts of ``employees`` (to notify them)."""
    ids = [e.pk for e in employees if e is not None]
    return list(User.objects.filter(employee_id__in=ids, is_active=True))


def chain_of(employee: Employee) -> tuple[Employee | None, Employee | None]:
    """The employee's rater and rater's superior now."""
    chain = (
        RaterChain.objects.filter(employee=employee)
        .select_related("rater", "rater_superior")
        .first()
    )
    if chain is None:
        return None, None
    return chain.rater, chain.rater_superior


def require_editable(skp: Skp) -> None:
    if skp.state not in EDITABLE_STATES:
        raise ValidationError(
            {
                "state": _("The plan is %(state)s; only a draft or a returned plan can change.")
                % {"state": skp.get_state_display()}
            }
        )


def record_transition(skp: Skp, to_state: str, by: Actor, reason: str = "") -> None:
    """Move the plan to ``to_state`` (unsaved), keeping who, when and why."""
    before = skp.state
    skp.state = to_state
    SkpTransition.objects.create(
        skp=skp, from_state=before, to_state=to_state, by=user_of(by), reason=reason
    )
    audit.record(
        "transition",
        skp,
        before={"state": before} if before else None,
        after={"state": to_state},
        note=reason[:500],
    )


def transition(skp: Skp, to_state: str, by: Actor, reason: str = "") -> None:
    """For the evaluation operations: move a plan (locked by the caller) and save it."""
    record_transition(skp, to_state, by, reason)
    skp.save(update_fields=["state"])
