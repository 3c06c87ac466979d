"""Changing a plan while it is a draft (or returned): the approach and the attachment, the
results with their indicators; and the rater's special expectations per core value."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.strategy.models import Indicator

from .. import permissions, services
from ..forms import (
    AttachmentForm,
    ExpectationsForm,
    RhkForm,
    filled_rows,
    iki_initial,
    iki_rows,
    indicator_errors_to_rows,
    rows_valid,
)
from ..models import EDITABLE_STATES, Rhk, Skp, SkpState
from ..rules import behaviour_values
from ..selectors import plans_with_content, plans_with_people
from .common import error_messages, not_editable, plan_url


def _editable_plan(request, pk: int) -> Skp:
    """A plan the user may see (404) and change (403); a plan no longer in draft sends the
    user back to its page with the reason."""
    skp = visible_or_404(plans_with_people(), request.user, pk=pk)
    if not permissions.can_edit(request.user, skp):
        raise PermissionDenied
    return skp


# --- The attachment and the approach ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def attachment(request, pk: int):
    skp = _editable_plan(request, pk)
    if not skp.editable:
        return not_editable(request, skp)
    initial = {name: getattr(skp, name) for name in services.ATTACHMENT_FIELDS}
    form = AttachmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.skp_update(skp=skp, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The plan has been saved."))
            return redirect(plan_url(skp, "attachment"))
    return render(
        request,
        "skp/attachment_form.html",
        {"skp": skp, "form": form},
        status=400 if form.errors else 200,
    )


# --- Results ------------------------------------------------------------------------------------


def _supports_choices(skp: Skp):
    """The results of the rater's plan of the same year (the service checks the same)."""
    return (
        Rhk.objects.supportable_for(skp)
        .select_related("skp")
        .order_by("skp__starts_on", "kind", "number")
    )


def _indicator_choices(request, skp: Skp):
    return (
        Indicator.objects.visible_to(request.user)
        .filter(agency_id=skp.unit.agency_id, active=True)
        .order_by("code")
    )


def _rhk_form(request, skp: Skp, rhk: Rhk | None):
    editing = rhk is not None
    initial = None
    rows_initial = None
    if editing:
        initial = {
            "text": rhk.text,
            "supports": rhk.supports_id,
            "indicator": rhk.indicator_id,
            "perspective": rhk.perspective,
        }
        rows_initial = [iki_initial(i) for i in rhk.indicators.order_by("number")]
    data = request.POST if request.method == "POST" else None
    form = RhkForm(
        data,
        initial=initial,
        supports_qs=_supports_choices(skp),
        indicator_qs=_indicator_choices(request, skp),
        jpt=skp.is_jpt,
        editing=editing,
    )
    rows = iki_rows(data, initial=rows_initial)
    if data is not None:
        form_ok = form.is_valid()
        if rows_valid(rows) and form_ok:
            filled = filled_rows(rows)
            values = {
                "text": form.cleaned_data["text"],
                "supports": form.cleaned_data.get("supports"),
                "indicator": form.cleaned_data.get("indicator"),
                "perspective": form.cleaned_data.get("perspective", ""),
                "indicators": [item for _row, item in filled],
            }
            try:
                if editing:
                    services.rhk_update(rhk=rhk, by=request.user, **values)
                else:
                    rhk = services.rhk_add(
                        skp=skp, by=request.user, kind=form.cleaned_data["kind"], **values
                    )
            except ValidationError as exc:
                indicator_errors_to_rows(form, filled, exc)
            else:
                messages.success(request, _("The work result has been saved."))
                return redirect(plan_url(skp, f"rhk-{rhk.pk}"))
    return render(
        request,
        "skp/rhk_form.html",
        {"skp": skp, "rhk": rhk, "form": form, "rows": rows},
        status=400 if data is not None else 200,
    )


@require_http_methods(["GET", "POST"])
def rhk_add(request, pk: int):
    skp = _editable_plan(request, pk)
    if not skp.editable:
        return not_editable(request, skp)
    return _rhk_form(request, skp, None)


@require_http_methods(["GET", "POST"])
def rhk_edit(request, pk: int, rhk: int):
    skp = _editable_plan(request, pk)
    result = visible_or_404(Rhk, request.user, skp=skp, pk=rhk)
    if not skp.editable:
        return not_editable(request, skp)
    return _rhk_form(request, skp, result)


@require_POST
def rhk_delete(request, pk: int, rhk: int):
    skp = _editable_plan(request, pk)
    result = visible_or_404(Rhk, request.user, skp=skp, pk=rhk)
    try:
        services.rhk_delete(rhk=result, by=request.user)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect(plan_url(skp, f"rhk-{result.pk}"))
    messages.success(request, _("The work result has been removed."))
    return redirect(plan_url(skp, "results"))


# --- The rater's special expectations -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def expectations(request, pk: int):
    user = request.user
    skp = visible_or_404(plans_with_content(), user, pk=pk)
    if not permissions.rates_plan(user, skp):
        raise PermissionDenied
    if skp.state not in EDITABLE_STATES | {SkpState.SUBMITTED}:
        messages.error(
            request,
            _("The plan is %(state)s; expectations are written before it is approved.")
            % {"state": skp.get_state_display()},
        )
        return redirect("skp:detail", pk=skp.pk)
    values = behaviour_values(skp.year)
    current = {e.value_id: e.text for e in skp.expectations.all()}
    form = ExpectationsForm(request.POST or None, values=values, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.expectations_set(skp=skp, by=user, expectations=dict(form.texts()))
        except ValidationError as exc:
            errors_to_form(form, exc, fields={v.code: f"value-{v.pk}" for v in values})
        else:
            messages.success(request, _("The expectations have been saved."))
            return redirect(plan_url(skp, "behaviour"))
    return render(
        request,
        "skp/expectations_form.html",
        {"skp": skp, "form": form},
        status=400 if form.errors else 200,
    )
