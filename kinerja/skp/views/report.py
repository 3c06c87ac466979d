"""Through the year: the values of each indicator per period of the agency's rhythm (typed in
or measured from service data, with their provenance), entering a realisation, uploading
evidence."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.core.notifications import safe_link

from .. import permissions, services
from ..forms import EvidenceForm, RealisationForm
from ..models import Iki, IkiRealisation, Skp
from ..rhythm import agency_periods
from ..selectors import period_table, plans_with_content


def _open_periods(periods) -> list[tuple[str, str]]:
    today = timezone.localdate()
    return [(str(p), p.label) for p in periods if p.start <= today]


def _may_report(user, skp: Skp) -> bool:
    return skp.state in services.LIVE_STATES and permissions.can_report(user, skp)


def _indicators(skp: Skp, *, manual_only: bool):
    queryset = (
        Iki.objects.filter(rhk__skp=skp)
        .select_related("rhk")
        .order_by("-rhk__kind", "rhk__number", "number")
    )
    return queryset.filter(binding__isnull=True) if manual_only else queryset


def _page(request, skp: Skp, *, realisation_form=None, evidence_form=None):
    user = request.user
    periods, rows = period_table(skp, user, evidence=True)
    can_report = _may_report(user, skp)
    open_periods = _open_periods(periods)
    if can_report and open_periods:
        initial = {"period": open_periods[-1][0]}
        realisation_form = realisation_form or RealisationForm(
            indicators=_indicators(skp, manual_only=True), periods=open_periods, initial=initial
        )
        evidence_form = evidence_form or EvidenceForm(
            indicators=_indicators(skp, manual_only=False),
            periods=open_periods,
            max_mb=settings.KINERJA_MAX_EVIDENCE_MB,
            initial=initial,
        )
    # A refused form is shown with its errors even when the plan takes no entries now.
    failed = bool(
        (realisation_form is not None and realisation_form.errors)
        or (evidence_form is not None and evidence_form.errors)
    )
    return render(
        request,
        "skp/realisation.html",
        {
            "skp": skp,
            "periods": periods,
            "rows": rows,
            "can_report": can_report or failed,
            "can_verify": permissions.rates_plan(user, skp),
            "realisation_form": realisation_form,
            "evidence_form": evidence_form,
        },
        status=400 if failed else 200,
    )


@require_GET
def realisation(request, pk: int):
    skp = visible_or_404(plans_with_content(), request.user, pk=pk)
    return _page(request, skp)


def _reporting_plan(request, pk: int) -> tuple[Skp, list]:
    skp = visible_or_404(plans_with_content(), request.user, pk=pk)
    if not permissions.can_report(request.user, skp):
        raise PermissionDenied
    return skp, _open_periods(agency_periods(skp.unit.agency, skp.year))


def _realisation_url(skp: Skp, iki: Iki) -> str:
    return f"{reverse('skp:realisation', args=[skp.pk])}#iki-{iki.pk}"


@require_POST
def realisation_add(request, pk: int):
    user = request.user
    skp, periods = _reporting_plan(request, pk)
    form = RealisationForm(
        request.POST, indicators=_indicators(skp, manual_only=True), periods=periods
    )
    if form.is_valid():
        iki = form.cleaned_data["iki"]
        try:
            services.realisation_record(
                iki=iki,
                period=form.cleaned_data["period"],
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                by=user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc, fields={"state": "__all__"})
        else:
            messages.success(request, _("The realisation has been recorded."))
            return redirect(_realisation_url(skp, iki))
    return _page(request, skp, realisation_form=form)


@require_POST
def evidence_add(request, pk: int):
    user = request.user
    skp, periods = _reporting_plan(request, pk)
    form = EvidenceForm(
        request.POST,
        request.FILES,
        indicators=_indicators(skp, manual_only=False),
        periods=periods,
        max_mb=settings.KINERJA_MAX_EVIDENCE_MB,
    )
    if form.is_valid():
        iki = form.cleaned_data["iki"]
        try:
            services.evidence_add(
                iki=iki,
                period=form.cleaned_data["period"],
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                by=user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The evidence has been stored."))
            return redirect(_realisation_url(skp, iki))
    return _page(request, skp, evidence_form=form)


@require_POST
def realisation_verify(request, pk: int):
    """The plan's rater accepts a value awaiting verification (``decision=verify``) or returns
    it with a note (``decision=return``); back to ``next`` (a path of this site) with the
    outcome, or the refusal, as a message."""
    realisation = get_object_or_404(
        IkiRealisation.objects.select_related("iki__rhk"),
        pk=pk,
        iki__in=Iki.objects.visible_to(request.user),  # seen through its plan
    )
    accept = request.POST.get("decision") != "return"
    try:
        services.realisation_verify(
            realisation=realisation,
            by=request.user,
            accept=accept,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The value has been verified; it counts now.")
            if accept
            else _("The value has been returned to the employee."),
        )
    skp_id = realisation.iki.rhk.skp_id
    fallback = f"{reverse('skp:realisation', args=[skp_id])}#iki-{realisation.iki_id}"
    return redirect(safe_link(request.POST.get("next", "")) or fallback)
