"""The performance agreement (PK) of an agency's year: its targets, set by those who manage
the agency, and its steps — submitted, agreed or returned by the head, reopened."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.core.periods import MAX_YEAR, MIN_YEAR
from kinerja.organizations.models import Agency

from .. import permissions, services
from ..forms import AgreementActionForm, TargetsForm
from ..models import Indicator, PerformanceAgreement
from ..selectors import Target, indicator_results
from .common import QUARTERS


def _snapshot_rows(targets: dict) -> list[tuple[str, Target | None, list[Target | None]]]:
    """An AgreementEvent's targets (code → stored JSON, decimals as strings) for the history."""

    def number(raw) -> Decimal | None:
        return None if raw in (None, "") else Decimal(str(raw))

    def target(value, low, high) -> Target | None:
        found = Target(number(value), number(low), number(high))
        return found if found.is_set else None

    rows = []
    for code in sorted(targets):
        item = targets[code] or {}
        quarters = {q[0]: target(*q[1:4]) for q in item.get("quarters", []) if len(q) == 4}
        rows.append(
            (
                code,
                target(item.get("value"), item.get("low"), item.get("high")),
                [quarters.get(q) for q in range(1, 5)],
            )
        )
    return rows


def _save_targets(request, form: TargetsForm, agency: Agency, year: int) -> bool:
    """Every filled row through services.targets_set, all or nothing; the refusals go on
    their rows."""
    if not form.is_valid():
        return False
    rows = form.targets()
    try:
        services.targets_set(by=request.user, agency=agency, year=year, targets=rows)
    except ValidationError as exc:
        errors_to_form(form, exc, fields=form.error_fields())
        return False
    if rows:
        messages.success(request, _("The targets have been saved and recorded."))
    else:
        messages.info(request, _("Nothing was filled in."))
    return True


def _move(request, form: AgreementActionForm, agreement, action: str) -> bool:
    """Submit, agree, return or reopen the agreement; the refusal goes on the form."""
    if not form.is_valid():
        return False
    if agreement is None:
        form.add_error(None, _("Set at least one target before submitting."))
        return False
    try:
        services.agreement_transition(
            agreement=agreement, action=action, by=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        errors_to_form(form, exc)
        return False
    messages.success(request, _("The agreement has been updated."))
    return True


def _page(request, agency, year, agreement, indicators, results, targets_form, action_form):
    user = request.user
    can_manage = permissions.can_manage(user, agency.pk)
    can_agree = agreement is not None and permissions.can_agree(user, agreement)
    events = []
    if agreement is not None:
        events = [
            (event, _snapshot_rows(event.targets))
            for event in agreement.events.select_related("by__employee").order_by("at", "pk")
        ]
    state = agreement.state if agreement else "draft"
    return render(
        request,
        "strategy/agreement.html",
        {
            "agency": agency,
            "year": year,
            "agreement": agreement,
            "state": state,
            "results": [results[ind.pk] for ind in indicators],
            "targets_form": targets_form,
            "target_rows": targets_form.rows() if targets_form else [],
            "action_form": action_form,
            "events": events,
            "can_manage": can_manage,
            "can_agree": can_agree,
            "editable": agreement is None or agreement.editable,
            "can_submit": can_manage and state in {"draft", "returned"},
            "can_decide": can_agree and state == "submitted",
            "can_reopen": can_manage and state == "agreed",
            "quarters": QUARTERS,
        },
    )


@require_http_methods(["GET", "POST"])
def agreement(request, agency: str, year: int):
    user = request.user
    agency = visible_or_404(Agency, user, code=agency.upper())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    pk_agreement = (
        PerformanceAgreement.objects.visible_to(user)
        .filter(agency=agency, year=year)
        .select_related("agreed_by__employee")
        .first()
    )
    indicators = list(
        Indicator.objects.visible_to(user).filter(agency=agency, active=True).order_by("code")
    )
    results = indicator_results(indicators, year, viewer=user)
    current = {pk: (r.target, [q.target for q in r.quarters]) for pk, r in results.items()}
    targets_form = None
    action_form = AgreementActionForm()
    action = request.POST.get("action", "") if request.method == "POST" else None
    if action == "save":
        targets_form = TargetsForm(request.POST, indicators=indicators, current=current)
        if _save_targets(request, targets_form, agency, year):
            return redirect("strategy:agreement", agency=agency.code, year=year)
    elif action in services.TRANSITIONS:
        action_form = AgreementActionForm(request.POST)
        if _move(request, action_form, pk_agreement, action):
            return redirect("strategy:agreement", agency=agency.code, year=year)
    elif action is not None:
        return HttpResponseBadRequest()
    editable = pk_agreement is None or pk_agreement.editable
    if targets_form is None and editable and permissions.can_manage(user, agency.pk):
        targets_form = TargetsForm(indicators=indicators, current=current)
    return _page(
        request, agency, year, pk_agreement, indicators, results, targets_form, action_form
    )
