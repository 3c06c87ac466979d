"""API of employees' plans (SKP, domain.md §3): creating a plan, adding results (RHK) with
their indicators (IKI), the workflow (submit, approve, return) and reading plans.

The evaluations of a plan (rating, objection, decision) are in :mod:`kinerja.evaluations.api`;
both share the rules below.

Everything goes through the one door ``Skp.objects.visible_to(user)``: a plan (and anything
inside it) the caller may not see is "not found" (404), exactly like one that does not exist.
The operations are those of :mod:`kinerja.skp.services` and :mod:`kinerja.evaluations.services`,
which decide who may do what and validate; this module parses, calls and renders.

How a refusal of the services is answered
    * ``PermissionDenied`` → **403** ``{"error"}`` with the service's reason (the employee
      approving or rating their own plan, a colleague submitting someone else's, …).
    * ``ValidationError`` on a field of the request body → **422**
      ``{"errors": [{"field", "message"}]}`` naming those fields as sent (an indicator's
      aspect is ``indicators.0.aspect``). Nothing is stored.
    * ``ValidationError`` on anything that is not a field of the request — the plan's
      ``state``, the ``evaluation`` objected to, the ``objection`` decided, the plan's missing
      ``results`` or ``rater`` — and a duplicate (a plan for the employee and year already
      exists, the period is already rated) → **409** ``{"error"}`` with the service's message:
      the request was well formed, but what is stored does not allow it now. A late or a
      repeated objection is therefore a 409, with the date the objection period ended or the
      word that the decision is final.

Choices
    * ``POST /skp`` with a NIP the caller may not see — or that does not exist — answers
      **422** on ``employee`` ("No employee with this NIP that you may see."): the caller
      named a value, and cannot tell an invisible employee from a missing one. An employee
      the caller may see but may not draft for is a **403**.
    * ``supports`` may name a result of the plan's rater's plan of the same year (the results
      the employee chooses from) or a result of a plan the caller may see; any other id is
      "No result with this id that you may see" (422). ``indicator`` (JPT) must be an agency
      indicator the caller may see.
    * ``GET /skp?unit=`` filters on the plan's own unit (not its sub-units); an unknown unit
      code gives an empty list.

Numbers
    Targets go out as JSON numbers (integral when whole) or null; a range target has
    ``target`` null and ``target_low``/``target_high``. They come in as a JSON number, a
    decimal string (``"12,5"``), a range string (``"80-90"``) or null.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from kinerja.core.access import visible_or_404
from kinerja.core.api import (
    COMMON_ERRORS,
    ErrorOut,
    LongText,
    Number,
    Paging,
    Text,
    call_service,
    invalid,
    nip,
    number,
    paginate,
    when,
)
from kinerja.core.numbers import NumberError
from kinerja.organizations.models import Employee
from kinerja.strategy.models import Indicator

from . import services
from .models import Approach, Aspect, Iki, Perspective, Rhk, RhkKind, Skp, SkpState

router = Router(tags=["individual performance"])

#: Iki.target and its bounds are DECIMAL(18, 4): anything from 10^14 on does not fit.
TARGET_LIMIT = Decimal(10) ** 14


# --- Numbers and text -----------------------------------------------------------------------------


TargetIn = Annotated[
    Any,
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}],
            "description": (
                "A number, a decimal string or a range 'low-high'; null for a qualitative plan."
            ),
            "examples": [1200, "12,5", "80-90"],
        }
    ),
]


# --- Service refusals -----------------------------------------------------------------------------


def visible_plan(user, skp_id: int) -> Skp:
    """The plan through its door, "Plan not found." (404) otherwise."""
    return visible_or_404(
        Skp.objects.select_related("employee", "unit__agency", "rater", "rater_superior"),
        user,
        not_found=_("Plan not found."),
        pk=skp_id,
    )


# --- Plans out ------------------------------------------------------------------------------------


class IkiOut(Schema):
    id: int
    number: int
    aspect: Aspect
    text: str
    target: Number = Field(..., description="The target; null for a range or none.")
    target_low: Number = Field(..., description="Lower bound of a range target, else null.")
    target_high: Number = Field(..., description="Upper bound of a range target, else null.")
    unit: str = Field(..., description="Unit of measure, e.g. dokumen, %, hari")
    lower_is_better: bool
    yearly_total: bool = Field(
        ...,
        description="The target is a yearly total: a quarter is measured against a quarter of it.",
    )


class RhkOut(Schema):
    id: int
    kind: RhkKind
    number: int = Field(..., description="Numbered within its group (utama, tambahan).")
    text: str
    supports: int | None = Field(..., description="Id of the rater's result it supports.")
    perspective: Perspective | None = Field(..., description="For a JPT plan.")
    indicator: int | None = Field(..., description="Id of the agency indicator (JPT).")
    indicators: list[IkiOut]


class EvaluationRefOut(Schema):
    id: int
    period: str = Field(..., description="YYYY, YYYY-Sn, YYYY-Qn or YYYY-MM")
    predicate: str
    state: str = Field(..., description="rated, objected or final")


class SkpOut(Schema):
    id: int
    employee: str = Field(..., description="NIP")
    employee_name: str
    year: int
    state: SkpState
    approach: Approach
    rater: str | None = Field(..., description="NIP of the rater, or null.")
    rater_superior: str | None = Field(..., description="NIP of the rater's superior, or null.")
    position: str = Field(..., description="Name of the position held for this plan.")
    position_code: str | None
    unit: str = Field(..., description="Unit code")
    starts_on: date = Field(..., description="1 January, or the TMT of the position.")
    tmt_sk_number: str = Field(..., description="SK number of the TMT (empty for 1 January).")
    ends_on: date | None = Field(
        ..., description="Set when a transfer, retirement or death ended it."
    )
    end_reason: str = Field(..., description="transfer, retirement, death, other; empty while open")
    return_reason: str = Field(..., description="Why the rater returned it (empty otherwise).")
    resources: str
    accountability: str
    consequences: str
    submitted_at: str | None
    approved_at: str | None
    rhk: list[RhkOut] = Field(..., description="Main results first, then additional ones.")
    evaluations: list[EvaluationRefOut] = Field(..., description="Periodic first, then annual.")


def iki_row(iki: Iki) -> dict[str, Any]:
    return {
        "id": iki.pk,
        "number": iki.number,
        "aspect": iki.aspect,
        "text": iki.text,
        "target": number(iki.target),
        "target_low": number(iki.target_low),
        "target_high": number(iki.target_high),
        "unit": iki.unit_of_measure,
        "lower_is_better": iki.lower_is_better,
        "yearly_total": iki.yearly_total,
    }


def rhk_row(rhk: Rhk) -> dict[str, Any]:
    return {
        "id": rhk.pk,
        "kind": rhk.kind,
        "number": rhk.number,
        "text": rhk.text,
        "supports": rhk.supports_id,
        "perspective": rhk.perspective or None,
        "indicator": rhk.indicator_id,
        "indicators": [iki_row(i) for i in rhk.indicators.all()],
    }


_KIND_ORDER = {RhkKind.MAIN: 0, RhkKind.ADDITIONAL: 1}


def plan_row(skp: Skp) -> dict[str, Any]:
    results = sorted(skp.results.all(), key=lambda r: (_KIND_ORDER.get(r.kind, 2), r.number))
    return {
        "id": skp.pk,
        "employee": skp.employee.nip,
        "employee_name": skp.employee.name,
        "year": skp.year,
        "state": skp.state,
        "approach": skp.approach,
        "rater": nip(skp.rater),
        "rater_superior": nip(skp.rater_superior),
        "position": skp.position_name,
        "position_code": skp.position.code if skp.position_id else None,
        "unit": skp.unit.code,
        "starts_on": skp.starts_on,
        "tmt_sk_number": skp.tmt_sk_number,
        "ends_on": skp.ends_on,
        "end_reason": skp.end_reason,
        "return_reason": skp.return_reason,
        "resources": skp.resources,
        "accountability": skp.accountability,
        "consequences": skp.consequences,
        "submitted_at": when(skp.submitted_at),
        "approved_at": when(skp.approved_at),
        "rhk": [rhk_row(r) for r in results],
        # The plan's ratings, kept by the evaluation app, read through the reverse relation.
        "evaluations": [
            {"id": e.pk, "period": e.period, "predicate": e.predicate, "state": e.state}
            for e in sorted(skp.evaluations.all(), key=lambda e: (e.annual, e.period))
        ],
    }


def with_content(queryset):
    """Plans with everything :func:`plan_row` reads: four queries for any number of plans."""
    return queryset.select_related(
        "employee", "unit", "rater", "rater_superior", "position"
    ).prefetch_related(
        Prefetch("results", queryset=Rhk.objects.prefetch_related("indicators")),
        "evaluations",
    )


def plan_out(skp_id: int) -> dict[str, Any]:
    return plan_row(with_content(Skp.objects.filter(pk=skp_id)).get())


# --- Reading plans --------------------------------------------------------------------------------


class PlanFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="e.g. 2026")
    unit: Text | None = Field(None, description="Unit code (the plan's own unit), e.g. DINKES")
    employee: Text | None = Field(None, description="NIP of the employee")
    state: SkpState | None = None


@router.get(
    "/skp",
    response={200: list[SkpOut], **COMMON_ERRORS},
    summary="Plans (SKP) the caller may see",
)
def plan_list(
    request: HttpRequest,
    response: HttpResponse,
    paging: Query[Paging],
    filters: Query[PlanFilters],
):
    """The plans the caller may see — their own, those they rate or whose rater they lead,
    their agency's for its head and performance administrators, all for regional readers —
    by year and employee name, with their results, indicators and evaluations."""
    plans = Skp.objects.visible_to(request.auth)
    f = filters
    if f.year:
        plans = plans.filter(year=f.year)
    if f.unit:
        plans = plans.filter(unit__code=f.unit.strip().upper())
    if f.employee:
        plans = plans.filter(employee__nip=f.employee.strip())
    if f.state:
        plans = plans.filter(state=f.state)
    plans = with_content(plans.order_by("year", "employee__name", "pk"))
    return paginate(request, response, plans, paging, plan_row)


@router.get(
    "/skp/{skp_id}",
    response={200: SkpOut, 404: ErrorOut, **COMMON_ERRORS},
    summary="One plan (SKP)",
)
def plan_detail(request: HttpRequest, skp_id: int):
    """One plan with its results, indicators and evaluations; "not found" when the caller may
    not see it."""
    skp = visible_plan(request.auth, skp_id)
    return plan_out(skp.pk)


# --- Creating a plan ------------------------------------------------------------------------------


@router.post(
    "/skp",
    response={201: SkpOut, 409: ErrorOut, **COMMON_ERRORS},
    summary="Start an employee's plan (SKP) for a year",
)
def plan_create(
    request: HttpRequest,
    employee: Annotated[Text, Body(description="NIP, e.g. 199001012015032001")],
    year: Annotated[int, Body(ge=2000, le=2100, description="e.g. 2026")],
    approach: Annotated[Approach, Body()] = Approach.QUANTITATIVE,
    start: Annotated[
        date | None,
        Body(description="TMT of the position (ISO date in the year); 1 January if absent"),
    ] = None,
    sk_number: Annotated[str, Body(max_length=100, description="SK number of the TMT")] = "",
):
    """A draft plan in the employee's current position, with their current rater. The
    employee drafts their own; their rater and the agency's performance administrator (after
    the second week of January) may draft it for them (403 otherwise). 409 when the employee
    already has a plan for the year. A ``start`` other than 1 January (an entrant's TMT) only
    from the performance administrator, and within the year (422 on ``start``)."""
    user = request.auth
    found = Employee.objects.visible_to(user).filter(nip=employee.strip()).first()
    if found is None:
        raise invalid([("employee", _("No employee with this NIP that you may see."))])
    skp = call_service(
        services.skp_create,
        fields={"employee", "year", "approach", "start", "sk_number"},
        duplicate=lambda: Skp.objects.filter(
            employee=found, year=year, ends_on__isnull=True
        ).exists(),
        employee=found,
        year=year,
        approach=approach,
        by=user,
        start=start,
        sk_number=sk_number,
    )
    return Status(201, plan_out(skp.pk))


# --- Results and indicators -----------------------------------------------------------------------


class IndicatorIn(Schema):
    aspect: Aspect = Field(..., description="kuantitas, kualitas, waktu or biaya")
    text: LongText = Field(..., description="e.g. Jumlah pasien yang dilayani")
    target: TargetIn = Field(None)
    unit: LongText = Field("", description="e.g. pasien, %, hari")
    lower_is_better: bool | None = Field(
        None, description="Default: true for the time aspect, false otherwise."
    )
    yearly_total: bool | None = Field(
        None,
        description=(
            "The target is a yearly total (1200 a year: 300 a quarter). Default: true for the "
            "quantity aspect unless the unit is %, false otherwise."
        ),
    )


def _indicator_dict(item: IndicatorIn) -> dict[str, Any]:
    data = {"aspect": item.aspect.value, "text": item.text, "target": item.target}
    data["unit"] = item.unit
    if item.lower_is_better is not None:
        data["lower_is_better"] = item.lower_is_better
    if item.yearly_total is not None:
        data["yearly_total"] = item.yearly_total
    return data


def _check_targets(indicators: list[IndicatorIn]) -> None:
    """Targets the database can hold (the service reads them; this bounds their size)."""
    errors = []
    for index, item in enumerate(indicators):
        field = f"indicators.{index}.target"
        try:
            target = services.parse_target(item.target, field)
        except DjangoValidationError:
            continue  # the service names it precisely
        except (NumberError, TypeError, AttributeError):
            errors.append((field, _("Give a number, e.g. 1200, or a range, e.g. 80-90.")))
            continue
        bounds = (target.value, target.low, target.high)
        if any(b is not None and abs(b) >= TARGET_LIMIT for b in bounds):
            errors.append((field, _("The number is too large.")))
    if errors:
        raise invalid(errors)


def _supported_result(user, skp: Skp, rhk_id: int | None) -> Rhk | None:
    """The rater's result a new result supports: one of the rater's plan of the year (what the
    employee chooses from) or of a plan the caller may see; never one found by bare id."""
    if rhk_id is None:
        return None
    found = Rhk.objects.supportable_for(skp).select_related("skp").filter(pk=rhk_id).first()
    if found is None:
        found = Rhk.objects.visible_to(user).select_related("skp").filter(pk=rhk_id).first()
    if found is None:
        raise invalid([("supports", _("No result with this id that you may see."))])
    return found


@router.post(
    "/skp/{skp_id}/rhk",
    response={201: RhkOut, 404: ErrorOut, 409: ErrorOut, **COMMON_ERRORS},
    summary="Add a result (RHK) with its indicators (IKI)",
)
def rhk_create(
    request: HttpRequest,
    skp_id: int,
    kind: Annotated[RhkKind, Body(description="utama or tambahan")],
    text: Annotated[LongText, Body(description="e.g. Terlaksananya asuhan keperawatan")],
    indicators: Annotated[list[IndicatorIn], Body(description="One to ten indicators.")],
    supports: Annotated[
        int | None, Body(description="Id of the rater's result it supports (JA/JF), or null.")
    ] = None,
    perspective: Annotated[Perspective | None, Body(description="For a JPT")] = None,
    indicator: Annotated[int | None, Body(description="Agency indicator id (JPT)")] = None,
):
    """Add a result to a draft or returned plan (409 otherwise). The employee and the agency's
    performance administrator may (403 otherwise)."""
    user = request.auth
    skp = visible_plan(user, skp_id)
    supported = _supported_result(user, skp, supports)
    agency_indicator = None
    if indicator is not None:
        agency_indicator = Indicator.objects.visible_to(user).filter(pk=indicator).first()
        if agency_indicator is None:
            raise invalid([("indicator", _("No agency indicator with this id that you may see."))])
    _check_targets(indicators)
    rhk = call_service(
        services.rhk_add,
        fields={"kind", "text", "indicators", "supports", "perspective", "indicator"},
        skp=skp,
        by=user,
        kind=kind.value,
        text=text,
        indicators=[_indicator_dict(i) for i in indicators],
        supports=supported,
        indicator=agency_indicator,
        perspective=perspective.value if perspective else "",
    )
    rhk = Rhk.objects.prefetch_related("indicators").get(pk=rhk.pk)
    return Status(201, rhk_row(rhk))


# --- Workflow -------------------------------------------------------------------------------------


class ReasonIn(Schema):
    # Checked by the service (required, length, control characters): with a single body
    # field, ninja would otherwise name a bad value ``body.reason`` instead of ``reason``.
    reason: Annotated[Any, WithJsonSchema({"type": "string", "maxLength": 2000})] = Field(
        None, description="Required, e.g. Target pasien terlalu rendah"
    )


_WORKFLOW = {200: SkpOut, 404: ErrorOut, 409: ErrorOut, **COMMON_ERRORS}


@router.post("/skp/{skp_id}/submit", response=_WORKFLOW, summary="Submit a plan to the rater")
def plan_submit(request: HttpRequest, skp_id: int):
    """The employee (or the agency's performance administrator) submits a draft or returned
    plan with at least one main result. 409 in any other state or without a main result."""
    skp = visible_plan(request.auth, skp_id)
    call_service(services.skp_submit, fields=(), skp=skp, by=request.auth)
    return plan_out(skp.pk)


@router.post("/skp/{skp_id}/approve", response=_WORKFLOW, summary="Approve a submitted plan")
def plan_approve(request: HttpRequest, skp_id: int):
    """Only the plan's rater approves (403 otherwise — the employee never approves their own);
    only a submitted plan (409)."""
    skp = visible_plan(request.auth, skp_id)
    call_service(services.skp_approve, fields=(), skp=skp, by=request.auth)
    return plan_out(skp.pk)


@router.post("/skp/{skp_id}/return", response=_WORKFLOW, summary="Return a plan with a reason")
def plan_return(request: HttpRequest, skp_id: int, body: ReasonIn):
    """Only the plan's rater returns a submitted plan, with a reason the employee reads."""
    skp = visible_plan(request.auth, skp_id)
    if body.reason is not None and not isinstance(body.reason, str):
        raise invalid([("reason", _("Give the reason as text."))])
    call_service(
        services.skp_return, fields={"reason"}, skp=skp, by=request.auth, reason=body.reason or ""
    )
    return plan_out(skp.pk)
