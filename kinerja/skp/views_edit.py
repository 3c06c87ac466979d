"""Changing a plan while it is a draft (or returned): the approach and the attachment, the
results with their indicators; and the rater's special expectations per core value."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.forms import errors_to_form
from kinerja.strategy.models import Indicator

from . import permissions, services
from .forms import (
    AttachmentForm,
    ExpectationsForm,
    RhkForm,
    filled_rows,
    iki_initial,
    iki_rows,
    indicator_errors_to_rows,
    rows_valid,
)
from .models import EDITABLE_STATES, Rhk, Skp, SkpState
from .rules import behaviour_values
from .views import error_messages, plan_or_404, plan_url


def _editable_plan(request, pk: int, *, content: bool = False) -> Skp:
    """A plan the user may see (404) and change (403); a plan no longer in draft sends the
    user back to its page with the reason."""
    skp = plan_or_404(request.user, pk, content=content)
    if not permissions.can_edit(request.user, skp):
        raise PermissionDenied
    return skp


def _not_editable(request, skp: Skp):
    messages.error(
        request,
        _("The plan is %(state)s; only a draft or a returned plan can change.")
        % {"state": skp.get_state_display()},
    )
    return redirect("skp:detail", pk=skp.pk)


# --- The attachment and the approach ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def attachment(request, pk: int):
    skp = _editable_plan(request, pk)
    if not skp.editable:
        return _not_editable(request, skp)
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
    if skp.rater_id is None:
        return Rhk.objects.none()
    return (
        Rhk.objects.filter(skp__employee_id=skp.rater_id, skp__year=skp.year)
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
        return _not_editable(request, skp)
    return _rhk_form(request, skp, None)


def _rhk_or_404(skp: Skp, rhk_pk: int) -> Rhk:
    rhk = Rhk.objects.filter(skp=skp, pk=rhk_pk).first()
    if rhk is None:
        raise Http404
    return rhk


@require_http_methods(["GET", "POST"])
def rhk_edit(request, pk: int, rhk: int):
    skp = _editable_plan(request, pk)
    result = _rhk_or_404(skp, rhk)
    if not skp.editable:
        return _not_editable(request, skp)
    return _rhk_form(request, skp, result)


@require_POST
def rhk_delete(request, pk: int, rhk: int):
    skp = _editable_plan(request, pk)
    result = _rhk_or_404(skp, rhk)
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
    skp = plan_or_404(user, pk, content=True)
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
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_expectations(form, skp, current, user)
    ):
        messages.success(request, _("The expectations have been saved."))
        return redirect(plan_url(skp, "behaviour"))
    return render(
        request,
        "skp/expectations_form.html",
        {"skp": skp, "form": form},
        status=400 if form.errors else 200,
    )


class _Undo(Exception):
    """Rolls every expectation back when one is refused (all or nothing)."""


def _save_expectations(form: ExpectationsForm, skp: Skp, current: dict, user) -> bool:
    try:
        with transaction.atomic():
            failed = False
            for value, text in form.texts():
                if text.strip() == current.get(value.pk, ""):
                    continue
                try:
                    services.expectation_set(skp=skp, value=value, text=text, by=user)
                except ValidationError as exc:
                    failed = True
                    errors_to_form(form, exc, fields={"text": f"value-{value.pk}"})
            if failed:
                raise _Undo
    except _Undo:
        return False
    return True
