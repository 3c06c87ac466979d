"""Correcting a recorded rating ("Koreksi penilaian", ``/penilaian/evaluasi/<id>/koreksi/``),
the corrections a rating shows, and the confirmation step every rating and correction passes
before it is recorded: the form's first POST shows what will be recorded ("Record" posts it
again with ``confirm=1``; "Back" returns to the form); only the confirmed POST calls the
operation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.core.periods import ALL_KINDS, parse_period

from .. import lifecycle, permissions, rules, services
from ..forms import CorrectionForm
from ..models import Evaluation, Objection, Predicate, Rating
from .common import rate_url

RATING_LABELS = dict(Rating.choices)
PREDICATE_LABELS = dict(Predicate.choices)


# --- The confirmation step ---------------------------------------------------------------------


def confirmed(request: HttpRequest) -> bool:
    """The POST confirms what the summary showed (and is not "Back")."""
    return request.POST.get("confirm") == "1" and not going_back(request)


def going_back(request: HttpRequest) -> bool:
    return bool(request.POST.get("back"))


def confirmation(
    request: HttpRequest, form: Form, *, year: int, heading: str, submit: str, text_field: str
) -> HttpResponse:
    """The summary of a valid rating or correction form, to confirm before it is recorded."""
    data = form.cleaned_data
    predicate = rules.predicate_for(data["results_rating"], data["behaviour_rating"], year)
    return render(
        request,
        "evaluations/confirm.html",
        {
            "heading": heading,
            "results": RATING_LABELS[data["results_rating"]],
            "behaviour": RATING_LABELS[data["behaviour_rating"]],
            "predicate": PREDICATE_LABELS.get(predicate, predicate),
            "text_label": form.fields[text_field].label,
            "text": data.get(text_field) or "",
            "hidden": [(name, value) for name, value in data.items() if value],
            "submit": submit,
        },
    )


# --- The corrections a rating shows ------------------------------------------------------------


@dataclass
class CorrectionRow:
    at: datetime
    by: str
    reason: str
    before: str
    after: str


def _ratings_text(snapshot: dict) -> str:
    return _("results %(results)s, behaviour %(behaviour)s, predicate %(predicate)s") % {
        "results": RATING_LABELS.get(snapshot.get("results", ""), "—"),
        "behaviour": RATING_LABELS.get(snapshot.get("behaviour", ""), "—"),
        "predicate": PREDICATE_LABELS.get(snapshot.get("predicate", ""), "—"),
    }


def correction_rows(evaluation: Evaluation | None) -> list[CorrectionRow]:
    """The corrections of ``evaluation``, oldest first (one query)."""
    if evaluation is None:
        return []
    return [
        CorrectionRow(
            c.at,
            c.by.name if c.by else _("the head of region"),
            c.reason,
            _ratings_text(c.before),
            _ratings_text(c.after),
        )
        for c in evaluation.corrections.select_related("by").order_by("at", "pk")
    ]


def may_correct_now(user, evaluation: Evaluation) -> bool:
    """Whether ``user`` may correct ``evaluation`` today (an objection aside)."""
    skp = evaluation.skp
    period = parse_period(evaluation.period, kinds=ALL_KINDS)
    closed = lifecycle.period_window(skp, period).closed
    return permissions.may_correct(user, skp, after_deadline=closed)


# --- The page --------------------------------------------------------------------------------


def _correct(request: HttpRequest, evaluation: Evaluation, form: Form) -> HttpResponse | None:
    """The summary to confirm, or the redirect once recorded; ``None``: the form again."""
    if not form.is_valid() or going_back(request):
        return None
    skp = evaluation.skp
    if not confirmed(request):
        return confirmation(
            request, form, year=skp.year, heading=_("Correct the rating"),
            submit=_("Record the correction"), text_field="reason",
        )  # fmt: skip
    try:
        services.evaluation_correct(evaluation=evaluation, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        errors_to_form(form, exc)
        return None
    messages.success(request, _("The correction is recorded; the employee is notified."))
    return redirect(rate_url(skp.pk, evaluation.period))


@require_http_methods(["GET", "POST"])
def correction(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    evaluation = visible_or_404(
        Evaluation.objects.select_related("skp__employee", "skp__unit__agency", "skp__rater"),
        request.user,
        pk=evaluation_id,
    )
    if not may_correct_now(request.user, evaluation):
        raise PermissionDenied
    objected = Objection.objects.filter(evaluation=evaluation).exists()
    initial = {
        "results_rating": evaluation.results_rating,
        "behaviour_rating": evaluation.behaviour_rating,
    }
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and not objected:
        done = _correct(request, evaluation, form)
        if done is not None:
            return done
    skp = evaluation.skp
    return render(
        request,
        "evaluations/correction.html",
        {
            "evaluation": evaluation,
            "skp": skp,
            "form": None if objected else form,
            "objected": objected,
            "corrections": correction_rows(evaluation),
            "rate_url": rate_url(skp.pk, evaluation.period),
        },
    )
