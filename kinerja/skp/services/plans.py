"""The plan itself: starting it (on 1 January, or on the TMT of the position), closing it on a
transfer (and starting its successor) or ending it at retirement or death, and its approach
and attachment.

Dates: a plan runs from ``starts_on`` (1 January, or the TMT of the position with its SK
number) until ``ends_on`` — the first day it no longer holds (a transfer: the successor's
TMT), the day of death, or the TMT of retirement. Which calendar months count for credit
points follows from these two dates alone (``kinerja.evaluations.rules.months_of``)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor, user_of
from kinerja.core.periods import MAX_YEAR, MIN_YEAR
from kinerja.core.texts import in_region_language
from kinerja.organizations.models import Employee

from .. import permissions
from ..models import Approach, EndReason, Skp, SkpState, SkpTransition
from ..rules import admin_may_draft_from
from .common import chain_of, clean_text, record_transition, require_editable

ATTACHMENT_FIELDS = ["approach", "resources", "accountability", "consequences"]


def _check_may_draft(employee: Employee, year: int, by: Actor, today: date) -> None:
    """The employee drafts their own plan; the agency's performance administrator may draft it
    from the day after the second week of January; a rater may draft it any time."""
    permissions.require(
        permissions.can_create(by, employee), _("You may not draft a plan for this employee.")
    )
    if permissions.is_self(by, employee) or not permissions.is_administrator(by, employee):
        return
    start = admin_may_draft_from(year)
    if year == today.year and today < start and not permissions.rates(by, employee):
        raise ValidationError(
            {
                "employee": _(
                    "The employee drafts their own plan until %(date)s; after that the "
                    "performance administrator may draft it."
                )
                % {"date": start.strftime("%d/%m/%Y")}
            }
        )


def _check_new_plan(employee: Employee, year: int, approach: str) -> None:
    if approach not in Approach.values:
        raise ValidationError({"approach": _("Choose kuantitatif or kualitatif.")})
    if not employee.active:
        raise ValidationError({"employee": _("This employee is no longer active.")})
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise ValidationError({"year": _("The year must lie between 2000 and 2100.")})
    if Skp.objects.filter(employee=employee, year=year, ends_on__isnull=True).exists():
        raise ValidationError(
            {
                "year": _("%(name)s already has a plan for %(year)s.")
                % {"name": employee.name, "year": year}
            }
        )


def _check_start(employee: Employee, year: int, start: date | None, by: Actor) -> date:
    """1 January unless given; another day (the TMT of an entrant's or a transferred
    employee's position) only from the agency's performance administrator (or the region's
    administrator), who records the SK; always within the plan's year."""
    if start is None:
        return date(year, 1, 1)
    if start.year != int(year):
        raise ValidationError({"start": _("The start must lie in %(year)s.") % {"year": year}})
    if start != date(year, 1, 1) and not permissions.is_administrator(by, employee):
        raise ValidationError(
            {"start": _("Only the performance administrator records a start other than "
                        "1 January (the TMT of the position).")}
        )  # fmt: skip
    return start


def _new_plan(employee: Employee, year: int, approach: str, by: Actor) -> Skp:
    """The plan in the employee's current position, with their current rater chain."""
    position = employee.position
    rater, superior = chain_of(employee)
    return Skp(
        employee=employee,
        year=year,
        position=position,
        position_name=position.name if position else "",
        position_kind=position.kind if position else "",
        position_level=position.level if position else "",
        unit=employee.unit,
        rater=rater,
        rater_superior=superior,
        approach=approach,
        state=SkpState.DRAFT,
        starts_on=date(year, 1, 1),  # a transfer's successor starts on the transfer day
        created_by=user_of(by),
    )


@transaction.atomic
def skp_create(
    *,
    employee: Employee,
    year: int,
    approach: str = Approach.QUANTITATIVE,
    by: Actor,
    today: date | None = None,
    start: date | None = None,
    sk_number: str = "",
) -> Skp:
    """Start an employee's plan for ``year`` in their current position, on 1 January or on
    ``start`` (the TMT of the position, with the SK's number ``sk_number``).

    The employee drafts their own plan; the agency's performance administrator may draft it
    for them from the day after the second week of January (domain.md §3); a rater drafts it
    when handing out results (the role-result matrix). Only the performance administrator
    records a start other than 1 January."""
    _check_may_draft(employee, year, by, today or timezone.localdate())
    _check_new_plan(employee, year, approach)
    skp = _new_plan(employee, year, approach, by)
    skp.starts_on = _check_start(employee, year, start, by)
    skp.tmt_sk_number = clean_text(sk_number, "sk_number", required=False, limit=100)
    skp.save()
    SkpTransition.objects.create(skp=skp, from_state="", to_state=SkpState.DRAFT, by=user_of(by))
    audit.record(
        "create",
        skp,
        after={
            "employee": employee.nip,
            "year": year,
            "approach": approach,
            "position": skp.position_name,
            "starts_on": skp.starts_on.isoformat(),
            "sk_number": skp.tmt_sk_number or None,
        },
    )
    return skp


def _close(skp: Skp, by: Actor, on: date, reason: str, note: str) -> None:
    """End an open plan on ``on`` (within its year, not before its start) for ``reason``."""
    if skp.ends_on is not None:
        raise ValidationError({"skp": _("This plan is already closed.")})
    if on.year != skp.year or on < skp.starts_on:
        raise ValidationError(
            {"on": _("The end must lie in %(year)s, on or after the plan's start (%(date)s).")
             % {"year": skp.year, "date": skp.starts_on.strftime("%d/%m/%Y")}}
        )  # fmt: skip
    skp.ends_on, skp.end_reason = on, reason
    record_transition(skp, SkpState.CLOSED, by, note)
    skp.save(update_fields=["ends_on", "end_reason", "state"])


@transaction.atomic
def skp_transfer(
    *, skp: Skp, by: Actor, on: date | None = None, sk_number: str = "", reason: str = ""
) -> Skp:
    """Close a plan because its holder moved to another position, and start the new one on
    ``on``, the TMT of the new position (SK number ``sk_number``). The old plan ends that day:
    it counts the months before the new plan's first month (``months_of``).

    The old plan keeps its record (results, realisations, ratings) and points to its successor."""
    on = on or timezone.localdate()
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    permissions.require(permissions.can_administer(by, skp), _("You may not record a transfer."))
    employee = skp.employee
    if skp.ends_on is not None:
        raise ValidationError({"skp": _("This plan is already closed.")})
    if employee.position_id == skp.position_id:
        raise ValidationError(
            {
                "position": _(
                    "The employee still holds %(position)s; record the new position first."
                )
                % {"position": skp.position_name}
            }
        )
    with in_region_language():  # the plan's history is read by everyone: the region's language
        note = _("Transfer to %(position)s") % {
            "position": employee.position.name if employee.position else "-"
        }
    if reason:
        note = f"{note}: {clean_text(reason, 'reason', required=False, limit=500)}"
    _close(skp, by, on, EndReason.TRANSFER, note)
    new = skp_create(
        employee=employee, year=skp.year, approach=skp.approach, by=by, today=on, start=on,
        sk_number=sk_number,
    )  # fmt: skip
    new.previous = skp
    new.save(update_fields=["previous"])
    return new


@transaction.atomic
def skp_end(*, skp: Skp, by: Actor, on: date, reason: str, note: str = "") -> Skp:
    """End a plan at retirement (``on``: the TMT of the pension, the first day not served),
    death (``on``: the day of death) or for another reason, as recorded by the agency's
    performance administrator. The plan keeps its record and can still be rated for its
    months; no successor is started."""
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    permissions.require(permissions.can_administer(by, skp), _("You may not end this plan."))
    if reason not in {EndReason.RETIREMENT, EndReason.DEATH, EndReason.OTHER}:
        raise ValidationError({"reason": _("Choose retirement, death or other.")})
    text = clean_text(note, "note", required=reason == EndReason.OTHER, limit=500)
    _close(skp, by, on, reason, text or str(EndReason(reason).label))
    audit.record("update", skp, after={"ends_on": on.isoformat(), "end_reason": reason})
    return skp


@transaction.atomic
def skp_update(*, skp: Skp, by: Actor, **changes: str) -> Skp:
    """Change the approach or the attachment (resources, accountability scheme, consequences)."""
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    permissions.require(permissions.can_edit(by, skp), _("You may not change this plan."))
    require_editable(skp)
    before = audit.snapshot(skp, ATTACHMENT_FIELDS)
    for name, value in changes.items():
        if name not in ATTACHMENT_FIELDS:
            raise ValidationError({name: _("Unknown field.")})
        if name == "approach":
            if value not in Approach.values:
                raise ValidationError({"approach": _("Choose kuantitatif or kualitatif.")})
            skp.approach = value
        else:
            setattr(skp, name, clean_text(value, name, required=False, limit=5000))
    skp.save()
    b, a = audit.changed(before, audit.snapshot(skp, ATTACHMENT_FIELDS))
    if a:
        audit.record("update", skp, before=b, after=a)
    return skp
