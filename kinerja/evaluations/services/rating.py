"""The rater's periodic and annual rating of a plan, in named steps: the checks, the suggestion
and the predicate, the credit points of an annual rating, and what follows (the plan's state,
the employee's notification, a development plan below Baik)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor, user_of
from kinerja.core.notifications import notify
from kinerja.core.periods import Period
from kinerja.skp.models import Skp, SkpState
from kinerja.skp.rhythm import Rhythm, fits_rhythm, rhythm_of
from kinerja.skp.services import clean_text, transition, users_of

from .. import lifecycle, permissions, rules
from ..models import DevelopmentState, Evaluation
from ..selectors import suggestion_for
from .common import rated_period, rating
from .development import development_open

RATEABLE_STATES = {SkpState.APPROVED, SkpState.EVALUATING}


def months_served(skp: Skp) -> int:
    """Months of the year covered by this assignment (for credit points)."""
    start = skp.starts_on
    end = skp.ends_on or date(skp.year, 12, 31)
    return max(1, min(12, (end.year - start.year) * 12 + end.month - start.month + 1))


def too_early(win: lifecycle.PeriodWindow) -> str:
    """Why a period that has not opened yet cannot be rated, with the day it opens and the day
    it ends."""
    return _("%(period)s can be rated from %(opens)s; the period ends on %(end)s.") % {
        "period": win.period.label,
        "opens": lifecycle.day(win.opens_on),
        "end": lifecycle.day(win.period.end),
    }


def _check_rateable(skp: Skp, period: Period, now: datetime) -> lifecycle.PeriodWindow:
    """An approved plan, a period of the agency's rhythm (or the year) that is open for rating
    (:mod:`..lifecycle`) and not rated yet. A period past its deadline that was never rated may
    still be rated late: the deadline binds the rater, and refusing would leave the employee
    without a rating (the audit record says ``late``)."""
    if skp.state not in RATEABLE_STATES:
        raise ValidationError(
            {
                "state": _("The plan is %(state)s; an approved plan is rated.")
                % {"state": skp.get_state_display()}
            }
        )
    if not fits_rhythm(skp.unit.agency, period):
        rhythm = Rhythm(rhythm_of(skp.unit.agency, skp.year)).label
        raise ValidationError(
            {"period": _("%(agency)s evaluates %(rhythm)s; %(period)s is not such a period.")
             % {"agency": skp.unit.agency.name, "rhythm": rhythm, "period": period}}
        )  # fmt: skip
    win = lifecycle.period_window(skp, period, lifecycle.today_of(now))
    if win.upcoming:
        # not on ``period``: a well-formed request that comes too early (a 409 in the API)
        raise ValidationError(too_early(win))
    if Evaluation.objects.filter(skp=skp, period=str(period)).exists():
        raise ValidationError(
            {"period": _("%(period)s is already rated.") % {"period": period.label}}
        )
    return win


def _credit_points(skp: Skp, predicate: str, months: int) -> Decimal | None:
    """The credit points of an annual predicate: for functional positions only."""
    if skp.position_kind != "jf":
        return None
    return rules.credit_points(
        level=skp.position_level, predicate=predicate, months=months,
        rules=rules.credit_rules(skp.year),
    )  # fmt: skip


def _new_evaluation(
    skp: Skp, period: Period, results: str, behaviour: str, note: str, by: Actor, now: datetime
) -> Evaluation:
    """The rating with its suggestion (from measured achievement, kept beside the rater's
    choice) and its predicate (the year's quadrant); for the year, the credit points."""
    suggestion = suggestion_for(skp, period, viewer=by)
    predicate = rules.predicate_for(results, behaviour, skp.year)
    evaluation = Evaluation(
        skp=skp, period=str(period), annual=period.annual, results_rating=results,
        behaviour_rating=behaviour, suggested_results=suggestion.get("rating") or "",
        suggestion=suggestion, predicate=predicate, note=clean_text(note, "note", required=False),
        rated_by=skp.rater, recorded_by=user_of(by), rated_at=now, delivered_at=now,
    )  # fmt: skip
    credit_follow(skp, evaluation, period)
    return evaluation


def credit_follow(skp: Skp, evaluation: Evaluation, period: Period) -> None:
    """The months and credit points that follow the evaluation's predicate (the year's, for a
    functional position): the one place a rating and a correction set them."""
    if period.annual:
        evaluation.months = months_served(skp)
        evaluation.credit_points = _credit_points(skp, evaluation.predicate, evaluation.months)


def _after_rating(skp: Skp, evaluation: Evaluation, period: Period, by: Actor) -> None:
    """The plan moves on, the employee is told, and a predicate below Baik opens a
    development plan unless one is open."""
    transition(skp, SkpState.RATED if period.annual else SkpState.EVALUATING, by, str(period))
    notify(
        users=users_of(skp.employee),
        title=_("Your predicate for %(period)s: %(predicate)s")
        % {"period": period.label, "predicate": evaluation.predicate},
        link=f"/skp/{skp.pk}/",
    )
    development_below_baik(skp, evaluation, period, by)


def development_below_baik(skp: Skp, evaluation: Evaluation, period: Period, by: Actor) -> None:
    """A predicate below Baik opens a development plan unless one is open (a rating and a
    correction alike)."""
    if (
        rules.below_baik(evaluation.predicate)
        and not skp.development_plans.exclude(state=DevelopmentState.CLOSED).exists()
    ):
        development_open(
            skp=skp,
            by=by,
            goal=_("Improve on the %(period)s rating") % {"period": period.label},
            evaluation=evaluation,
            _checked=True,
        )


@transaction.atomic
def evaluation_rate(
    *,
    skp: Skp,
    by: Actor,
    period: str,
    results_rating: str,
    behaviour_rating: str,
    note: str = "",
    now: datetime | None = None,
) -> Evaluation:
    """The rater's periodic or annual rating. The suggested results rating (computed from
    measured achievement) is kept beside the rater's choice; the predicate comes from the
    year's quadrant. A predicate below Baik opens a development plan."""
    now = now or timezone.now()
    skp = Skp.objects.select_for_update().select_related("employee", "unit").get(pk=skp.pk)
    permissions.require(permissions.rates_plan(by, skp), _("Only the plan's rater rates it."))
    parsed = rated_period(period, skp.year)
    results_rating = rating(results_rating, "results_rating")
    behaviour_rating = rating(behaviour_rating, "behaviour_rating")
    win = _check_rateable(skp, parsed, now)
    evaluation = _new_evaluation(skp, parsed, results_rating, behaviour_rating, note, by, now)
    evaluation.save()
    audit.record(
        "rate",
        evaluation,
        after={
            "results": results_rating, "behaviour": behaviour_rating,
            "predicate": evaluation.predicate,
            "suggested": evaluation.suggested_results or None,
            "credit_points": audit.to_json(evaluation.credit_points),
            **({"late": True} if win.closed else {}),
        },
    )  # fmt: skip
    _after_rating(skp, evaluation, parsed, by)
    return evaluation
