"""Operations of organisational performance. Each runs in one transaction, validates, and
writes its own audit record; who may call them is decided in :mod:`.permissions` by the
callers (views, API, commands)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.formula import FormulaError, check_references, find_cycle, parse
from kinerja.core.periods import ROMAN

from .evidence_files import EvidenceFileError, check_evidence_file
from .models import (
    Aggregation,
    AgreementEvent,
    AgreementState,
    DataSource,
    Evidence,
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    PerformanceAgreement,
    PeriodType,
    Plan,
    Polarity,
    QuarterTarget,
    Realisation,
    RealisationState,
    StrategicTarget,
)

INDICATOR_FIELDS = [
    "code", "name", "unit_of_measure", "polarity", "aggregation", "period_type", "data_source",
    "lower_formula", "range_above", "formula", "strategic_target", "owner_unit",
    "owner_position", "active",
]  # fmt: skip
PERIOD_MONTHS = {
    PeriodType.MONTHLY: set(range(1, 13)),
    PeriodType.QUARTERLY: {3, 6, 9, 12},
    PeriodType.YEARLY: {12},
}


def _full_clean(instance, exclude=None) -> None:
    instance.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)


# --- The region's plan ---------------------------------------------------------------------


@transaction.atomic
def plan_save(
    *,
    region,
    title: str,
    start_year: int,
    end_year: int,
    vision: str,
    missions: Sequence[str],
    plan: Plan | None = None,
) -> Plan:
    """Create or change a regional plan with its missions (numbered in the given order)."""
    missions = [" ".join(m.split()) for m in missions if m and m.strip()]
    if not missions:
        raise ValidationError({"missions": _("Give at least one mission.")})
    if end_year - start_year != 4:
        raise ValidationError({"end_year": _("A regional plan covers five years.")})
    before = None
    if plan is not None:
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        before = {
            **audit.snapshot(plan, ["title", "start_year", "end_year", "vision"]),
            "missions": list(plan.missions.values_list("text", flat=True)),
        }
    else:
        plan = Plan(region=region)
    plan.title, plan.start_year, plan.end_year = title.strip(), start_year, end_year
    plan.vision = vision.strip()
    _full_clean(plan)
    plan.save()
    _missions_update(plan, missions)
    after = {
        **audit.snapshot(plan, ["title", "start_year", "end_year", "vision"]),
        "missions": missions,
    }
    if before != after:
        b, a = audit.changed(before, after)
        audit.record("create" if before is None else "update", plan, before=b, after=a)
    return plan


def _missions_update(plan: Plan, texts: list[str]) -> None:
    """Match the new list of missions to the stored ones, so that goals stay with their mission.

    A line that equals a stored mission's text is that mission (perhaps moved); the remaining
    lines replace the remaining missions in order (a wording change); stored missions left over
    are removed — refused if goals hang under them; new lines left over are added."""
    stored = list(plan.missions.order_by("number"))
    by_text = {}
    for mission in stored:
        by_text.setdefault(mission.text, mission)
    assigned: list[Mission | None] = []
    used: set[int] = set()
    for text in texts:
        mission = by_text.get(text)
        if mission is not None and mission.pk not in used:
            used.add(mission.pk)
            assigned.append(mission)
        else:
            assigned.append(None)
    leftovers = [m for m in stored if m.pk not in used]
    for index, mission in enumerate(assigned):
        if mission is None and leftovers:
            assigned[index] = leftovers.pop(0)
    for mission in leftovers:
        if mission.goals.exists():
            raise ValidationError(
                {
                    "missions": _("Mission %(n)d (%(text)s) has goals; keep it.")
                    % {"n": mission.number, "text": mission.text[:60]}
                }
            )
        mission.delete()
    # Two steps, so that renumbering never meets the unique (plan, number) constraint.
    for mission in assigned:
        if mission is not None:
            mission.number += 1000
            mission.save(update_fields=["number"])
    for number, (mission, text) in enumerate(zip(assigned, texts, strict=True), start=1):
        mission = mission or Mission(plan=plan)
        mission.number, mission.text = number, text
        mission.save()


def _unique_code(model, agency, code: str, instance) -> None:
    clash = model.objects.filter(agency=agency, code=code).exclude(
        pk=instance.pk if instance.pk else None
    )
    if clash.exists():
        raise ValidationError(
            {"code": _("The code %(code)s is already used in this agency.") % {"code": code}}
        )


# --- Goals and strategic targets ---------------------------------------------------------


@transaction.atomic
def goal_save(*, agency, mission: Mission, code: str, text: str, goal: Goal | None = None) -> Goal:
    if goal is not None:
        goal = Goal.objects.select_for_update().get(pk=goal.pk)
    before = audit.snapshot(goal, ["code", "text", "mission"]) if goal else None
    goal = goal or Goal(agency=agency)
    goal.mission, goal.code, goal.text = mission, code.strip().upper(), text.strip()
    _unique_code(Goal, goal.agency, goal.code, goal)
    _full_clean(goal)
    goal.save()
    after = audit.snapshot(goal, ["code", "text", "mission"])
    if before != after:
        b, a = audit.changed(before, after)
        audit.record("create" if before is None else "update", goal, before=b, after=a)
    return goal


@transaction.atomic
def strategic_target_save(
    *, goal: Goal, code: str, text: str, target: StrategicTarget | None = None
) -> StrategicTarget:
    if target is not None:
        target = StrategicTarget.objects.select_for_update().get(pk=target.pk)
    before = audit.snapshot(target, ["code", "text", "goal"]) if target else None
    target = target or StrategicTarget(agency=goal.agency)
    if target.agency_id != goal.agency_id:
        raise ValidationError({"goal": _("The goal belongs to another agency.")})
    target.goal, target.code, target.text = goal, code.strip().upper(), text.strip()
    _unique_code(StrategicTarget, target.agency, target.code, target)
    _full_clean(target)
    target.save()
    after = audit.snapshot(target, ["code", "text", "goal"])
    if before != after:
        b, a = audit.changed(before, after)
        audit.record("create" if before is None else "update", target, before=b, after=a)
    return target


# --- Indicators ------------------------------------------------------------------------------


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


def _check_binding(indicator: Indicator, binding: dict | None):
    """The stream metric of a stream-bound indicator, checked (unsaved); ``None`` for the
    other data sources. ``binding`` ``None`` keeps the stored one.

    Individual data in an agency's indicator: an officer filter is allowed only for an
    indicator with an owning position, and must name an active holder of that position — the
    person whose own service the indicator measures (their values are then seen only by them
    and their rater chain)."""
    from kinerja.organizations.models import Employee
    from kinerja.streams.bindings import AGGREGATION_OF, binding_check

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
        if indicator.owner_position_id is None:
            raise ValidationError(
                {
                    "officer": _(
                        "Only an indicator with an owning position measures one officer; "
                        "choose the position first."
                    )
                }
            )
        holder = Employee.objects.filter(
            nip=wanted.officer, position_id=indicator.owner_position_id, active=True
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
    *, agency, values: dict, indicator: Indicator | None = None, binding: dict | None = None
) -> Indicator:
    """Create or change an indicator. ``values`` holds model field values by name; codes are
    upper-cased. A formula is parsed, its references must exist in the agency, and it must
    not refer back to itself through other formulas.

    ``binding`` (keyword arguments of ``streams.bindings.binding_check``: stream, metric,
    unit, officer, from_stage, to_stage, duration_unit) sets the stream metric of an indicator
    whose data source is "stream"; ``None`` keeps the stored one. Leaving the data source
    "stream" removes the binding."""
    from kinerja.streams.bindings import binding_snapshot, binding_store

    # Work on a fresh copy: a refused change must not linger in the caller's object.
    if indicator is not None:
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = audit.snapshot(indicator, INDICATOR_FIELDS) if indicator else None
    if indicator is not None:
        before["metric_binding"] = binding_snapshot(indicator.metric_binding)
    indicator = indicator or Indicator(agency=agency)
    for name, value in values.items():
        if name not in INDICATOR_FIELDS:
            raise ValueError(f"unknown indicator field {name}")
        setattr(indicator, name, value)
    indicator.code = (indicator.code or "").strip().upper()
    indicator.name = " ".join((indicator.name or "").split())
    indicator.formula = (indicator.formula or "").strip()
    _unique_code(Indicator, indicator.agency, indicator.code, indicator)
    if before is not None and before["code"] != indicator.code:
        _refuse_rename_in_use(indicator, before["code"])
    _full_clean(indicator)
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


# --- Targets and the performance agreement ---------------------------------------------------


def agreement_for(agency, year: int, *, create: bool = False) -> PerformanceAgreement | None:
    if create:
        agreement, _created = PerformanceAgreement.objects.get_or_create(agency=agency, year=year)
        return agreement
    return PerformanceAgreement.objects.filter(agency=agency, year=year).first()


def _target_errors(indicator: Indicator, value, low, high, field: str) -> dict:
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


def _targets_snapshot(agreement: PerformanceAgreement) -> dict:
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


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    year: int,
    value: Decimal | None = None,
    low: Decimal | None = None,
    high: Decimal | None = None,
    quarters: Sequence[object] | None = None,
) -> IndicatorTarget:
    """Set the yearly target and, optionally, the four quarterly targets (each a value, a
    ``(low, high)`` pair for a range indicator, or ``None``) while the year's agreement is a
    draft or was returned."""
    errors = _target_errors(indicator, value, low, high, "target")
    parsed_quarters: list[tuple[Decimal | None, Decimal | None, Decimal | None]] = []
    if quarters is not None:
        if len(quarters) != 4:
            errors["quarterly_targets"] = _("Give four quarterly targets (TW I–IV).")
        else:
            for number, item in enumerate(quarters, start=1):
                is_pair = isinstance(item, (list, tuple))
                if indicator.polarity == Polarity.RANGE and item is not None:
                    if not is_pair or len(item) != 2:
                        errors["quarterly_targets"] = _(
                            "TW %(n)s: give the lower and the upper bound, e.g. [80, 90]."
                        ) % {"n": ROMAN[number]}
                        continue
                    q = (None, item[0], item[1])
                elif is_pair:
                    errors["quarterly_targets"] = _(
                        "TW %(n)s: give one target value, not a range."
                    ) % {"n": ROMAN[number]}
                    continue
                else:
                    q = (item, None, None)
                if item is not None:
                    problem = _target_errors(indicator, *q, "quarterly_targets")
                    if problem:
                        errors["quarterly_targets"] = _("TW %(n)s: %(reason)s") % {
                            "n": ROMAN[number],
                            "reason": problem["quarterly_targets"],
                        }
                parsed_quarters.append(q)
    if errors:
        raise ValidationError(errors)
    stored = IndicatorTarget.objects.filter(indicator=indicator, year=year).first()
    before = _target_state(stored)
    wanted_quarters = (
        before["quarters"]
        if quarters is None
        else [[n, *q] for n, q in enumerate(parsed_quarters, start=1) if q != (None, None, None)]
    )
    after = _canonical({"value": value, "low": low, "high": high, "quarters": wanted_quarters})
    before = _canonical(before)
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
    if quarters is not None:
        target.quarters.all().delete()
        QuarterTarget.objects.bulk_create(
            QuarterTarget(target=target, quarter=n, value=q[0], low=q[1], high=q[2])
            for n, q in enumerate(parsed_quarters, start=1)
            if q != (None, None, None)
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


def _canonical(value):
    """Numbers as their plain digits (15.0000 and 15 are the same target)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    return value


def _target_state(target: IndicatorTarget | None) -> dict:
    if target is None:
        return {"value": None, "low": None, "high": None, "quarters": []}
    return {
        "value": target.value,
        "low": target.low,
        "high": target.high,
        "quarters": [[q.quarter, q.value, q.low, q.high] for q in target.quarters.all()],
    }


TRANSITIONS = {
    "submit": ({AgreementState.DRAFT, AgreementState.RETURNED}, AgreementState.SUBMITTED),
    "agree": ({AgreementState.SUBMITTED}, AgreementState.AGREED),
    "return": ({AgreementState.SUBMITTED}, AgreementState.RETURNED),
    "reopen": ({AgreementState.AGREED}, AgreementState.DRAFT),
}


@transaction.atomic
def agreement_transition(
    *, agreement: PerformanceAgreement, action: str, by, note: str = ""
) -> PerformanceAgreement:
    """Move the agreement: submit (draft → submitted), agree or return (submitted → …),
    reopen (agreed → draft, to revise targets; the agreed version stays in the history)."""
    agreement = PerformanceAgreement.objects.select_for_update().get(pk=agreement.pk)
    allowed, to_state = TRANSITIONS[action]
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
        agreement.agreed_at, agreement.agreed_by = timezone.now(), by
    agreement.save()
    AgreementEvent.objects.create(
        agreement=agreement,
        by=by,
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
    return agreement


ACTION_WORDS = {
    "submit": _("submitted"),
    "agree": _("agreed"),
    "return": _("returned"),
    "reopen": _("reopened"),
}


# --- Realisations and evidence ---------------------------------------------------------------


def _check_period(indicator: Indicator, year: int, month: int) -> None:
    if month not in PERIOD_MONTHS[indicator.period_type]:
        raise ValidationError(
            {
                "period": _("This indicator reports %(kind)s; give one of the months %(months)s.")
                % {
                    "kind": indicator.get_period_type_display(),
                    "months": ", ".join(
                        f"{m:02d}" for m in sorted(PERIOD_MONTHS[indicator.period_type])
                    ),
                }
            }
        )
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise ValidationError({"period": _("The period lies in the future.")})


@transaction.atomic
def realisation_record(
    *,
    indicator: Indicator,
    year: int,
    month: int,
    value: Decimal,
    note: str = "",
    supporting: str = "",
    hindering: str = "",
    by=None,
) -> Realisation:
    """Record the value of a month. A second value for the same month is a correction: the
    earlier one is kept, marked as superseded, and the new one waits for verification."""
    if indicator.data_source != DataSource.MANUAL:
        raise ValidationError(
            _("This indicator is computed (%(source)s); its realisations are not entered.")
            % {"source": indicator.get_data_source_display()}
        )
    if not indicator.active:
        raise ValidationError(_("This indicator is no longer active."))
    _check_period(indicator, year, month)
    note, supporting, hindering = note.strip(), supporting.strip(), hindering.strip()
    current = (
        Realisation.objects.select_for_update()
        .filter(indicator=indicator, year=year, month=month, superseded_at=None)
        .first()
    )
    texts = (note, supporting, hindering)
    unchanged = current is not None and (
        current.value,
        current.note,
        current.supporting,
        current.hindering,
    ) == (value, *texts)
    if unchanged and current.state != RealisationState.RETURNED:
        return current  # sent twice; a returned value sent again goes back to the verifier
    realisation = Realisation(
        indicator=indicator,
        year=year,
        month=month,
        value=value,
        note=note,
        supporting=supporting,
        hindering=hindering,
        entered_by=by,
    )
    realisation.full_clean(exclude=["entered_by"], validate_constraints=False)
    if current is not None:
        current.superseded_at = timezone.now()
        current.save(update_fields=["superseded_at"])
    try:
        with transaction.atomic():
            realisation.save()
    except IntegrityError:
        # Someone else recorded the first value of this month at the same moment.
        raise ValidationError(
            {"period": _("A value for this month was just entered by someone else; reload.")}
        ) from None
    fields = ["value", "note", "supporting", "hindering", "state"]
    audit.record(
        "create" if current is None else "correct",
        realisation,
        before=audit.snapshot(current, fields) if current else None,
        after=audit.snapshot(realisation, fields),
    )
    return realisation


@transaction.atomic
def realisation_verify(
    *, realisation: Realisation, by, accept: bool, note: str = ""
) -> Realisation:
    """The owner's superior accepts the value, or returns it with a reason."""
    realisation = (
        Realisation.objects.select_for_update(of=("self",))
        .select_related("indicator__agency")
        .get(pk=realisation.pk)
    )
    if realisation.superseded_at is not None:
        raise ValidationError(_("A newer value has been entered for this month; verify that."))
    if realisation.state != RealisationState.SUBMITTED:
        raise ValidationError(
            _("This value is %(state)s already.") % {"state": realisation.get_state_display()}
        )
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say what needs correcting.")})
    realisation.state = RealisationState.VERIFIED if accept else RealisationState.RETURNED
    realisation.verified_by, realisation.verified_at = by, timezone.now()
    realisation.verification_note = note.strip()
    realisation.save()
    audit.record(
        "verify" if accept else "return",
        realisation,
        before={"state": RealisationState.SUBMITTED},
        after={"state": realisation.state},
        note=realisation.verification_note,
    )
    return realisation


@transaction.atomic
def evidence_add(
    *, indicator: Indicator, year: int, month: int, upload, description: str = "", by=None
) -> Evidence:
    """Attach a document to an indicator's month; it stays through corrections of the value."""
    _check_period(indicator, year, month)
    try:
        checked = check_evidence_file(upload)
    except EvidenceFileError as exc:
        raise ValidationError({"file": str(exc)}) from None
    evidence = Evidence(
        indicator=indicator,
        year=year,
        month=month,
        original_name=(upload.name or "bukti")[-200:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        description=description.strip()[:200],
        uploaded_by=by,
    )
    evidence.file.save(checked.sha256, upload, save=False)
    evidence.save()
    audit.record(
        "create",
        evidence,
        after={
            "file": evidence.original_name,
            "sha256": evidence.sha256,
            "size": evidence.size,
            "type": evidence.content_type,
        },
    )
    return evidence
