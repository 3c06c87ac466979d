"""The targets of the performance agreement: an indicator's yearly target and its four
quarterly (TW I–IV) ones, set while the year's agreement is a draft or was returned."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypedDict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.core.periods import ROMAN
from kinerja.organizations.models import Agency

from ..models import Indicator, IndicatorTarget, Polarity, QuarterTarget
from .agreements import agreement_for
from .common import require_manager

#: One quarter's target as stored: (value, low, high).
Quarter = tuple[Decimal | None, Decimal | None, Decimal | None]
NO_TARGET: Quarter = (None, None, None)
#: One quarter's target as given: a value, a ``(low, high)`` pair for a range indicator, or
#: ``None`` (no target that quarter).
QuarterIn = Decimal | tuple[Decimal | None, Decimal | None] | list[Decimal | None] | None


class TargetValues(TypedDict, total=False):
    """One row of :func:`targets_set`: :func:`target_set`'s keyword arguments."""

    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    quarters: Sequence[QuarterIn] | None


def _target_errors(
    indicator: Indicator,
    value: Decimal | None,
    low: Decimal | None,
    high: Decimal | None,
    field: str,
) -> dict[str, str]:
    if indicator.polarity == Polarity.RANGE:
        if value is not None:
            return {field: _("A range indicator takes a lower and an upper bound, not one value.")}
        if low is None or high is None:
            return {field: _("Give both bounds of the range, e.g. 80 and 90.")}
        if low > high:
            return {field: _("The lower bound is above the upper bound.")}
        return {}
    if low is not None or high is not None:
        return {field: _("Only a range indicator takes bounds; give one target value.")}
    if value is None and field == "target":
        return {field: _("Give the target, e.g. 8.")}
    return {}


def _quarter_error(
    indicator: Indicator, number: int, item: QuarterIn
) -> tuple[Quarter | None, str | None]:
    """One quarterly target read into (value, low, high), or the reason it is refused."""
    if indicator.polarity == Polarity.RANGE and item is not None:
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            return None, _("TW %(n)s: give the lower and the upper bound, e.g. [80, 90].") % {
                "n": ROMAN[number]
            }
        quarter: Quarter = (None, item[0], item[1])
    elif isinstance(item, (list, tuple)):
        return None, _("TW %(n)s: give one target value, not a range.") % {"n": ROMAN[number]}
    else:
        quarter = (item, None, None)
    if item is not None:
        problem = _target_errors(indicator, *quarter, "quarterly_targets")
        if problem:
            return quarter, _("TW %(n)s: %(reason)s") % {
                "n": ROMAN[number],
                "reason": problem["quarterly_targets"],
            }
    return quarter, None


def _parse_quarters(
    indicator: Indicator, quarters: Sequence[QuarterIn], errors: dict[str, str]
) -> list[Quarter]:
    """The four quarterly targets as (value, low, high); refusals go into ``errors`` (the
    last one found is the one reported)."""
    if len(quarters) != 4:
        errors["quarterly_targets"] = _("Give four quarterly targets (TW I–IV).")
        return []
    parsed = []
    for number, item in enumerate(quarters, start=1):
        quarter, problem = _quarter_error(indicator, number, item)
        if problem:
            errors["quarterly_targets"] = problem
        if quarter is not None:
            parsed.append(quarter)
    return parsed


def _canonical(value: object) -> object:
    """Numbers as their plain digits (15.0000 and 15 are the same target)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    return value


def _canonical_state(state: dict[str, Any]) -> dict[str, Any]:
    """A target's state (:func:`_target_state`) with its numbers as plain digits."""
    return {key: _canonical(value) for key, value in state.items()}


def _target_state(target: IndicatorTarget | None) -> dict[str, Any]:
    if target is None:
        return {"value": None, "low": None, "high": None, "quarters": []}
    return {
        "value": target.value,
        "low": target.low,
        "high": target.high,
        "quarters": [[q.quarter, q.value, q.low, q.high] for q in target.quarters.all()],
    }


@transaction.atomic
def target_set(
    *,
    by: Actor,
    indicator: Indicator,
    year: int,
    value: Decimal | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
    quarters: Sequence[QuarterIn] | None = None,
) -> IndicatorTarget:
    """Set the yearly target and, optionally, the four quarterly targets (each a value, a
    ``(low, high)`` pair for a range indicator, or ``None``) while the year's agreement is a
    draft or was returned. Only those who manage the indicator's agency may."""
    require_manager(by, indicator.agency_id)
    errors = _target_errors(indicator, value, low, high, "target")
    parsed = None if quarters is None else _parse_quarters(indicator, quarters, errors)
    if errors:
        raise ValidationError(errors)
    stored = IndicatorTarget.objects.filter(indicator=indicator, year=year).first()
    before = _target_state(stored)
    wanted_quarters = (
        before["quarters"]
        if parsed is None
        else [[n, *q] for n, q in enumerate(parsed, start=1) if q != NO_TARGET]
    )
    after = _canonical_state(
        {"value": value, "low": low, "high": high, "quarters": wanted_quarters}
    )
    before = _canonical_state(before)
    if stored is not None and before == after:
        return stored  # nothing changes: allowed whatever the agreement's state
    agreement = agreement_for(indicator.agency, year, create=True)
    if not agreement.editable:
        raise ValidationError(
            _("The %(year)d agreement is %(state)s; reopen it to change targets.")
            % {"year": year, "state": agreement.get_state_display()}
        )
    target = stored or IndicatorTarget(indicator=indicator, year=year)
    target.value, target.low, target.high = value, low, high
    target.save()
    if parsed is not None:
        target.quarters.all().delete()
        QuarterTarget.objects.bulk_create(
            QuarterTarget(target=target, quarter=n, value=q[0], low=q[1], high=q[2])
            for n, q in enumerate(parsed, start=1)
            if q != NO_TARGET
        )
    b, a = audit.changed(before, after)
    audit.record(
        "update",
        object_type="strategy.indicatortarget",
        object_id=f"{indicator.agency.code}/{indicator.code}/{year}",
        object_repr=str(indicator)[:200],
        before=b,
        after=a,
    )
    return target


@transaction.atomic
def targets_set(
    *, by: Actor, agency: Agency, year: int, targets: Sequence[tuple[Indicator, TargetValues]]
) -> list[IndicatorTarget]:
    """Set the targets of several indicators of ``agency``'s ``year`` agreement at once (each
    row an indicator with :func:`target_set`'s keyword arguments): all of them, or none.

    Refused while the agreement is submitted or agreed (an error on no field). A refused row
    is reported as ``"<indicator code>.target"`` or ``"<indicator code>.quarterly_targets"``,
    every row checked before anything is kept."""
    require_manager(by, agency.pk)
    agreement = agreement_for(agency, year)
    if agreement is not None and not agreement.editable:
        raise ValidationError(_("The agreement is no longer a draft; reopen it to change targets."))
    saved: list[IndicatorTarget] = []
    errors: dict[str, list[ValidationError]] = {}
    for indicator, kwargs in targets:
        if indicator.agency_id != agency.pk:
            raise ValueError(f"{indicator} is not an indicator of {agency}")
        try:
            saved.append(target_set(by=by, indicator=indicator, year=year, **kwargs))
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                errors.setdefault(NON_FIELD_ERRORS, []).extend(exc.error_list)
                continue
            for key, items in exc.error_dict.items():
                errors.setdefault(f"{indicator.code}.{key}", []).extend(items)
    if errors:
        raise ValidationError(errors)  # leaving the transaction undoes the rows kept so far
    return saved
