"""Operations on employees' plans (SKP). Each runs in one transaction, checks who may do it
(:mod:`.permissions`), validates, and writes its own audit record; every change of state is
also kept as an :class:`~.models.SkpTransition` (who, when, why).

Errors are ``ValidationError`` keyed by the field they concern (translated), or
``PermissionDenied`` when the caller may not do this at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.notifications import notify
from kinerja.core.numbers import NumberError, to_decimal
from kinerja.core.periods import PeriodError
from kinerja.organizations.models import Employee, RaterChain
from kinerja.strategy.evidence_files import EvidenceFileError, check_evidence_file

from . import permissions
from .models import (
    EDITABLE_STATES,
    Approach,
    Aspect,
    BehaviourExpectation,
    BehaviourValue,
    Iki,
    IkiRealisation,
    Perspective,
    ResultTemplate,
    Rhk,
    RhkKind,
    Skp,
    SkpEvidence,
    SkpState,
    SkpTransition,
)
from .rules import admin_may_draft_from

MAX_TEXT = 2000
MAX_INDICATORS = 10
_RANGE = re.compile(
    r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*(?:-|–|—|s\.?d\.?)\s*([0-9]+(?:[.,][0-9]+)?)\s*$"
)


def _users(*employees: Employee | None) -> list:
    from kinerja.accounts.models import User

    ids = [e.pk for e in employees if e is not None]
    return list(User.objects.filter(employee_id__in=ids, is_active=True))


def _transition(skp: Skp, to_state: str, by, reason: str = "") -> None:
    before = skp.state
    skp.state = to_state
    SkpTransition.objects.create(
        skp=skp, from_state=before, to_state=to_state, by=by, reason=reason
    )
    audit.record(
        "transition",
        skp,
        before={"state": before} if before else None,
        after={"state": to_state},
        note=reason[:500],
    )


def _clean_text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
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


def _chain_of(employee: Employee) -> tuple[Employee | None, Employee | None]:
    chain = (
        RaterChain.objects.filter(employee=employee)
        .select_related("rater", "rater_superior")
        .first()
    )
    if chain is None:
        return None, None
    return chain.rater, chain.rater_superior


# --- The plan ----------------------------------------------------------------------------------


@transaction.atomic
def skp_create(
    *,
    employee: Employee,
    year: int,
    approach: str = Approach.QUANTITATIVE,
    by,
    today: date | None = None,
) -> Skp:
    """Start an employee's plan for ``year`` in their current position.

    The employee drafts their own plan; the agency's performance administrator may draft it
    for them from the day after the second week of January (domain.md §3); a rater drafts it
    when handing out results (the role-result matrix)."""
    today = today or timezone.localdate()
    permissions.require(
        permissions.can_create(by, employee), _("You may not draft a plan for this employee.")
    )
    if not permissions.is_self(by, employee) and permissions.is_administrator(by, employee):
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
    if approach not in Approach.values:
        raise ValidationError({"approach": _("Choose kuantitatif or kualitatif.")})
    if not employee.active:
        raise ValidationError({"employee": _("This employee is no longer active.")})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("The year must lie between 2000 and 2100.")})
    if Skp.objects.filter(employee=employee, year=year, ends_on__isnull=True).exists():
        raise ValidationError(
            {
                "year": _("%(name)s already has a plan for %(year)s.")
                % {"name": employee.name, "year": year}
            }
        )
    position = employee.position
    rater, superior = _chain_of(employee)
    skp = Skp(
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
        created_by=by,
    )
    skp.save()
    SkpTransition.objects.create(skp=skp, from_state="", to_state=SkpState.DRAFT, by=by)
    audit.record(
        "create",
        skp,
        after={
            "employee": employee.nip,
            "year": year,
            "approach": approach,
            "position": skp.position_name,
        },
    )
    return skp


@transaction.atomic
def skp_transfer(*, skp: Skp, by, on: date | None = None) -> Skp:
    """Close a plan because its holder moved to another position, and start the new one.

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
    skp.ends_on = on
    _transition(
        skp,
        SkpState.CLOSED,
        by,
        _("Transfer to %(position)s")
        % {"position": employee.position.name if employee.position else "-"},
    )
    skp.save(update_fields=["ends_on", "state"])
    new = skp_create(employee=employee, year=skp.year, approach=skp.approach, by=by, today=on)
    new.previous = skp
    new.starts_on = on
    new.save(update_fields=["previous", "starts_on"])
    return new


ATTACHMENT_FIELDS = ["approach", "resources", "accountability", "consequences"]


@transaction.atomic
def skp_update(*, skp: Skp, by, **changes) -> Skp:
    """Change the approach or the attachment (resources, accountability scheme, consequences)."""
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    permissions.require(permissions.can_edit(by, skp), _("You may not change this plan."))
    _require_editable(skp)
    before = audit.snapshot(skp, ATTACHMENT_FIELDS)
    for name, value in changes.items():
        if name not in ATTACHMENT_FIELDS:
            raise ValidationError({name: _("Unknown field.")})
        if name == "approach":
            if value not in Approach.values:
                raise ValidationError({"approach": _("Choose kuantitatif or kualitatif.")})
            skp.approach = value
        else:
            setattr(skp, name, _clean_text(value, name, required=False, limit=5000))
    skp.save()
    b, a = audit.changed(before, audit.snapshot(skp, ATTACHMENT_FIELDS))
    if a:
        audit.record("update", skp, before=b, after=a)
    return skp


def _require_editable(skp: Skp) -> None:
    if skp.state not in EDITABLE_STATES:
        raise ValidationError(
            {
                "state": _("The plan is %(state)s; only a draft or a returned plan can change.")
                % {"state": skp.get_state_display()}
            }
        )


# --- Results and indicators --------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None


def parse_target(raw, field: str) -> Target:
    """A target: a number (``1200``, ``"12,5"``), a range (``"80-90"``, ``"80–90"``,
    ``{"low": 80, "high": 90}``), or nothing."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Target()
    try:
        if isinstance(raw, dict):
            low, high = to_decimal(raw.get("low")), to_decimal(raw.get("high"))
        elif isinstance(raw, str) and _RANGE.match(raw):
            match = _RANGE.match(raw)
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


def _indicators(skp: Skp, indicators: Sequence[dict]) -> list[dict]:
    if not indicators:
        raise ValidationError({"indicators": _("Give at least one indicator (IKI).")})
    if len(indicators) > MAX_INDICATORS:
        raise ValidationError(
            {"indicators": _("At most %(n)d indicators per result.") % {"n": MAX_INDICATORS}}
        )
    cleaned = []
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
        text = _clean_text(item.get("text") or "", f"{prefix}.text")
        target = parse_target(item.get("target"), f"{prefix}.target")
        if skp.approach == Approach.QUANTITATIVE and target.value is None and target.low is None:
            raise ValidationError(
                {
                    f"{prefix}.target": _(
                        "A quantitative plan gives each indicator a target, e.g. 1200 or 80-90."
                    )
                }
            )
        unit = _clean_text(item.get("unit") or "", f"{prefix}.unit", required=False, limit=40)
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


def _check_jpt(skp: Skp, indicator, perspective: str) -> None:
    if perspective and perspective not in Perspective.values:
        raise ValidationError({"perspective": _("Choose one of the four perspectives.")})
    if indicator is not None and indicator.agency_id != skp.unit.agency_id:
        raise ValidationError({"indicator": _("Choose an indicator of your own agency.")})


def rhk_snapshot(rhk: Rhk) -> dict:
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


def _store_indicators(rhk: Rhk, cleaned: list[dict]) -> None:
    Iki.objects.bulk_create(
        Iki(rhk=rhk, number=n, **item) for n, item in enumerate(cleaned, start=1)
    )


@transaction.atomic
def rhk_add(
    *,
    skp: Skp,
    by,
    kind: str,
    text: str,
    indicators: Sequence[dict],
    supports: Rhk | None = None,
    indicator=None,
    perspective: str = "",
    _checked: bool = False,
) -> Rhk:
    """Add a result with its indicators to a draft (or returned) plan."""
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    if not _checked:
        permissions.require(permissions.can_edit(by, skp), _("You may not change this plan."))
    _require_editable(skp)
    if kind not in RhkKind.values:
        raise ValidationError({"kind": _("Choose utama or tambahan.")})
    text = _clean_text(text, "text")
    _check_supports(skp, supports)
    _check_jpt(skp, indicator, perspective)
    cleaned = _indicators(skp, indicators)
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
    *, rhk: Rhk, by, text: str, indicators: Sequence[dict], supports: Rhk | None = None,
    indicator=None, perspective: str = "",
) -> Rhk:  # fmt: skip
    """Replace a result's text, link and indicators (indicators bound to a stream keep their
    binding only if the result is removed and added again — rebinding is explicit)."""
    skp = Skp.objects.select_for_update().get(pk=rhk.skp_id)
    permissions.require(permissions.can_edit(by, skp), _("You may not change this plan."))
    _require_editable(skp)
    before = rhk_snapshot(rhk)
    rhk.text = _clean_text(text, "text")
    _check_supports(skp, supports)
    _check_jpt(skp, indicator, perspective)
    cleaned = _indicators(skp, indicators)
    rhk.supports, rhk.indicator, rhk.perspective = supports, indicator, perspective or ""
    rhk.save()
    rhk.indicators.all().delete()
    _store_indicators(rhk, cleaned)
    b, a = audit.changed(before, rhk_snapshot(rhk))
    if a:
        audit.record("update", rhk, before=b, after=a)
    return rhk


@transaction.atomic
def rhk_delete(*, rhk: Rhk, by) -> None:
    skp = Skp.objects.select_for_update().get(pk=rhk.skp_id)
    permissions.require(permissions.can_edit(by, skp), _("You may not change this plan."))
    _require_editable(skp)
    if rhk.supported_by.exists():
        raise ValidationError(
            {"rhk": _("Your subordinates' results support this one; remove those links first.")}
        )
    audit.record("delete", rhk, before=rhk_snapshot(rhk))
    rhk.delete()


@transaction.atomic
def iki_bind(*, iki: Iki, by, binding: dict | None) -> Iki:
    """Let a stream metric fill an indicator (or stop it). Individual bindings are filtered to
    the employee's own cases; the plan must still be editable."""
    from kinerja.streams.bindings import binding_check, binding_snapshot, binding_store

    skp = Skp.objects.select_for_update().get(pk=iki.rhk.skp_id)
    permissions.require(permissions.can_edit(by, skp), _("You may not change this plan."))
    _require_editable(skp)
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


@transaction.atomic
def expectation_set(
    *, skp: Skp, value: BehaviourValue, text: str, by
) -> BehaviourExpectation | None:
    """The leader's special expectation for a core value (empty text removes it). The rater
    writes it while the plan is being prepared or awaits approval."""
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    permissions.require(
        permissions.rates_plan(by, skp), _("Only the rater writes the leader's expectations.")
    )
    if skp.state not in EDITABLE_STATES | {SkpState.SUBMITTED}:
        _require_editable(skp)
    text = _clean_text(text, "text", required=False)
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
        audit.record(
            "update",
            skp,
            before={value.code: before},
            after={value.code: after},
            note="expectation",
        )
    return result


# --- Workflow ------------------------------------------------------------------------------------


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
def skp_submit(*, skp: Skp, by) -> Skp:
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    permissions.require(permissions.can_edit(by, skp), _("You may not submit this plan."))
    _require_editable(skp)
    if not skp.results.filter(kind=RhkKind.MAIN).exists():
        raise ValidationError(
            {"results": _("Add at least one main result (RHK utama) before submitting.")}
        )
    if skp.rater_id is None and not permissions.rated_by_region_head(skp):
        rater, superior = _chain_of(skp.employee)
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
    _transition(skp, SkpState.SUBMITTED, by)
    skp.save()
    notify(
        users=_users(skp.rater),
        title=_("%(name)s submitted the %(year)s plan")
        % {"name": skp.employee.name, "year": skp.year},
        link=f"/skp/{skp.pk}/",
    )
    return skp


@transaction.atomic
def skp_approve(*, skp: Skp, by) -> Skp:
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    permissions.require(permissions.rates_plan(by, skp), _("Only the rater approves the plan."))
    if skp.state != SkpState.SUBMITTED:
        raise ValidationError({"state": _("Only a submitted plan can be approved.")})
    skp.approved_at = timezone.now()
    _transition(skp, SkpState.APPROVED, by)
    skp.save()
    notify(
        users=_users(skp.employee),
        title=_("Your %(year)s plan was approved") % {"year": skp.year},
        link=f"/skp/{skp.pk}/",
    )
    return skp


@transaction.atomic
def skp_return(*, skp: Skp, by, reason: str) -> Skp:
    skp = Skp.objects.select_for_update().get(pk=skp.pk)
    permissions.require(permissions.rates_plan(by, skp), _("Only the rater returns the plan."))
    if skp.state != SkpState.SUBMITTED:
        raise ValidationError({"state": _("Only a submitted plan can be returned.")})
    reason = _clean_text(reason, "reason")
    skp.return_reason = reason
    _transition(skp, SkpState.RETURNED, by, reason)
    skp.save()
    notify(
        users=_users(skp.employee),
        title=_("Your %(year)s plan was returned") % {"year": skp.year},
        body=reason[:300],
        link=f"/skp/{skp.pk}/",
    )
    return skp


def transition(skp: Skp, to_state: str, by, reason: str = "") -> None:
    """For the evaluation operations: move a plan (locked by the caller) and save it."""
    _transition(skp, to_state, by, reason)
    skp.save(update_fields=["state"])


# --- Through the year ----------------------------------------------------------------------------

LIVE_STATES = {SkpState.APPROVED, SkpState.EVALUATING, SkpState.RATED}


def _check_realisation_period(skp: Skp, period: str) -> str:
    from kinerja.core.periods import ALL_KINDS, parse_period

    try:
        parsed = parse_period(period, kinds=ALL_KINDS)
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if parsed.year != skp.year:
        raise ValidationError({"period": _("The plan is for %(year)s.") % {"year": skp.year}})
    if parsed.start > timezone.localdate():
        raise ValidationError({"period": _("This period has not begun yet.")})
    return str(parsed)


@transaction.atomic
def realisation_record(*, iki: Iki, period: str, value, note: str = "", by) -> IkiRealisation:
    """What an indicator reached in a period, entered by the employee (or the administrator)."""
    skp = Skp.objects.select_for_update().get(pk=iki.rhk.skp_id)
    permissions.require(permissions.can_report(by, skp), _("You may not report on this plan."))
    if skp.state not in LIVE_STATES:
        raise ValidationError({"state": _("Realisations are entered once the plan is approved.")})
    if iki.binding_id is not None:
        raise ValidationError({"value": _("This indicator fills itself from service data.")})
    period = _check_realisation_period(skp, period)
    try:
        number = to_decimal(value)
    except NumberError as exc:
        raise ValidationError({"value": str(exc)}) from None
    note = _clean_text(note, "note", required=False)
    current = IkiRealisation.objects.filter(iki=iki, period=period).first()
    before = {"value": audit.to_json(current.value), "note": current.note} if current else None
    realisation, _created = IkiRealisation.objects.update_or_create(
        iki=iki, period=period, defaults={"value": number, "note": note, "recorded_by": by}
    )
    after = {"value": audit.to_json(realisation.value), "note": note}
    if before != after:
        audit.record("update" if before else "create", realisation, before=before, after=after)
    return realisation


@transaction.atomic
def evidence_add(*, iki: Iki, period: str, upload, description: str = "", by) -> SkpEvidence:
    skp = Skp.objects.select_for_update().get(pk=iki.rhk.skp_id)
    permissions.require(permissions.can_report(by, skp), _("You may not report on this plan."))
    if skp.state not in LIVE_STATES:
        raise ValidationError({"state": _("Evidence is added once the plan is approved.")})
    period = _check_realisation_period(skp, period)
    try:
        checked = check_evidence_file(upload)
    except EvidenceFileError as exc:
        raise ValidationError({"file": str(exc)}) from None
    evidence = SkpEvidence(
        skp=skp, iki=iki, period=period, original_name=(upload.name or "bukti")[-200:],
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
        description=_clean_text(description, "description", required=False, limit=200),
        uploaded_by=by,
    )  # fmt: skip
    evidence.file.save(checked.sha256, upload, save=False)
    evidence.save()
    audit.record(
        "create",
        evidence,
        after={"file": evidence.original_name, "sha256": evidence.sha256, "size": evidence.size},
    )
    return evidence


# --- The role-result matrix ------------------------------------------------------------------


def _split_indicators(rhk: Rhk, volume) -> list[dict]:
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
def matrix_assign(*, rhk: Rhk, by, assignments: Sequence[tuple[Employee, object]]) -> list[Rhk]:
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


def _as_json(item: dict) -> dict:
    return {k: audit.to_json(v) if isinstance(v, Decimal) else v for k, v in item.items()}


@transaction.atomic
def template_save(
    *, owner: Employee, position, by, kind: str, text: str, indicators: Sequence[dict]
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
    cleaned = _indicators(probe, indicators)
    template = ResultTemplate.objects.create(
        owner=owner, position=position, kind=kind, text=_clean_text(text, "text"),
        indicators=[_as_json(i) for i in cleaned],
    )  # fmt: skip
    audit.record("create", template, after={"position": position.code, "text": template.text})
    return template


@transaction.atomic
def template_apply(
    *, template: ResultTemplate, year: int, by, supports: Rhk | None = None
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
