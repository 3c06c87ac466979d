"""The objection to the annual predicate: filing it (the employee, within the objection period),
the rater's explanation (asked by the decider, "Minta penjelasan penilai"), and deciding it (the
rater's superior; for a JPT the region's administrator for the head of region). One page; its
POST names its ``step``: ``ask``, ``explain`` or ``decide`` (the default)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.skp.rules import skp_calendar

from .. import permissions, rules, services
from ..forms import DecisionForm, ExplanationForm, ExplanationRequestForm, ObjectionForm
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
                % {"name": _decider_name(skp)},
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
            "decider_name": _decider_name(skp),
            "rate_url": rate_url(skp.pk, evaluation.period),
        },
    )


def _decider_name(skp) -> str:
    if skp.rater_superior is not None:
        return skp.rater_superior.name
    return skp.unit.agency.region.head_title


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


def _step(request, objection: Objection, form, operation, done: str):
    """Asking for or giving the explanation: a redirect when recorded, else ``None``."""
    if not form.is_valid():
        return None
    try:
        operation(objection=objection, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        errors_to_form(form, exc, fields={"objection": None})
        return None
    messages.success(request, done)
    return redirect("evaluations:objection", objection_id=objection.pk)


def _forms(request, objection: Objection, skp) -> dict:
    """The forms this user may use on the objection now (bound to the POST of its ``step``)."""
    user, pending = request.user, not objection.decided
    step = request.POST.get("step", "decide") if request.method == "POST" else None
    deciding = pending and permissions.decides(user, objection, skp)
    may_ask = deciding and not objection.for_region_head and not objection.explanation_requested
    may_explain = (
        pending and objection.explanation_requested and not objection.explained
        and permissions.explains(user, objection, skp)
    )  # fmt: skip

    def form(cls, allowed: bool, name: str):
        if not allowed:
            return None
        return cls(
            request.POST if step == name else None, prefix=None if name == "decide" else name
        )

    return {
        "form": form(DecisionForm, deciding, "decide"),
        "ask_form": form(ExplanationRequestForm, may_ask, "ask"),
        "explain_form": form(ExplanationForm, may_explain, "explain"),
        "step": step,
    }


def _post(request, objection: Objection, forms: dict):
    step = forms["step"]
    if step == "ask" and forms["ask_form"] is not None:
        return _step(
            request, objection, forms["ask_form"], services.objection_explanation_request,
            _("The rater has been asked for an explanation."),
        )  # fmt: skip
    if step == "explain" and forms["explain_form"] is not None:
        return _step(
            request, objection, forms["explain_form"], services.objection_explain,
            _("Your explanation has been sent to the rater's superior."),
        )  # fmt: skip
    if step == "decide" and forms["form"] is not None:
        return _decide(request, objection, forms["form"])
    if objection.decided and permissions.decides(request.user, objection, objection.evaluation.skp):
        messages.error(request, _("This objection is already decided; the decision is final."))
        return redirect("evaluations:objection", objection_id=objection.pk)
    raise PermissionDenied


@require_http_methods(["GET", "POST"])
def objection(request, objection_id: int):
    user = request.user
    objection = visible_or_404(
        Objection.objects.select_related(
            "evaluation__skp__employee",
            "evaluation__skp__rater",
            "evaluation__skp__unit",
            "evaluation__rated_by",
            "decider",
            "explained_by",
        ),
        user,
        pk=objection_id,
    )
    evaluation = objection.evaluation
    skp = evaluation.skp
    forms = _forms(request, objection, skp)
    if request.method == "POST":
        done = _post(request, objection, forms)
        if done is not None:
            return done
    return render(
        request,
        "evaluations/objection.html",
        {
            "objection": objection,
            "evaluation": evaluation,
            "skp": skp,
            **forms,
            "awaiting": objection.awaits_explanation(timezone.localdate()),
            "before": objection.before,
            "rating_labels": RATING_LABELS,
            "rate_url": rate_url(skp.pk, evaluation.period),
        },
    )
