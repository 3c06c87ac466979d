"""API of individual evaluation (domain.md §3.1–3.3): rating a period of a plan, reading an
evaluation, objecting to the annual predicate and deciding the objection.

Shares the rules of :mod:`kinerja.skp.api` (read its docstring): objects the caller may not
see are "not found" (404) — an evaluation and an objection are seen through their plan
(``Skp.objects.visible_to``); ``PermissionDenied`` is a 403; a service error on a body field
is a 422 naming it; anything else the services refuse is a 409 ``{"error"}`` — a period
already rated, a plan not approved, a period not open for rating yet (the operation refuses it
without naming a field, so it is a 409 whose message gives the day rating opens and the day the
period ends: "TW IV 2026 can be rated from 01/01/2027; the period ends on 31/12/2026."), an
objection filed late (the message gives the date the objection period ended) or a second time,
an objection already decided.

The objection's steps (PP 30/2019 Ps. 59): the decider (the rater's superior) may ask the rater
for an explanation with a due date (``explanation-request``; default: the year's
``objection_explanation_days`` calendar days, 5); the rater explains once (``explanation``),
until the decision — a late explanation is kept and marked ``explanation_late``. The decision is
a 409 while an explanation is asked, not given and its due date (inclusive) not past. A JPT's
objection (rated by the head of region) is decided by the region's administrator on behalf of
the head of region (``decider`` null, ``decided_for_region_head`` true) and has no explanation
step (409).

``curve_warnings`` (in the answer to a rating) are the distribution rules of domain.md §3.2
that the unit's predicates for the period now break, given the unit's organisation predicate:
a warning for the rater, never a block. They are not part of ``GET /evaluations/{id}``, which
the employee reads too.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Field, Router, Schema, Status
from pydantic import AfterValidator, StringConstraints

from kinerja.core.access import visible_or_404
from kinerja.core.api import (
    COMMON_ERRORS,
    ErrorOut,
    LongText,
    Number,
    call_service,
    nip,
    number,
    one_line,
    when,
)
from kinerja.core.periods import ALL_KINDS, PeriodError, parse_period
from kinerja.skp.api import visible_plan
from kinerja.skp.rules import skp_calendar

from . import rules, services
from .models import (
    Evaluation,
    EvaluationState,
    Objection,
    ObjectionOutcome,
    Predicate,
    Rating,
)
from .selectors import unit_curve

router = Router(tags=["individual performance"])


PeriodIn = Annotated[str, StringConstraints(max_length=20), AfterValidator(one_line)]


# --- In -----------------------------------------------------------------------------------------


class ExplanationRequestIn(Schema):
    due: date | None = Field(
        None, description="YYYY-MM-DD, the last day to explain; default: in 5 calendar days."
    )


class ExplanationIn(Schema):
    text: LongText = Field(..., description="e.g. Realisasi Desember belum diverifikasi")


# --- Out ------------------------------------------------------------------------------------------


class ObjectionOut(Schema):
    id: int
    evaluation: int = Field(..., description="Id of the evaluation objected to.")
    state: str = Field(..., description="pending or decided")
    reason: str
    evidence: str
    filed_at: str | None = Field(..., description="ISO 8601 with the region's UTC offset.")
    decider: str | None = Field(..., description="NIP of the rater's superior who decides.")
    outcome: ObjectionOutcome | None = Field(..., description="upheld or changed; null if pending.")
    decision_reason: str
    decided_at: str | None
    decided_for_region_head: bool = Field(
        ...,
        description="A JPT's objection: the head of region decides, recorded by the region's "
        "administrator.",
    )
    decision_recorded_by: str | None = Field(..., description="Username of who recorded it.")
    explanation_requested_at: str | None = Field(
        ..., description="When the decider asked the rater to explain."
    )
    explanation_due: str | None = Field(..., description="YYYY-MM-DD, the last day to explain.")
    explanation: str = Field(..., description="The rater's explanation; empty until given.")
    explained_at: str | None
    explained_by: str | None = Field(..., description="NIP of the rater who explained.")
    explanation_late: bool = Field(..., description="Explained after the due date.")
    before: dict[str, Any] = Field(
        ..., description="The ratings and predicate objected to: results, behaviour, predicate."
    )
    predicate: Predicate = Field(..., description="The evaluation's predicate now.")
    results_rating: Rating = Field(..., description="The evaluation's results rating now.")
    behaviour_rating: Rating = Field(..., description="The evaluation's behaviour rating now.")
    evaluation_state: EvaluationState


class CorrectionOut(Schema):
    at: str = Field(..., description="ISO 8601 with the region's UTC offset.")
    by: str | None = Field(
        ..., description="NIP of who corrected; null for the head of region (a JPT)."
    )
    reason: str
    before: dict[str, Any] = Field(
        ..., description="results, behaviour, predicate, credit_points before the correction."
    )
    after: dict[str, Any] = Field(..., description="The same after it.")


class EvaluationOut(Schema):
    id: int
    skp: int = Field(..., description="Id of the plan.")
    employee: str = Field(..., description="NIP")
    period: str = Field(..., description="YYYY, YYYY-Sn, YYYY-Qn or YYYY-MM")
    annual: bool
    predicate: Predicate
    results_rating: Rating = Field(..., description="The rater's choice.")
    behaviour_rating: Rating
    suggested_results_rating: Rating | None = Field(
        ..., description="Computed from measured achievement; null when nothing was measured."
    )
    suggestion: dict[str, Any] = Field(
        ..., description="The rule and the numbers the suggestion rests on."
    )
    note: str
    state: EvaluationState = Field(..., description="rated, objected or final")
    rated_by: str | None = Field(
        ..., description="NIP of the rater; null when the head of region rated (a JPT)."
    )
    rated_at: str
    delivered_at: str | None = Field(..., description="When the employee received it.")
    objection_deadline: str | None = Field(
        ..., description="Annual only: the last moment to object (ISO 8601, WIB)."
    )
    months: int = Field(
        ..., description="Periodic: the period's months the plan counts; annual: the plan's months."
    )
    credit_points: Number = Field(
        ...,
        description="Functional positions only: a periodic rating's ledger entry; for the "
        "annual rating the plan's total of the year (GET /credit-points lists the entries).",
    )
    objection: ObjectionOut | None
    corrections: list[CorrectionOut] = Field(
        ...,
        description=(
            "Corrections of the rating, oldest first; the first `before` is the rating as "
            "first recorded."
        ),
    )


class RatedOut(EvaluationOut):
    curve_warnings: list[str] = Field(
        ...,
        description=(
            "The distribution rules the unit's predicates for the period now break (a warning, "
            "never a block); empty when none or when the unit has no organisation predicate."
        ),
    )


def _objection_row(objection: Objection, evaluation: Evaluation) -> dict[str, Any]:
    return {
        "id": objection.pk,
        "evaluation": evaluation.pk,
        "state": "decided" if objection.decided else "pending",
        "reason": objection.reason,
        "evidence": objection.evidence,
        "filed_at": when(objection.filed_at),
        "decider": nip(objection.decider),
        "outcome": objection.outcome or None,
        "decision_reason": objection.decision_reason,
        "decided_at": when(objection.decided_at),
        "decided_for_region_head": objection.for_region_head,
        "decision_recorded_by": (
            objection.decision_recorded_by.username if objection.decision_recorded_by else None
        ),
        "explanation_requested_at": when(objection.explanation_requested_at),
        "explanation_due": (
            objection.explanation_due.isoformat() if objection.explanation_due else None
        ),
        "explanation": objection.explanation,
        "explained_at": when(objection.explained_at),
        "explained_by": nip(objection.explained_by),
        "explanation_late": objection.explained_late,
        "before": objection.before or {},
        "predicate": evaluation.predicate,
        "results_rating": evaluation.results_rating,
        "behaviour_rating": evaluation.behaviour_rating,
        "evaluation_state": evaluation.state,
    }


def evaluation_row(evaluation: Evaluation) -> dict[str, Any]:
    skp = evaluation.skp
    deadline = None
    if evaluation.annual and evaluation.delivered_at:
        days = skp_calendar(skp.year).objection_days
        deadline = rules.objection_deadline(evaluation.delivered_at, days)
    try:
        objection = evaluation.objection
    except Objection.DoesNotExist:
        objection = None
    return {
        "id": evaluation.pk,
        "skp": skp.pk,
        "employee": skp.employee.nip,
        "period": evaluation.period,
        "annual": evaluation.annual,
        "predicate": evaluation.predicate,
        "results_rating": evaluation.results_rating,
        "behaviour_rating": evaluation.behaviour_rating,
        "suggested_results_rating": evaluation.suggested_results or None,
        "suggestion": evaluation.suggestion or {},
        "note": evaluation.note,
        "state": evaluation.state,
        "rated_by": evaluation.rated_by.nip if evaluation.rated_by_id else None,
        "rated_at": when(evaluation.rated_at),
        "delivered_at": when(evaluation.delivered_at),
        "objection_deadline": when(deadline),
        "months": evaluation.months,
        "credit_points": number(evaluation.credit_points),
        "objection": _objection_row(objection, evaluation) if objection else None,
        "corrections": [
            {"at": when(c.at), "by": nip(c.by), "reason": c.reason, "before": c.before,
             "after": c.after}
            for c in evaluation.corrections.all()
        ],
    }  # fmt: skip


def _loaded():
    """Evaluations with what their answer shows (two queries: the corrections apart)."""
    return Evaluation.objects.select_related(
        "skp__employee",
        "skp__unit",
        "rated_by",
        "objection__decider",
        "objection__explained_by",
        "objection__decision_recorded_by",
    ).prefetch_related("corrections__by")


def load_evaluation(evaluation_id: int) -> Evaluation:
    return _loaded().get(pk=evaluation_id)


def visible_evaluation(user, evaluation_id: int) -> Evaluation:
    """The evaluation through its door, "Evaluation not found." (404) otherwise."""
    return visible_or_404(_loaded(), user, not_found=_("Evaluation not found."), pk=evaluation_id)


def _visible_objection(user, objection_id: int) -> Objection:
    """The objection through its door, "Objection not found." (404) otherwise."""
    return visible_or_404(Objection, user, not_found=_("Objection not found."), pk=objection_id)


# --- Rating ---------------------------------------------------------------------------------------


@router.post(
    "/skp/{skp_id}/evaluations",
    response={201: RatedOut, 404: ErrorOut, 409: ErrorOut, **COMMON_ERRORS},
    summary="Rate a period of a plan",
)
def evaluation_create(
    request: HttpRequest,
    skp_id: int,
    period: Annotated[PeriodIn, Body(description="2026 (annual), 2026-Q1, 2026-S1 or 2026-03")],
    results_rating: Annotated[Rating, Body(description="above, meets or below")],
    behaviour_rating: Annotated[Rating, Body(description="above, meets or below")],
    note: Annotated[LongText | None, Body(description="e.g. Pertahankan ketepatan waktu")] = None,
):
    """The plan's rater (403 for anyone else, the employee above all) rates an approved plan
    for a period of the agency's rhythm that has begun, or for the year. The predicate comes
    from the year's quadrant; the suggested results rating is kept beside the rater's choice.
    409 when the period is already rated, has not opened for rating yet (the message says
    when it opens) or the plan is not approved."""
    user = request.auth
    skp = visible_plan(user, skp_id)

    def rated() -> bool:
        try:
            label = str(parse_period(period, kinds=ALL_KINDS))
        except PeriodError:
            return False
        return Evaluation.objects.filter(skp=skp, period=label).exists()

    evaluation = call_service(
        services.evaluation_rate,
        fields={"period", "results_rating", "behaviour_rating", "note"},
        duplicate=rated,
        skp=skp,
        by=user,
        period=period,
        results_rating=results_rating.value,
        behaviour_rating=behaviour_rating.value,
        note=note or "",
    )
    evaluation = load_evaluation(evaluation.pk)
    curve = unit_curve(evaluation.skp.unit, evaluation.period)
    row = evaluation_row(evaluation)
    row["curve_warnings"] = [w.message for w in curve.warnings]
    return Status(201, row)


@router.get(
    "/evaluations/{evaluation_id}",
    response={200: EvaluationOut, 404: ErrorOut, **COMMON_ERRORS},
    summary="One evaluation",
)
def evaluation_detail(request: HttpRequest, evaluation_id: int):
    """An evaluation with its predicate, the suggestion, the credit points and the objection;
    seen by whoever may see its plan."""
    return evaluation_row(visible_evaluation(request.auth, evaluation_id))


# --- Objection ------------------------------------------------------------------------------------


@router.post(
    "/evaluations/{evaluation_id}/objection",
    response={201: ObjectionOut, 404: ErrorOut, 409: ErrorOut, **COMMON_ERRORS},
    summary="Object to the annual predicate",
)
def objection_create(
    request: HttpRequest,
    evaluation_id: int,
    reason: Annotated[LongText, Body(description="e.g. Realisasi Desember belum dihitung")],
    evidence: Annotated[LongText | None, Body(description="e.g. Rekap loket Desember")] = None,
):
    """The employee (403 for anyone else) objects to their annual predicate within the
    objection period (14 days from receiving it), once. A late or a second objection, or one
    against a periodic rating, is a 409 that says why. The rater's superior decides."""
    user = request.auth
    evaluation = visible_evaluation(user, evaluation_id)
    objection = call_service(
        services.objection_file,
        fields={"reason", "evidence"},
        evaluation=evaluation,
        by=user,
        reason=reason,
        evidence=evidence or "",
    )
    evaluation = load_evaluation(objection.evaluation_id)
    return Status(201, _objection_row(evaluation.objection, evaluation))


@router.post(
    "/objections/{objection_id}/decision",
    response={200: ObjectionOut, 404: ErrorOut, 409: ErrorOut, **COMMON_ERRORS},
    summary="Decide an objection",
)
def objection_decision(
    request: HttpRequest,
    objection_id: int,
    outcome: Annotated[ObjectionOutcome, Body(description="upheld or changed")],
    reason: Annotated[LongText, Body(description="e.g. Data Desember sudah lengkap")],
    results_rating: Annotated[
        Rating | None, Body(description="The new results rating (when changed).")
    ] = None,
    behaviour_rating: Annotated[
        Rating | None, Body(description="The new behaviour rating (when changed).")
    ] = None,
):
    """Only the rater's superior recorded on the objection decides (403 otherwise) — for a JPT,
    the region's administrator on behalf of the head of region: upheld, or changed with the new
    ratings (the predicate follows from the quadrant). Then the predicate is final; a second
    decision is a 409, and so is a decision while the rater's explanation is asked, not given
    and its due date not past (the message gives the due date)."""
    user = request.auth
    objection = _visible_objection(user, objection_id)
    call_service(
        services.objection_decide,
        fields={"outcome", "reason", "results_rating", "behaviour_rating"},
        objection=objection,
        by=user,
        outcome=outcome.value,
        reason=reason,
        results_rating=results_rating.value if results_rating else "",
        behaviour_rating=behaviour_rating.value if behaviour_rating else "",
    )
    evaluation = load_evaluation(objection.evaluation_id)
    return _objection_row(evaluation.objection, evaluation)


@router.post(
    "/objections/{objection_id}/explanation-request",
    response={200: ObjectionOut, 404: ErrorOut, 409: ErrorOut, **COMMON_ERRORS},
    summary="Ask the rater to explain the rating objected to",
)
def objection_explanation_request(
    request: HttpRequest, objection_id: int, body: ExplanationRequestIn | None = None
):
    """The decider (403 for anyone else) asks the rater for an explanation, once, before
    deciding; the rater is notified. 409 when already asked, decided, or a JPT's objection (the
    head of region rated it); 422 on ``due`` in the past."""
    user = request.auth
    objection = _visible_objection(user, objection_id)
    call_service(
        services.objection_explanation_request,
        fields={"due"},
        objection=objection,
        by=user,
        due=body.due if body else None,
    )
    evaluation = load_evaluation(objection.evaluation_id)
    return _objection_row(evaluation.objection, evaluation)


@router.post(
    "/objections/{objection_id}/explanation",
    response={200: ObjectionOut, 404: ErrorOut, 409: ErrorOut, **COMMON_ERRORS},
    summary="The rater's explanation of the rating objected to",
)
def objection_explanation(request: HttpRequest, objection_id: int, body: ExplanationIn):
    """The rater who gave the rating (403 for anyone else) explains it when asked, once, until
    the decision (a late explanation is kept and marked late); the decider is notified. 409
    when not asked, already explained or decided."""
    user = request.auth
    objection = _visible_objection(user, objection_id)
    call_service(
        services.objection_explain, fields={"text"}, objection=objection, by=user, text=body.text
    )
    evaluation = load_evaluation(objection.evaluation_id)
    return _objection_row(evaluation.objection, evaluation)
