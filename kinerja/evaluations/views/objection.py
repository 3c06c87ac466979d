"""The objection to the annual predicate: filing it (the employee, within the objection period)
and deciding it (the rater's superior)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.organizations.scope import scope_for
from kinerja.skp.rules import skp_calendar

from .. import permissions, rules, services
from ..forms import DecisionForm, ObjectionForm
from ..models import Evaluation, Objection, ObjectionOutcome, Rating
from .common import rate_url

RATING_LABELS = dict(Rating.choices)


@require_http_methods(["GET", "POST"])
def objection_file(request, evaluation_id: int):
    user = request.user
    evaluation = visible_or_404(
        Evaluation.objects.select_related(
            "skp__employee", "skp__unit__agency", "skp__rater", "skp__rater_superior"
        ),
        user,
        pk=evaluation_id,
    )
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


def _decide(request, objection: Objection, form):
    """The decision: a redirect when recorded, else ``None`` (the form shows why)."""
    if not form.is_valid():
        return None
    try:
        services.objection_decide(objection=objection, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        errors_to_form(form, exc, fields={"objection": None})
        return None
    evaluation = objection.evaluation
    evaluation.refresh_from_db()
    if form.cleaned_data["outcome"] == ObjectionOutcome.CHANGED:
        text = _("The predicate has been changed to %(predicate)s; it is now final.")
    else:
        text = _("The predicate %(predicate)s has been upheld; it is now final.")
    messages.success(request, text % {"predicate": evaluation.get_predicate_display()})
    return redirect("evaluations:objection", objection_id=objection.pk)


@require_http_methods(["GET", "POST"])
def objection(request, objection_id: int):
    user = request.user
    objection = visible_or_404(
        Objection.objects.select_related(
            "evaluation__skp__employee",
            "evaluation__skp__rater",
            "evaluation__skp__unit",
            "decider",
        ),
        user,
        pk=objection_id,
    )
    evaluation = objection.evaluation
    skp = evaluation.skp
    deciding = permissions.decides(user, objection, skp)
    form = DecisionForm(request.POST or None) if deciding and not objection.decided else None
    if request.method == "POST":
        if form is None:
            if objection.decided and scope_for(user).employee_id == objection.decider_id:
                messages.error(
                    request, _("This objection is already decided; the decision is final.")
                )
                return redirect("evaluations:objection", objection_id=objection.pk)
            raise PermissionDenied
        done = _decide(request, objection, form)
        if done is not None:
            return done
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
