"""The rating screen (everything the rating rests on, then the rater's choice), the employee's
self-assessment for a period, and the objection to the annual predicate with its decision.

The rating screen makes a bounded number of queries whatever the number of results,
indicators, evidence files or feedback messages (tests assert it)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.forms import errors_to_form
from kinerja.core.periods import Period
from kinerja.organizations.scope import scope_for
from kinerja.skp import permissions
from kinerja.skp.models import BehaviourExpectation, BehaviourValue, Rhk, Skp, SkpEvidence
from kinerja.skp.rules import behaviour_values, skp_calendar

from . import rules, selectors, services
from .forms import DecisionForm, ObjectionForm, RatingForm, SelfAssessmentForm
from .models import (
    DevelopmentPlan,
    DevelopmentState,
    Evaluation,
    Feedback,
    FeedbackRole,
    Objection,
    ObjectionOutcome,
    Rating,
    Rhythm,
    SelfAssessment,
)
from .periods import KIND_OF_RHYTHM
from .views import period_or_404, plan_url, rate_url, skp_or_404

RATING_LABELS = dict(Rating.choices)


# --- Threads of feedback ----------------------------------------------------------------------


@dataclass
class Thread:
    root: Feedback
    replies: list[Feedback] = field(default_factory=list)


def threads_of(feedback: list[Feedback]) -> tuple[dict, dict]:
    """Threads keyed by result id and by value id; a reply joins the thread of its root."""
    by_pk = {f.pk: f for f in feedback}
    roots: dict[int, Thread] = {}
    for item in feedback:
        if item.parent_id is None:
            roots[item.pk] = Thread(item)
    for item in feedback:
        if item.parent_id is None:
            continue
        root = item
        seen = set()
        while root.parent_id is not None and root.parent_id in by_pk and root.pk not in seen:
            seen.add(root.pk)
            root = by_pk[root.parent_id]
        if root.pk in roots:
            roots[root.pk].replies.append(item)
    by_rhk, by_value = defaultdict(list), defaultdict(list)
    for thread in roots.values():
        if thread.root.rhk_id:
            by_rhk[thread.root.rhk_id].append(thread)
        elif thread.root.value_id:
            by_value[thread.root.value_id].append(thread)
    return by_rhk, by_value


def feedback_of(skp: Skp) -> list[Feedback]:
    return list(
        Feedback.objects.filter(skp=skp).select_related("author").order_by("created_at", "pk")
    )


# --- The rating screen --------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    value: selectors.IkiValue
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


def _number(raw) -> Decimal | None:
    try:
        return Decimal(raw) if raw not in (None, "") else None
    except (InvalidOperation, TypeError, ValueError):
        return None


def _suggestion_view(suggestion: dict) -> dict:
    """The stored suggestion (strings, as kept in JSON) with numbers to show localised."""
    rating = suggestion.get("rating")
    view = {**suggestion, "label": RATING_LABELS.get(rating, "") if rating else ""}
    for key in ("mean_pct", "above_from", "meets_from", "cap"):
        view[key] = _number(suggestion.get(key))
    return view


def _rating_context(request, skp: Skp, period: Period) -> dict:
    user = request.user
    results = list(Rhk.objects.filter(skp=skp).order_by("kind", "number"))
    values = selectors.iki_values(skp, period, viewer=user)
    evidence = defaultdict(list)
    for item in SkpEvidence.objects.filter(skp=skp, period=str(period)).order_by("uploaded_at"):
        evidence[item.iki_id].append(item)
    by_rhk_indicators = defaultdict(list)
    for value in values:
        by_rhk_indicators[value.iki.rhk_id].append(
            IndicatorRow(value, evidence.get(value.iki.pk, []))
        )
    by_rhk, by_value = threads_of(feedback_of(skp))
    blocks = [
        ResultBlock(r, by_rhk_indicators.get(r.pk, []), by_rhk.get(r.pk, [])) for r in results
    ]
    expectations = {e.value_id: e.text for e in BehaviourExpectation.objects.filter(skp=skp)}
    value_blocks = []
    for value in behaviour_values(skp.year):
        threads = by_value.get(value.pk, [])
        tags = Counter(
            t.root.tag
            for t in threads
            if t.root.author_role in {FeedbackRole.PEER, FeedbackRole.SUBORDINATE}
        )
        value_blocks.append(ValueBlock(value, expectations.get(value.pk, ""), threads, dict(tags)))
    assessment = SelfAssessment.objects.filter(skp=skp, period=str(period)).first()
    return {
        "blocks": blocks,
        "value_blocks": value_blocks,
        "assessment": assessment,
        "iki_values": values,
    }


def _may_rate_period(skp: Skp, period: Period) -> str:
    """Why the form is not offered (empty: it is)."""
    if period.start > timezone.localdate():
        return _("This period has not begun yet.")
    if skp.state not in services.RATEABLE_STATES:
        return _("The plan is %(state)s; an approved plan is rated.") % {
            "state": skp.get_state_display()
        }
    if not period.annual:
        rhythm = services.rhythm_of(skp.unit.agency, skp.year)
        if period.kind != KIND_OF_RHYTHM[rhythm]:
            return _("%(agency)s evaluates %(rhythm)s; %(period)s is not such a period.") % {
                "agency": skp.unit.agency.name,
                "rhythm": Rhythm(rhythm).label,
                "period": period.label,
            }
    return ""


@require_http_methods(["GET", "POST"])
def rate(request, skp_id: int, period: str):
    user = request.user
    skp = skp_or_404(user, skp_id)
    parsed = period_or_404(period, skp.year)
    is_rater = permissions.rates_plan(user, skp)
    evaluation = (
        Evaluation.objects.filter(skp=skp, period=str(parsed))
        .select_related("objection", "rated_by")
        .first()
    )
    blocked = "" if evaluation else _may_rate_period(skp, parsed)
    form = None
    if is_rater and evaluation is None:
        form = RatingForm(request.POST or None)
    if request.method == "POST":
        if form is None:
            if not is_rater:
                raise PermissionDenied
            messages.error(request, _("%(period)s is already rated.") % {"period": parsed.label})
            return redirect(rate_url(skp.pk, parsed))
        if form.is_valid():
            try:
                evaluation = services.evaluation_rate(
                    skp=skp, by=user, period=str(parsed), **form.cleaned_data
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is rated for %(period)s: %(predicate)s.")
                    % {
                        "name": skp.employee.name,
                        "period": parsed.label,
                        "predicate": evaluation.get_predicate_display(),
                    },
                )
                curve = selectors.unit_curve(skp.unit, str(parsed))
                for warning in curve.warnings:
                    messages.warning(request, warning.message)
                return redirect(rate_url(skp.pk, parsed))
    context = _rating_context(request, skp, parsed)
    suggestion = (
        evaluation.suggestion
        if evaluation and evaluation.suggestion
        else selectors.suggestion_for(skp, parsed, viewer=user, values=context["iki_values"])
    )
    curve = selectors.unit_curve(skp.unit, str(parsed))
    objection = getattr(evaluation, "objection", None) if evaluation else None
    cal = skp_calendar(skp.year)
    objection_deadline = None
    objection_open = False
    if evaluation is not None and evaluation.annual and evaluation.delivered_at:
        objection_deadline = rules.objection_deadline(evaluation.delivered_at, cal.objection_days)
        objection_open = objection is None and rules.objection_open(
            evaluation.delivered_at, timezone.now(), cal.objection_days
        )
    development = (
        DevelopmentPlan.objects.filter(skp=skp)
        .exclude(state=DevelopmentState.CLOSED)
        .order_by("-created_at")
        .first()
    )
    is_employee = permissions.is_self(user, skp.employee)
    context.update(
        {
            "skp": skp,
            "period": parsed,
            "evaluation": evaluation,
            "form": form,
            "blocked": blocked,
            "is_rater": is_rater,
            "is_employee": is_employee,
            "suggestion": _suggestion_view(suggestion),
            "curve": curve,
            "objection": objection,
            "objection_deadline": objection_deadline,
            "objection_open": objection_open and is_employee,
            "objection_days": cal.objection_days,
            "development": development,
            "plan_url": plan_url(skp.pk),
            "may_develop": is_employee or is_rater or permissions.can_administer(user, skp),
            "feedback_url": reverse("evaluations:feedback", args=[skp.pk]),
            "self_url": reverse("evaluations:self_assessment", args=[skp.pk, str(parsed)]),
        }
    )
    return render(request, "evaluations/rate.html", context)


# --- Self-assessment ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def self_assessment(request, skp_id: int, period: str):
    user = request.user
    skp = skp_or_404(user, skp_id)
    parsed = period_or_404(period, skp.year)
    if not permissions.is_self(user, skp.employee):
        raise PermissionDenied
    current = SelfAssessment.objects.filter(skp=skp, period=str(parsed)).first()
    rated = Evaluation.objects.filter(skp=skp, period=str(parsed)).exists()
    initial = (
        {
            "text": current.text,
            "results_rating": current.results_rating,
            "behaviour_rating": current.behaviour_rating,
        }
        if current
        else None
    )
    form = SelfAssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assess(skp=skp, by=user, period=str(parsed), **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc, fields={"period": None})
        else:
            messages.success(
                request,
                _(
                    "Your self-assessment for %(period)s has been saved; "
                    "your rater sees it when rating."
                )
                % {"period": parsed.label},
            )
            return redirect("evaluations:self_assessment", skp_id=skp.pk, period=str(parsed))
    values = selectors.iki_values(skp, parsed, viewer=user)
    return render(
        request,
        "evaluations/self_assessment.html",
        {
            "skp": skp,
            "period": parsed,
            "form": form,
            "current": current,
            "rated": rated,
            "values": values,
            "plan_url": plan_url(skp.pk),
            "rate_url": rate_url(skp.pk, parsed),
        },
    )


# --- Objection ----------------------------------------------------------------------------------


def _evaluation_or_404(user, pk: int) -> Evaluation:
    evaluation = (
        Evaluation.objects.visible_to(user)
        .select_related("skp__employee", "skp__unit__agency", "skp__rater", "skp__rater_superior")
        .filter(pk=pk)
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


@require_http_methods(["GET", "POST"])
def objection_file(request, evaluation_id: int):
    user = request.user
    evaluation = _evaluation_or_404(user, evaluation_id)
    skp = evaluation.skp
    if not permissions.is_self(user, skp.employee):
        raise PermissionDenied
    existing = Objection.objects.filter(evaluation=evaluation).first()
    if existing is not None:
        messages.info(
            request, _("You have already objected to this predicate; the decision is final.")
        )
        return redirect("evaluations:objection", objection_id=existing.pk)
    cal = skp_calendar(skp.year)
    deadline = (
        rules.objection_deadline(evaluation.delivered_at, cal.objection_days)
        if evaluation.annual and evaluation.delivered_at
        else None
    )
    is_open = evaluation.annual and rules.objection_open(
        evaluation.delivered_at, timezone.now(), cal.objection_days
    )
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection = services.objection_file(evaluation=evaluation, by=user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Your objection has been sent to %(name)s, who decides it.")
                % {"name": skp.rater_superior.name if skp.rater_superior else "—"},
            )
            return redirect("evaluations:objection", objection_id=objection.pk)
    return render(
        request,
        "evaluations/objection_file.html",
        {
            "evaluation": evaluation,
            "skp": skp,
            "form": form,
            "deadline": deadline,
            "is_open": is_open,
            "days": cal.objection_days,
            "rate_url": rate_url(skp.pk, evaluation.period),
        },
    )


@require_http_methods(["GET", "POST"])
def objection(request, objection_id: int):
    user = request.user
    objection = (
        Objection.objects.filter(evaluation__in=Evaluation.objects.visible_to(user).values("pk"))
        .select_related(
            "evaluation__skp__employee",
            "evaluation__skp__rater",
            "evaluation__skp__unit",
            "decider",
        )
        .filter(pk=objection_id)
        .first()
    )
    if objection is None:
        raise Http404
    evaluation = objection.evaluation
    skp = evaluation.skp
    me = scope_for(user).employee_id
    may_decide = (
        me is not None
        and me == objection.decider_id
        and me != skp.employee_id
        and not objection.decided
    )
    form = DecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST":
        if form is None:
            if objection.decided and me == objection.decider_id:
                messages.error(
                    request, _("This objection is already decided; the decision is final.")
                )
                return redirect("evaluations:objection", objection_id=objection.pk)
            raise PermissionDenied
        if form.is_valid():
            try:
                services.objection_decide(objection=objection, by=user, **form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(form, exc, fields={"objection": None})
            else:
                evaluation.refresh_from_db()
                if form.cleaned_data["outcome"] == ObjectionOutcome.CHANGED:
                    text = _("The predicate has been changed to %(predicate)s; it is now final.")
                else:
                    text = _("The predicate %(predicate)s has been upheld; it is now final.")
                messages.success(request, text % {"predicate": evaluation.get_predicate_display()})
                return redirect("evaluations:objection", objection_id=objection.pk)
    return render(
        request,
        "evaluations/objection.html",
        {
            "objection": objection,
            "evaluation": evaluation,
            "skp": skp,
            "form": form,
            "before": objection.before,
            "rating_labels": RATING_LABELS,
            "rate_url": rate_url(skp.pk, evaluation.period),
        },
    )
