"""Indicators of an agency (IKU and others): their definition, formula, owner and stream
metric — and, in one step, a new indicator with its targets (the API's creation)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.core.formula import FormulaError, check_references, find_cycle, parse
from kinerja.organizations.models import Agency, Employee
from kinerja.streams.bindings import (
    AGGREGATION_OF,
    binding_check,
    binding_snapshot,
    binding_store,
)
from kinerja.streams.models import MetricBinding

from ..models import Aggregation, DataSource, Indicator, Polarity
from .common import full_clean, require_manager, unique_code
from .targets import QuarterIn, target_set

INDICATOR_FIELDS = [
    "code", "name", "unit_of_measure", "polarity", "aggregation", "period_type", "data_source",
    "lower_formula", "range_above", "formula", "strategic_target", "owner_unit",
    "owner_position", "active",
]  # fmt: skip


def _check_formula(indicator: Indicator) -> None:
    """Parse the formula, refuse unknown codes and cycles; only formula indicators have one."""
    if indicator.data_source != DataSource.FORMULA:
        if indicator.formula:
            raise ValidationError(
                {"formula": _("Only an indicator whose data source is a formula has one.")}
            )
        return
    if not indicator.formula.strip():
        raise ValidationError({"formula": _("Write the formula, e.g. {IKU-01} / {IKU-02} * 100")})
    try:
        formula = parse(indicator.formula)
        others = Indicator.objects.filter(agency=indicator.agency).exclude(pk=indicator.pk)
        known = set(others.values_list("code", flat=True)) | {indicator.code}
        check_references(formula, known)
    except FormulaError as exc:
        raise ValidationError({"formula": exc.message}) from None
    graph = {
        other.code: parse(other.formula).references
        for other in others.filter(data_source=DataSource.FORMULA).exclude(formula="")
    }
    graph[indicator.code] = formula.references
    cycle = find_cycle(graph, indicator.code)
    if cycle:
        raise ValidationError(
            {
                "formula": _("The formula refers back to itself: %(path)s.")
                % {"path": " → ".join(cycle)}
            }
        )
    indicator.formula = formula.text


def _refuse_rename_in_use(indicator: Indicator, old_code: str) -> None:
    """A formula refers to indicators by code: renaming one would silently break it."""
    users = [
        other.code
        for other in Indicator.objects.filter(
            agency=indicator.agency, data_source=DataSource.FORMULA
        ).exclude(pk=indicator.pk)
        if old_code in parse(other.formula).references
    ]
    if users:
        raise ValidationError(
            {
                "code": _(
                    "%(code)s is used in the formula of %(users)s; change that formula first."
                )
                % {"code": old_code, "users": ", ".join(sorted(users))}
            }
        )


def _check_binding(indicator: Indicator, binding: dict[str, Any] | None) -> MetricBinding | None:
    """The stream metric of a stream-bound indicator, checked (unsaved); ``None`` for the
    other data sources. ``binding`` ``None`` keeps the stored one.

    Individual data in an agency's indicator: an officer filter is allowed only for an
    indicator with an owning position, and must name an active holder of that position — the
    person whose own service the indicator measures (their values are then seen only by them
    and their rater chain)."""
    if indicator.data_source != DataSource.STREAM:
        if binding:
            raise ValidationError(
                {"data_source": _("Only an indicator whose data source is a stream has a metric.")}
            )
        return None
    if binding is None:
        if indicator.metric_binding_id is None:
            raise ValidationError(
                {"data_source": _("An indicator filled by a stream needs its stream and metric.")}
            )
        return indicator.metric_binding
    wanted = binding_check(**binding)
    if wanted.officer:
        if indicator.owner_position is None:
            raise ValidationError(
                {
                    "officer": _(
                        "Only an indicator with an owning position measures one officer; "
                        "choose the position first."
                    )
                }
            )
        holder = Employee.objects.filter(
            nip=wanted.officer, position=indicator.owner_position, active=True
        ).exists()
        if not holder:
            raise ValidationError(
                {
                    "officer": _("The officer must hold the owning position (%(position)s).")
                    % {"position": indicator.owner_position.name}
                }
            )
    expected = AGGREGATION_OF[wanted.metric]
    if indicator.aggregation != expected:
        raise ValidationError(
            {
                "aggregation": _(
                    "A stream metric is computed over each whole quarter and year; for this "
                    "metric that means: %(how)s."
                )
                % {"how": Aggregation(expected).label}
            }
        )
    return wanted


def _check_owner(indicator: Indicator) -> None:
    errors = {}
    if indicator.strategic_target and indicator.strategic_target.agency_id != indicator.agency_id:
        errors["strategic_target"] = _("The strategic target belongs to another agency.")
    if indicator.owner_unit and indicator.owner_unit.agency_id != indicator.agency_id:
        errors["owner_unit"] = _("The unit belongs to another agency.")
    if indicator.owner_position and indicator.owner_position.unit.agency_id != indicator.agency_id:
        errors["owner_position"] = _("The position belongs to another agency.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_save(
    *,
    by: Actor,
    agency: Agency,
    values: dict[str, Any],
    indicator: Indicator | None = None,
    binding: dict[str, Any] | None = None,
) -> Indicator:
    """Create or change an indicator. ``values`` holds model field values by name; codes are
    upper-cased. A formula is parsed, its references must exist in the agency, and it must
    not refer back to itself through other formulas.

    ``binding`` (keyword arguments of ``streams.bindings.binding_check``: stream, metric,
    unit, officer, from_stage, to_stage, duration_unit) sets the stream metric of an indicator
    whose data source is "stream"; ``None`` keeps the stored one. Leaving the data source
    "stream" removes the binding. Only those who manage the agency may."""
    # Work on a fresh copy: a refused change must not linger in the caller's object.
    if indicator is not None:
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    require_manager(by, indicator.agency_id if indicator else agency.pk)
    before: dict[str, Any] | None = None
    if indicator is not None:
        before = {
            **audit.snapshot(indicator, INDICATOR_FIELDS),
            "metric_binding": binding_snapshot(indicator.metric_binding),
        }
    indicator = indicator or Indicator(agency=agency)
    for name, value in values.items():
        if name not in INDICATOR_FIELDS:
            raise ValueError(f"unknown indicator field {name}")
        setattr(indicator, name, value)
    indicator.code = (indicator.code or "").strip().upper()
    indicator.name = " ".join((indicator.name or "").split())
    indicator.formula = (indicator.formula or "").strip()
    unique_code(Indicator, indicator.agency, indicator.code, indicator)
    if before is not None and before["code"] != indicator.code:
        _refuse_rename_in_use(indicator, before["code"])
    full_clean(indicator, unique_on="code")
    _check_owner(indicator)
    _check_formula(indicator)
    wanted = _check_binding(indicator, binding)
    after = audit.snapshot(indicator, INDICATOR_FIELDS)
    after["metric_binding"] = binding_snapshot(wanted)
    if before == after:
        return indicator
    stale = None
    if wanted is None:
        stale, indicator.metric_binding = indicator.metric_binding, None
    elif wanted is not indicator.metric_binding:
        indicator.metric_binding = binding_store(current=indicator.metric_binding, wanted=wanted)
    indicator.save()
    if stale is not None:
        stale.delete()  # a binding belongs to its one indicator
    if before != after:
        b, a = audit.changed(before, after)
        audit.record("create" if before is None else "update", indicator, before=b, after=a)
    return indicator


@transaction.atomic
def indicator_create(
    *,
    by: Actor,
    agency: Agency,
    values: dict[str, Any],
    year: int,
    target: Decimal | None = None,
    target_low: Decimal | None = None,
    target_high: Decimal | None = None,
    quarterly_targets: Sequence[QuarterIn] | None = None,
) -> Indicator:
    """Create an indicator of ``agency`` and, when any target is given, its yearly and
    quarterly targets for ``year`` (as :func:`.targets.target_set` takes them) — one step:
    both are stored, or neither.

    Errors are keyed by field: the indicator's as :func:`indicator_save` names them, and
    ``target``, ``target_low``, ``target_high`` or ``quarterly_targets`` for the targets (a
    range's bad bound is named as that bound). A year whose agreement is submitted or agreed
    refuses targets with an error on no field."""
    require_manager(by, agency.pk)
    indicator = indicator_save(by=by, agency=agency, values=values)
    bounds = {"target": target, "target_low": target_low, "target_high": target_high}
    if quarterly_targets is None and all(value is None for value in bounds.values()):
        return indicator
    try:
        target_set(
            by=by,
            indicator=indicator,
            year=year,
            value=target,
            low=target_low,
            high=target_high,
            quarters=quarterly_targets,
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise  # the year's agreement is submitted or agreed: its targets are frozen
        errors: dict[str, list[ValidationError]] = {}
        for key, items in exc.error_dict.items():
            if key == "target" and indicator.polarity == Polarity.RANGE:
                key = _wrong_bound(**bounds)
            errors.setdefault(key, []).extend(items)
        raise ValidationError(errors) from None
    return indicator


def _wrong_bound(
    *, target: Decimal | None, target_low: Decimal | None, target_high: Decimal | None
) -> str:
    """The argument a refused range target is wrong in: a single value, a missing bound, or
    a lower bound above the upper one."""
    if target is not None:
        return "target"
    if target_low is None or (target_high is not None and target_low > target_high):
        return "target_low"
    return "target_high"
