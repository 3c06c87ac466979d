"""API of corrections (issue 10, "Corrections on record"): ``POST
/api/v1/evaluations/{id}/correction`` corrects a recorded rating, keeping the earlier one.

The rules of :mod:`kinerja.evaluations.api` hold: an evaluation the caller may not see is 404;
who may not correct it now gets a 403 that says who does (the plan's rater until the period's
deadline, the rater's superior after it, the region's administrator for a JPT); a bad rating or
a missing reason is a 422 naming the body field; an annual predicate under objection or decided
on objection is a 409 (it changes only by the objection's decision). The answer is the
evaluation with its ``corrections`` (as ``GET /evaluations/{id}`` shows them).
"""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Body, Router

from kinerja.core.api import COMMON_ERRORS, ErrorOut, LongText, call_service

from . import services
from .api import EvaluationOut, evaluation_row, load_evaluation, visible_evaluation
from .models import Rating

router = Router(tags=["individual performance"])


@router.post(
    "/evaluations/{evaluation_id}/correction",
    response={200: EvaluationOut, 404: ErrorOut, 409: ErrorOut, **COMMON_ERRORS},
    summary="Correct a recorded rating",
)
def evaluation_correction(
    request: HttpRequest,
    evaluation_id: int,
    results_rating: Annotated[Rating, Body(description="above, meets or below")],
    behaviour_rating: Annotated[Rating, Body(description="above, meets or below")],
    reason: Annotated[LongText, Body(description="e.g. Realisasi Maret belum terhitung")],
):
    """The plan's rater until the period's deadline, the rater's superior after it (403 for
    anyone else), corrects the ratings with a reason; the predicate and credit points follow,
    the earlier rating is kept in ``corrections``, the employee is notified. 409 for an annual
    predicate objected to."""
    user = request.auth
    evaluation = visible_evaluation(user, evaluation_id)
    call_service(
        services.evaluation_correct,
        fields={"results_rating", "behaviour_rating", "reason"},
        evaluation=evaluation,
        by=user,
        results_rating=results_rating.value,
        behaviour_rating=behaviour_rating.value,
        reason=reason,
    )
    return evaluation_row(load_evaluation(evaluation.pk))
