"""The agency's rhythm of periodic evaluation (``/penilaian/ritme/``): what it is, its
history, and setting it from a year on."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.core.periods import year_filter
from kinerja.organizations.models import Agency
from kinerja.organizations.scope import scope_for
from kinerja.skp.rhythm import Rhythm, periods_of, rhythm_of

from .. import permissions, services
from ..forms import RhythmForm


def _settable(user) -> list[Agency]:
    """The agencies whose rhythm ``user`` may set, by name."""
    agencies = Agency.objects.visible_to(user).order_by("name")
    return [agency for agency in agencies if permissions.may_set_rhythm(user, agency)]


def _agency(request, settable: list[Agency]) -> Agency:
    """The agency asked for by its code, else the person's own, else the first they may set
    (the region's administrator has no agency of their own); 404 if none they may see."""
    code = request.GET.get("agency", "").strip().upper()
    if code:
        return visible_or_404(Agency, request.user, code=code)
    own = scope_for(request.user).own_agency_id
    if own is not None and (own in {a.pk for a in settable} or not settable):
        return visible_or_404(Agency, request.user, pk=own)
    if not settable:
        raise Http404
    return settable[0]


@require_http_methods(["GET", "POST"])
def rhythm(request):
    user = request.user
    settable = _settable(user)
    agency = _agency(request, settable)
    if not permissions.may_set_rhythm(user, agency):
        raise PermissionDenied
    year = year_filter(request.GET.get("year"))
    current = rhythm_of(agency, year)
    form = RhythmForm(request.POST or None, initial={"year": year, "rhythm": current})
    if request.method == "POST" and form.is_valid():
        try:
            row = services.rhythm_set(agency=agency, by=user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("%(agency)s now evaluates %(rhythm)s from %(year)s.")
                % {
                    "agency": agency.name,
                    "rhythm": Rhythm(row.rhythm).label,
                    "year": row.valid_from,
                },
            )
            return redirect(
                f"{reverse('evaluations:rhythm')}?agency={agency.code}&year={row.valid_from}"
            )
    return render(
        request,
        "evaluations/rhythm.html",
        {
            "agency": agency,
            "year": year,
            "current": Rhythm(current).label,
            "periods": periods_of(current, year),
            "form": form,
            "history": list(agency.rhythms.order_by("-valid_from")),
            "agencies": settable if len(settable) > 1 else [],
        },
    )
