"""The rater's periodic and annual rating of a plan, in named steps: the checks, the suggestion
and the predicate, the credit points (the ledger, :mod:`kinerja.evaluations.ledger`), and what
follows (the plan's state, the employee's notification, a development plan below Baik)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core import audit
from kinerja.core.actors import Actor, user_of
from kinerja.core.notifications import notify
from kinerja.core.periods import Period
from kinerja.core.texts import Text, in_language_of
from kinerja.skp.models import Skp, SkpState
from kinerja.skp.rhythm import Rhythm, fits_rhythm, rhythm_of
from kinerja.skp.services import clean_text, transition, users_of

from .. import lifecycle, permissions, rules
from ..ledger import ledger_refresh
from ..models import DevelopmentState, Evaluation
from ..selectors import head_results_required, suggestion_for
from .common import rated_period, rating
from .development import development_open

#: A closed plan (a transfer, retirement or death ended it) is still rated for its own months.
RATEABLE_STATES = {SkpState.APPROVED, SkpState.EVALUATING, SkpState.CLOSED}
#: The year's last period opens on the day the year does: after the annual rating (whatever
#: became of it), a periodic rating is still recorded, and the plan keeps its state.
AFTER_ANNUAL_STATES = {SkpState.RATED, SkpState.OBJECTED, SkpState.FINAL}


def months_served(skp: Skp) -> int:
    """The calendar months of the year this assignment counts (for credit points): see
    :func:`kinerja.evaluations.rules.months_of`."""
    return len(rules.months_of(skp.starts_on, skp.ends_on, skp.year))


def _check_months(skp: Skp, period: Period) -> None:
    """A periodic rating concerns a period that shares a month with the plan's months."""
    months = rules.months_of(skp.starts_on, skp.ends_on, skp.year)
    if not period.annual and not set(period.months) & set(months):
        end = skp.ends_on.strftime("%d/%m/%Y") if skp.ends_on else f"31/12/{skp.year}"
        raise ValidationError(
            {"period": _("This plan counts no month of %(period)s (it runs %(start)s – %(end)s).")
             % {"period": period.label, "start": skp.starts_on.strftime("%d/%m/%Y"), "end": end}}
        )  # fmt: skip


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
    late_periodic = not period.annual and skp.state in AFTER_ANNUAL_STATES
    if skp.state not in RATEABLE_STATES and not late_periodic:
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


def _new_evaluation(
    skp: Skp, period: Period, results: str, behaviour: str, note: str, by: Actor, now: datetime
) -> Evaluation:
    """The rating with its suggestion (from measured achievement, kept beside the rater's
    choice) and its predicate (the year's quadrant); its months and credit points follow from
    the ledger once it is saved (:func:`ledger_refresh`)."""
    suggestion = suggestion_for(skp, period, viewer=by)
    predicate = rules.predicate_for(results, behaviour, skp.year)
    evaluation = Evaluation(
        skp=skp, period=str(period), annual=period.annual, results_rating=results,
        behaviour_rating=behaviour, suggested_results=suggestion.get("rating") or "",
        suggestion=suggestion, predicate=predicate, note=clean_text(note, "note", required=False),
        rated_by=skp.rater, recorded_by=user_of(by), rated_at=now, delivered_at=now,
    )  # fmt: skip
    evaluation.months = months_served(skp) if period.annual else len(period.months)
    return evaluation


def _after_rating(skp: Skp, evaluation: Evaluation, period: Period, by: Actor) -> None:
    """The plan moves on, the employee is told, and a predicate below Baik opens a
    development plan unless one is open."""
    if skp.state in {SkpState.APPROVED, SkpState.EVALUATING}:  # closed, rated: they stay
        transition(skp, SkpState.RATED if period.annual else SkpState.EVALUATING, by, str(period))
    notify(
        users=users_of(skp.employee),
        title=Text(
            gettext_lazy("Your predicate for %(period)s: %(predicate)s"),
            period=period.label,
            predicate=evaluation.predicate,
        ),
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
        with in_language_of(skp.employee):  # the goal is the employee's, in their language
            goal = _("Improve on the %(period)s rating") % {"period": period.label}
        development_open(
            skp=skp,
            by=by,
            goal=goal,
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
    _check_months(skp, parsed)
    head_results_required(skp, parsed, results_rating)  # a unit head's: the org predicate's
    evaluation = _new_evaluation(skp, parsed, results_rating, behaviour_rating, note, by, now)
    evaluation.save()
    ledger_refresh(evaluation)
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
