"""A plan's work results (RHK) with their indicators (IKI): adding, changing and removing a
result with its indicators in one step, reading a target, and letting a stream metric fill an
indicator."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.core.numbers import NumberError, to_decimal
from kinerja.strategy.models import Indicator
from kinerja.streams.bindings import binding_check, binding_snapshot, binding_store

from .. import permissions
from ..models import Approach, Aspect, Iki, Perspective, Rhk, RhkKind, Skp
from .common import clean_text, require_editable

MAX_INDICATORS = 10
_RANGE = re.compile(
    r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*(?:-|–|—|s\.?d\.?)\s*([0-9]+(?:[.,][0-9]+)?)\s*$"
)


@dataclass(frozen=True)
class Target:
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None


class IndicatorFields(TypedDict):
    """An indicator as :func:`clean_indicators` gives it: the fields of an :class:`Iki`."""

    aspect: str
    text: str
    target: Decimal | None
    target_low: Decimal | None
    target_high: Decimal | None
    unit_of_measure: str
    lower_is_better: bool
    yearly_total: bool


def parse_target(raw: object, field: str) -> Target:
    """A target: a number (``1200``, ``"12,5"``), a range (``"80-90"``, ``"80–90"``,
    ``{"low": 80, "high": 90}``), or nothing."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Target()
    try:
        if isinstance(raw, dict):
            low, high = to_decimal(raw.get("low")), to_decimal(raw.get("high"))
        elif isinstance(raw, str) and (match := _RANGE.match(raw)):
            low, high = to_decimal(match[1]), to_decimal(match[2])
        else:
            return Target(value=to_decimal(raw))
    except NumberError as exc:
        raise ValidationError({field: str(exc)}) from None
    if low > high:
        raise ValidationError({field: _("The range's lower bound is above its upper bound.")})
    return Target(low=low, high=high)


def _counts_in_the_year(aspect: str, unit: str) -> bool:
    """The default of ``Iki.yearly_total``: a quantity counted in the year (documents,
    patients), not a share (%)."""
    return aspect == Aspect.QUANTITY and unit.strip() not in {"%", "persen"}


def clean_indicators(skp: Skp, indicators: Sequence[Mapping[str, Any]]) -> list[IndicatorFields]:
    if not indicators:
        raise ValidationError({"indicators": _("Give at least one indicator (IKI).")})
    if len(indicators) > MAX_INDICATORS:
        raise ValidationError(
            {"indicators": _("At most %(n)d indicators per result.") % {"n": MAX_INDICATORS}}
        )
    cleaned: list[IndicatorFields] = []
    for index, item in enumerate(indicators):
        prefix = f"indicators.{index}"
        if not isinstance(item, dict):
            raise ValidationError(
                {prefix: _("Each indicator has an aspect, a text, a target and a unit.")}
            )
        aspect = (item.get("aspect") or "").strip().lower()
        if aspect not in Aspect.values:
            raise ValidationError(
                {f"{prefix}.aspect": _("Choose kuantitas, kualitas, waktu or biaya.")}
            )
        text = clean_text(item.get("text") or "", f"{prefix}.text")
        target = parse_target(item.get("target"), f"{prefix}.target")
        if skp.approach == Approach.QUANTITATIVE and target.value is None and target.low is None:
            raise ValidationError(
                {
                    f"{prefix}.target": _(
                        "A quantitative plan gives each indicator a target, e.g. 1200 or 80-90."
                    )
                }
            )
        unit = clean_text(item.get("unit") or "", f"{prefix}.unit", required=False, limit=40)
        cleaned.append(
            {
                "aspect": aspect, "text": text, "target": target.value, "target_low": target.low,
                "target_high": target.high, "unit_of_measure": unit,
                "lower_is_better": bool(item.get("lower_is_better", aspect == Aspect.TIME)),
                "yearly_total": bool(item.get("yearly_total", _counts_in_the_year(aspect, unit))),
            }
        )  # fmt: skip
    return cleaned


def _check_supports(skp: Skp, supports: Rhk | None) -> None:
    if supports is None:
        return
    if supports.skp.employee_id != skp.rater_id or supports.skp.year != skp.year:
        raise ValidationError(
            {
                "supports": _("Choose a result from the %(year)s plan of your rater.")
                % {"year": skp.year}
            }
        )


def _check_jpt(skp: Skp, indicator: Indicator | None, perspective: str) -> None:
    if perspective and perspective not in Perspective.values:
        raise ValidationError({"perspective": _("Choose one of the four perspectives.")})
    if indicator is not None and indicator.agency_id != skp.unit.agency_id:
        raise ValidationError({"indicator": _("Choose an indicator of your own agency.")})


def rhk_snapshot(rhk: Rhk) -> dict[str, Any]:
    return {
        "kind": rhk.kind,
        "text": rhk.text,
        "supports": rhk.supports_id,
        "indicator": rhk.indicator_id,
        "perspective": rhk.perspective,
        "indicators": [
            {
                "aspect": i.aspect, "text": i.text, "target": audit.to_json(i.target),
                "low": audit.to_json(i.target_low), "high": audit.to_json(i.target_high),
                "unit": i.unit_of_measure,
            }
            for i in rhk.indicators.all()
        ],
    }  # fmt: skip


def _store_indicators(rhk: Rhk, cleaned: list[IndicatorFields]) -> None:
    Iki.objects.bulk_create(
        Iki(rhk=rhk, number=n, **item) for n, item in enumerate(cleaned, start=1)
    )


@transaction.atomic
def rhk_add(
    *,
    skp: Skp,
    by: Actor,
    kind: str,
    text: str,
    indicators: Sequence[Mapping[str, Any]],
    supports: Rhk | None = None,
    indicator: Indicator | None = None,
    perspective: str = "",
    _checked: bool = False,
) -> Rhk:
    """Add a result with its indicators to a draft (or returned) plan."""
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    if not _checked:
        permissions.require(permissions.can_edit(by, skp), _("You may not change this plan."))
    require_editable(skp)
    if kind not in RhkKind.values:
        raise ValidationError({"kind": _("Choose utama or tambahan.")})
    text = clean_text(text, "text")
    _check_supports(skp, supports)
    _check_jpt(skp, indicator, perspective)
    cleaned = clean_indicators(skp, indicators)
    number = (
        skp.results.filter(kind=kind).order_by("-number").values_list("number", flat=True).first()
        or 0
    ) + 1
    rhk = Rhk.objects.create(
        skp=skp, kind=kind, number=number, text=text, supports=supports, indicator=indicator,
        perspective=perspective or "",
    )  # fmt: skip
    _store_indicators(rhk, cleaned)
    audit.record("create", rhk, after=rhk_snapshot(rhk))
    return rhk


@transaction.atomic
def rhk_update(
    *, rhk: Rhk, by: Actor, text: str, indicators: Sequence[Mapping[str, Any]],
    supports: Rhk | None = None, indicator: Indicator | None = None, perspective: str = "",
) -> Rhk:  # fmt: skip
    """Replace a result's text, link and indicators (indicators bound to a stream keep their
    binding only if the result is removed and added again — rebinding is explicit)."""
    skp = Skp.objects.select_for_update().get(pk=rhk.skp_id)
    permissions.require(permissions.can_edit(by, skp), _("You may not change this plan."))
    require_editable(skp)
    before = rhk_snapshot(rhk)
    rhk.text = clean_text(text, "text")
    _check_supports(skp, supports)
    _check_jpt(skp, indicator, perspective)
    cleaned = clean_indicators(skp, indicators)
    rhk.supports, rhk.indicator, rhk.perspective = supports, indicator, perspective or ""
    rhk.save()
    rhk.indicators.all().delete()
    _store_indicators(rhk, cleaned)
    b, a = audit.changed(before, rhk_snapshot(rhk))
    if a:
        audit.record("update", rhk, before=b, after=a)
    return rhk


@transaction.atomic
def rhk_delete(*, rhk: Rhk, by: Actor) -> None:
    skp = Skp.objects.select_for_update().get(pk=rhk.skp_id)
    permissions.require(permissions.can_edit(by, skp), _("You may not change this plan."))
    require_editable(skp)
    if rhk.supported_by.exists():
        raise ValidationError(
            {"rhk": _("Your subordinates' results support this one; remove those links first.")}
        )
    audit.record("delete", rhk, before=rhk_snapshot(rhk))
    rhk.delete()


@transaction.atomic
def iki_bind(*, iki: Iki, by: Actor, binding: dict[str, Any] | None) -> Iki:
    """Let a stream metric fill an indicator (or stop it). Individual bindings are filtered to
    the employee's own cases; the plan must still be editable."""
    skp = Skp.objects.select_for_update().get(pk=iki.rhk.skp_id)
    permissions.require(permissions.can_edit(by, skp), _("You may not change this plan."))
    require_editable(skp)
    before = binding_snapshot(iki.binding)
    if binding is None:
        old = iki.binding
        iki.binding = None
        iki.save(update_fields=["binding"])
        if old is not None:
            old.delete()
    else:
        wanted = binding_check(**binding)
        if wanted.officer and wanted.officer != skp.employee.nip:
            raise ValidationError(
                {"officer": _("An individual indicator counts only the employee's own cases.")}
            )
        iki.binding = binding_store(current=iki.binding, wanted=wanted)
        iki.save(update_fields=["binding"])
    after = binding_snapshot(iki.binding)
    if before != after:
        audit.record("bind", iki, before={"binding": before}, after={"binding": after})
    return iki
