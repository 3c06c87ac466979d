"""Correcting a recorded rating, on record (issue 10, "Corrections on record").

The earlier rating is kept: each correction stores the ratings, predicate and credit points
before and after, the reason and who corrected. Until the period's deadline
(:mod:`..lifecycle`) the plan's rater corrects; after it, the rater's superior; a JPT's rating
(the head of region's) is corrected by the region's administrator, as it is recorded. An
annual rating under objection, or whose objection was decided, changes only by the
objection's decision. The predicate follows from the year's quadrant; the stored suggestion
stays, so the page compares it with the new choice; the credit points follow as for a rating
(:func:`kinerja.evaluations.ledger.ledger_refresh`); the employee is told; a predicate below
Baik opens a development plan unless one is open."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core import audit
from kinerja.core.actors import Actor, user_of
from kinerja.core.notifications import notify
from kinerja.core.periods import ALL_KINDS, parse_period
from kinerja.core.texts import Text
from kinerja.organizations.scope import scope_for
from kinerja.skp.permissions import acts_for_region_head
from kinerja.skp.services import clean_text, users_of

from .. import lifecycle, permissions, rules
from ..ledger import ledger_refresh
from ..models import Evaluation, EvaluationCorrection, EvaluationState, Objection
from ..selectors import head_results_required
from .common import rating
from .rating import development_below_baik


def snapshot(evaluation: Evaluation) -> dict[str, Any]:
    """What a correction changes, as kept on record (JSON)."""
    return {
        "results": evaluation.results_rating,
        "behaviour": evaluation.behaviour_rating,
        "predicate": evaluation.predicate,
        "credit_points": audit.to_json(evaluation.credit_points),
    }


def _check_correctable(evaluation: Evaluation, by: Actor, win: lifecycle.PeriodWindow) -> None:
    skp = evaluation.skp
    if not permissions.may_correct(by, skp, after_deadline=win.closed):
        if win.closed:
            reason = _(
                "After the deadline (%(date)s) only the rater's superior corrects the rating."
            ) % {"date": lifecycle.day(win.deadline)}
        else:
            reason = _(
                "Until the deadline (%(date)s) only the plan's rater corrects the rating."
            ) % {"date": lifecycle.day(win.deadline)}
        permissions.require(False, reason)
    if (
        evaluation.state == EvaluationState.OBJECTED
        or Objection.objects.filter(evaluation=evaluation).exists()
    ):
        raise ValidationError(
            _("The predicate was objected to: it changes only by the objection's decision.")
        )


def _corrector(by: Actor, evaluation: Evaluation) -> int | None:
    """Who corrected: the employee acting, or nobody (the head of region) when the region's
    administrator records it."""
    if acts_for_region_head(by, evaluation.skp):
        return None
    return scope_for(by).employee_id


@transaction.atomic
def evaluation_correct(
    *,
    evaluation: Evaluation,
    by: Actor,
    results_rating: str,
    behaviour_rating: str,
    reason: str,
    now: datetime | None = None,
) -> EvaluationCorrection:
    """Correct a recorded rating (see the module's text for who may when); the reason is
    required. Returns the correction; the evaluation carries the new ratings."""
    now = now or timezone.now()
    evaluation = (
        Evaluation.objects.select_for_update()
        .select_related("skp__employee", "skp__unit")
        .get(pk=evaluation.pk)
    )
    skp = evaluation.skp
    period = parse_period(evaluation.period, kinds=ALL_KINDS)
    win = lifecycle.period_window(skp, period, lifecycle.today_of(now))
    _check_correctable(evaluation, by, win)
    results_rating = rating(results_rating, "results_rating")
    behaviour_rating = rating(behaviour_rating, "behaviour_rating")
    head_results_required(skp, period, results_rating)  # a unit head's: the org predicate's
    reason = clean_text(reason, "reason")
    before = snapshot(evaluation)
    evaluation.results_rating, evaluation.behaviour_rating = results_rating, behaviour_rating
    evaluation.predicate = rules.predicate_for(results_rating, behaviour_rating, skp.year)
    evaluation.save()
    ledger_refresh(evaluation)  # the credit points follow the new predicate
    evaluation.refresh_from_db(fields=["months", "credit_points"])  # as stored: 5.000
    after = snapshot(evaluation)
    correction = EvaluationCorrection.objects.create(
        evaluation=evaluation, before=before, after=after, reason=reason,
        by_id=_corrector(by, evaluation), recorded_by=user_of(by), at=now,
    )  # fmt: skip
    audit.record("correct", evaluation, before=before, after=after, note=reason)
    notify(
        users=users_of(skp.employee),
        title=Text(
            gettext_lazy("Your rating for %(period)s was corrected: %(predicate)s"),
            period=period.label,
            predicate=evaluation.predicate,
        ),
        body=reason,
        link=f"/skp/{skp.pk}/",
    )
    development_below_baik(skp, evaluation, period, by)
    return correction
