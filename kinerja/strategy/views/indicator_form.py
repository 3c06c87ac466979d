"""The indicator form: creating an indicator of an agency, changing one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.core.periods import this_year
from kinerja.organizations.models import Agency

from .. import permissions, services
from ..forms import IndicatorForm
from ..models import Indicator
from .common import INDICATOR_RELATED, indicator_url


def _indicator_form(request, agency: Agency, indicator: Indicator | None):
    if not permissions.can_manage(request.user, agency.pk):
        raise PermissionDenied  # the page is the form: only for those who may use it
    form = IndicatorForm(request.POST or None, instance=indicator, agency=agency, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.INDICATOR_FIELDS}
        try:
            saved = services.indicator_save(
                by=request.user,
                agency=agency,
                values=values,
                indicator=indicator,
                binding=form.binding(),
            )
        except ValidationError as exc:
            errors_to_form(form, exc, fields=IndicatorForm.BINDING_FORM_FIELDS)
        else:
            messages.success(request, _("The indicator has been saved and recorded."))
            return redirect(indicator_url(saved, this_year()))
    return render(
        request,
        "strategy/indicator_form.html",
        {"form": form, "agency": agency, "indicator": indicator},
    )


@require_http_methods(["GET", "POST"])
def indicator_create(request, agency: str):
    agency = visible_or_404(Agency, request.user, code=agency.upper())
    return _indicator_form(request, agency, None)


@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk: int):
    indicator = visible_or_404(
        Indicator.objects.select_related(*INDICATOR_RELATED), request.user, pk=pk
    )
    return _indicator_form(request, indicator.agency, indicator)
