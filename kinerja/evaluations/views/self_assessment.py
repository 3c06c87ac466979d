"""The employee's self-assessment of a period, written before the rating (the rater sees it on
the rating screen)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.core.periods import Period

from .. import permissions, services
from ..forms import SelfAssessmentForm
from ..models import Evaluation, SelfAssessment
from ..selectors import rating_values
from .common import plan_url, plans_for_rating, rate_url


@require_http_methods(["GET", "POST"])
def self_assessment(request, skp_id: int, period: Period):
    user = request.user
    skp = visible_or_404(plans_for_rating(), user, pk=skp_id)
    if period.year != skp.year:
        raise Http404
    if not permissions.is_self(user, skp.employee):
        raise PermissionDenied
    current = SelfAssessment.objects.filter(skp=skp, period=str(period)).first()
    initial = None
    if current:
        initial = {
            "text": current.text,
            "results_rating": current.results_rating,
            "behaviour_rating": current.behaviour_rating,
        }
    rated = Evaluation.objects.filter(skp=skp, period=str(period)).exists()
    form = SelfAssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assess(skp=skp, by=user, period=str(period), **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc, fields={"period": None})
        else:
            messages.success(
                request,
                _(
                    "Your self-assessment for %(period)s has been saved; "
                    "your rater sees it when rating."
                )
                % {"period": period.label},
            )
            return redirect("evaluations:self_assessment", skp_id=skp.pk, period=str(period))
    return render(
        request,
        "evaluations/self_assessment.html",
        {
            "skp": skp,
            "period": period,
            "form": form,
            "current": current,
            "rated": rated,
            "values": rating_values(skp, period, viewer=user),
            "plan_url": plan_url(skp.pk),
            "rate_url": rate_url(skp.pk, period),
        },
    )
