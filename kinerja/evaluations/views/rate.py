"""The rating screen (``/penilaian/skp/<id>/<period>/``): everything the rating rests on — what
each indicator reached with its evidence, the feedback per result and core value, the
employee's self-assessment, the suggested rating, the unit's curve — then the rater's choice,
and afterwards the rating with its objection period.

It makes a bounded number of queries whatever the number of results, indicators, evidence
files or feedback messages (tests assert it)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.core.periods import Period
from kinerja.skp.models import BehaviourExpectation, BehaviourValue, Rhk, Skp, SkpEvidence
from kinerja.skp.rhythm import Rhythm, fits_rhythm, rhythm_of
from kinerja.skp.rules import behaviour_values, skp_calendar
from kinerja.skp.selectors import IkiValue

from .. import lifecycle, permissions, rules, selectors, services
from ..models import (
    DevelopmentPlan,
    DevelopmentState,
    Evaluation,
    FeedbackRole,
    Rating,
    SelfAssessment,
)
from ..selectors import Thread, feedback_of, threads_of
from .common import plan_url, plans_for_rating, rate_url
from .correction import confirmation, confirmed, correction_rows, going_back, may_correct_now
from .suggestion import rating_form, suggestion_view

RATING_LABELS = dict(Rating.choices)


@dataclass
class IndicatorRow:
    value: IkiValue
    evidence: list[SkpEvidence]


@dataclass
class ResultBlock:
    rhk: Rhk
    indicators: list[IndicatorRow]
    threads: list[Thread]


@dataclass
class ValueBlock:
    value: BehaviourValue
    expectation: str
    threads: list[Thread]
    input: dict  # peer/subordinate tags counted: {"appreciation": n, "improvement": m}


def _value_blocks(skp: Skp, by_value: dict) -> list[ValueBlock]:
    """Each core value with the leader's expectation, its threads and the tags of peers and
    subordinates counted."""
    expectations = {e.value_id: e.text for e in BehaviourExpectation.objects.filter(skp=skp)}
    blocks = []
    for value in behaviour_values(skp.year):
        threads = by_value.get(value.pk, [])
        tags = Counter(
            t.root.tag
            for t in threads
            if t.root.author_role in {FeedbackRole.PEER, FeedbackRole.SUBORDINATE}
        )
        blocks.append(ValueBlock(value, expectations.get(value.pk, ""), threads, dict(tags)))
    return blocks


def _rating_context(request, skp: Skp, period: Period) -> dict:
    results = list(Rhk.objects.filter(skp=skp).order_by("kind", "number"))
    values = selectors.rating_values(skp, period, viewer=request.user)
    evidence = defaultdict(list)
    for item in SkpEvidence.objects.filter(skp=skp, period=str(period)).order_by("uploaded_at"):
        evidence[item.iki_id].append(item)
    by_rhk_indicators = defaultdict(list)
    for value in values:
        by_rhk_indicators[value.iki.rhk_id].append(
            IndicatorRow(value, evidence.get(value.iki.pk, []))
        )
    by_rhk, by_value = threads_of(feedback_of(skp))
    return {
        "blocks": [
            ResultBlock(r, by_rhk_indicators.get(r.pk, []), by_rhk.get(r.pk, [])) for r in results
        ],
        "value_blocks": _value_blocks(skp, by_value),
        "assessment": SelfAssessment.objects.filter(skp=skp, period=str(period)).first(),
        "iki_values": values,
        "may_verify": permissions.rates_plan(request.user, skp),
    }


def _opens(win: lifecycle.PeriodWindow) -> str:
    return _("Rating of %(period)s opens on %(date)s.") % {
        "period": win.period.label,
        "date": lifecycle.day(win.opens_on),
    }


def _may_rate_period(skp: Skp, period: Period) -> str:
    """Why the rating is refused (empty: it is not)."""
    win = lifecycle.period_window(skp, period)
    if win.upcoming:
        return _opens(win)
    if skp.state not in services.RATEABLE_STATES:
        return _("The plan is %(state)s; an approved plan is rated.") % {
            "state": skp.get_state_display()
        }
    if not fits_rhythm(skp.unit.agency, period):
        return _("%(agency)s evaluates %(rhythm)s; %(period)s is not such a period.") % {
            "agency": skp.unit.agency.name,
            "rhythm": Rhythm(rhythm_of(skp.unit.agency, skp.year)).label,
            "period": period.label,
        }
    return ""


def _objection_window(evaluation: Evaluation | None, objection, cal) -> tuple:
    """(the last moment to object, whether one may object now) of an annual rating."""
    if evaluation is None or not evaluation.annual or not evaluation.delivered_at:
        return None, False
    deadline = rules.objection_deadline(evaluation.delivered_at, cal.objection_days)
    is_open = objection is None and rules.objection_open(
        evaluation.delivered_at, timezone.now(), cal.objection_days
    )
    return deadline, is_open


def _rate(request, skp: Skp, period: Period, form):
    """The rater's choice: first the summary to confirm, then (``confirm=1``) a redirect to the
    rating when stored (with the curve's warnings); ``None``: the form again (it shows why)."""
    if not form.is_valid() or going_back(request):
        return None
    blocked = _may_rate_period(skp, period)
    if blocked:
        form.add_error(None, blocked)
        return None
    try:  # a unit head's results rating is the organisation predicate's: said before confirming
        selectors.head_results_required(skp, period, form.cleaned_data["results_rating"])
    except ValidationError as exc:
        errors_to_form(form, exc)
        return None
    if not confirmed(request):
        return confirmation(
            request, form, year=skp.year, heading=_("Record the rating"),
            submit=_("Record the rating"), text_field="note",
        )  # fmt: skip
    try:
        evaluation = services.evaluation_rate(
            skp=skp, by=request.user, period=str(period), **form.cleaned_data
        )
    except ValidationError as exc:
        errors_to_form(form, exc)
        return None
    messages.success(
        request,
        _("%(name)s is rated for %(period)s: %(predicate)s.")
        % {
            "name": skp.employee.name,
            "period": period.label,
            "predicate": evaluation.get_predicate_display(),
        },
    )
    for warning in selectors.unit_curve(skp.unit, str(period)).warnings:
        messages.warning(request, warning.message)
    return redirect(rate_url(skp.pk, period))


def _screen(request, skp: Skp, period: Period, evaluation, form, is_rater: bool) -> dict:
    """What the rating screen shows besides the rating's own context."""
    user = request.user
    context = _rating_context(request, skp, period)
    suggestion = (
        evaluation.suggestion
        if evaluation and evaluation.suggestion
        else selectors.suggestion_for(skp, period, viewer=user, values=context["iki_values"])
    )
    objection = getattr(evaluation, "objection", None) if evaluation else None
    cal = skp_calendar(skp.year)
    deadline, is_open = _objection_window(evaluation, objection, cal)
    is_employee = permissions.is_self(user, skp.employee)
    development = (
        DevelopmentPlan.objects.filter(skp=skp)
        .exclude(state=DevelopmentState.CLOSED)
        .order_by("-created_at")
        .first()
    )
    return {
        **context,
        "skp": skp,
        "period": period,
        "evaluation": evaluation,
        "form": form,
        "blocked": "" if evaluation else _may_rate_period(skp, period),
        "is_rater": is_rater,
        "is_employee": is_employee,
        "suggestion": suggestion_view(suggestion),
        "curve": selectors.unit_curve(skp.unit, str(period)),
        "may_watch_curve": permissions.may_watch_unit(request.user, skp.unit),
        "objection": objection,
        "objection_deadline": deadline,
        "objection_open": is_open and is_employee,
        "objection_days": cal.objection_days,
        "development": development,
        "corrections": correction_rows(evaluation),
        "correction_url": reverse("evaluations:correction", args=[evaluation.pk])
        if evaluation and objection is None and may_correct_now(user, evaluation)
        else None,
        "plan_url": plan_url(skp.pk),
        "may_develop": permissions.may_develop(user, skp),
        "feedback_url": reverse("evaluations:feedback", args=[skp.pk]),
        "self_url": reverse("evaluations:self_assessment", args=[skp.pk, str(period)]),
    }


@require_http_methods(["GET", "POST"])
def rate(request, skp_id: int, period: Period):
    user = request.user
    skp = visible_or_404(plans_for_rating(), user, pk=skp_id)
    if period.year != skp.year:
        raise Http404
    is_rater = permissions.rates_plan(user, skp)
    evaluation = (
        Evaluation.objects.filter(skp=skp, period=str(period))
        .select_related("objection", "rated_by")
        .first()
    )
    upcoming = lifecycle.period_window(skp, period).upcoming
    offered = is_rater and evaluation is None and not upcoming
    form = rating_form(request.POST or None, skp, period) if offered else None
    if request.method == "POST":
        if form is None:
            if not is_rater:
                raise PermissionDenied
            refused = _("%(period)s is already rated.") % {"period": period.label}
            messages.error(request, _may_rate_period(skp, period) if upcoming else refused)
            return redirect(rate_url(skp.pk, period))
        done = _rate(request, skp, period, form)
        if done is not None:
            return done
    return render(
        request, "evaluations/rate.html", _screen(request, skp, period, evaluation, form, is_rater)
    )
