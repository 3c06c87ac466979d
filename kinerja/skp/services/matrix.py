"""The role-result matrix (Matriks Peran Hasil): a rater hands one of their results to many
subordinates at once, or keeps it as a template for a subordinate position and gives it to all
the position's holders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.core.numbers import NumberError, to_decimal
from kinerja.organizations.models import Employee, Position, RaterChain

from .. import permissions
from ..models import EDITABLE_STATES, Approach, Aspect, ResultTemplate, Rhk, RhkKind, Skp
from .common import clean_text
from .plans import skp_create
from .results import clean_indicators, rhk_add


def _split_indicators(rhk: Rhk, volume: Decimal | None) -> list[dict[str, Any]]:
    """The rater's indicators for one subordinate: the same targets, or — split by volume —
    the quantity indicators' target replaced by the subordinate's share."""
    items = []
    for iki in rhk.indicators.all():
        target = iki.target
        low, high = iki.target_low, iki.target_high
        if volume is not None and iki.aspect == Aspect.QUANTITY:
            target, low, high = volume, None, None
        items.append(
            {
                "aspect": iki.aspect, "text": iki.text, "unit": iki.unit_of_measure,
                "target": {"low": low, "high": high} if low is not None else target,
                "lower_is_better": iki.lower_is_better, "yearly_total": iki.yearly_total,
            }
        )  # fmt: skip
    return items


@transaction.atomic
def matrix_assign(
    *, rhk: Rhk, by: Actor, assignments: Sequence[tuple[Employee, object]]
) -> list[Rhk]:
    """Hand one of the rater's results to many subordinates at once (Matriks Peran Hasil): the
    same result to each, or split by volume (``(employee, volume)``; ``None`` keeps the
    target). Each subordinate's plan for the year is created if missing; all or nothing."""
    rater_skp = rhk.skp
    permissions.require(
        permissions.is_self(by, rater_skp.employee), _("Only the owner of the result hands it out.")
    )
    if not assignments:
        raise ValidationError({"employees": _("Choose at least one subordinate.")})
    created = []
    for employee, volume in assignments:
        if RaterChain.objects.filter(employee=employee, rater=rater_skp.employee).exists() is False:
            raise ValidationError(
                {"employees": _("%(name)s is not rated by you.") % {"name": employee.name}}
            )
        if volume is not None:
            try:
                volume = to_decimal(volume)
            except NumberError as exc:
                raise ValidationError({"volume": f"{employee.name}: {exc}"}) from None
        skp = Skp.objects.filter(
            employee=employee, year=rater_skp.year, ends_on__isnull=True
        ).first()
        if skp is None:
            skp = skp_create(employee=employee, year=rater_skp.year, by=by)
        if skp.state not in EDITABLE_STATES:
            raise ValidationError(
                {
                    "employees": _("%(name)s's plan is %(state)s and cannot take a new result.")
                    % {"name": employee.name, "state": skp.get_state_display()}
                }
            )
        created.append(
            rhk_add(
                skp=skp, by=by, kind=RhkKind.MAIN, text=rhk.text, supports=rhk,
                indicators=_split_indicators(rhk, volume), _checked=True,
            )
        )  # fmt: skip
    return created


def _as_json(item: Mapping[str, object]) -> dict[str, object]:
    return {k: audit.to_json(v) if isinstance(v, Decimal) else v for k, v in item.items()}


@transaction.atomic
def template_save(
    *,
    owner: Employee,
    position: Position,
    by: Actor,
    kind: str,
    text: str,
    indicators: Sequence[Mapping[str, Any]],
) -> ResultTemplate:
    """Keep a result for a subordinate position, to hand to all its holders later."""
    permissions.require(
        permissions.is_self(by, owner), _("You keep templates for your own subordinates only.")
    )
    if (
        position.reports_to_id is None
        or not owner.position_id
        or position.reports_to_id != owner.position_id
    ):
        raise ValidationError({"position": _("This position does not report to yours.")})
    if kind not in RhkKind.values:
        raise ValidationError({"kind": _("Choose utama or tambahan.")})
    probe = Skp(approach=Approach.QUALITATIVE)
    cleaned = clean_indicators(probe, indicators)
    template = ResultTemplate.objects.create(
        owner=owner, position=position, kind=kind, text=clean_text(text, "text"),
        indicators=[_as_json(i) for i in cleaned],
    )  # fmt: skip
    audit.record("create", template, after={"position": position.code, "text": template.text})
    return template


@transaction.atomic
def template_apply(
    *, template: ResultTemplate, year: int, by: Actor, supports: Rhk | None = None
) -> list[Rhk]:
    """Give a template's result to every active holder of its position rated by its owner."""
    permissions.require(
        permissions.is_self(by, template.owner), _("Only the template's owner applies it.")
    )
    holders = Employee.objects.filter(
        position=template.position, active=True, rater_chain__rater=template.owner
    ).order_by("name")
    created = []
    for employee in holders:
        skp = Skp.objects.filter(employee=employee, year=year, ends_on__isnull=True).first()
        if skp is None:
            skp = skp_create(employee=employee, year=year, by=by)
        if skp.state not in EDITABLE_STATES:
            continue  # an approved plan is not changed behind its owner's back
        items = []
        for i in template.indicators:
            low, high = i.get("target_low"), i.get("target_high")
            items.append(
                {
                    **i,
                    "unit": i.get("unit_of_measure", ""),
                    "target": {"low": low, "high": high} if low is not None else i.get("target"),
                }
            )
        created.append(
            rhk_add(
                skp=skp,
                by=by,
                kind=template.kind,
                text=template.text,
                supports=supports,
                indicators=items,
                _checked=True,
            )
        )
    return created
