"""An indicator (IKI) filled from service data: the employee (or the agency's performance
administrator) binds it to a metric of a stream — counting the employee's own cases or the
whole unit's — or stops the binding, while the plan is a draft or returned.

The page only parses, calls and renders: the plan comes through ``Skp.objects.visible_to``
(404 otherwise), the indicator through that plan (404 otherwise); ``services.iki_bind``
decides who may change the binding (403) and checks it (``streams.bindings.binding_check``),
its ``ValidationError`` going back on the field it names.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form

from .. import permissions, services
from ..forms import IkiBindingForm
from ..models import Iki
from ..selectors import plans_with_people
from .common import error_messages, not_editable, plan_url


@require_http_methods(["GET", "POST"])
def iki_binding(request, pk: int, iki: int):
    user = request.user
    skp = visible_or_404(plans_with_people(), user, pk=pk)
    indicator = visible_or_404(
        Iki.objects.select_related("rhk", "binding__stream", "binding__unit"),
        user,
        rhk__skp=skp,
        pk=iki,
    )
    # The same rule services.iki_bind applies, so that a page nobody may use is not shown.
    if not permissions.can_edit(user, skp):
        raise PermissionDenied
    if not skp.editable:
        return not_editable(request, skp)
    back = plan_url(skp, f"iki-{indicator.pk}")
    if request.method == "POST" and "stop" in request.POST:
        try:
            services.iki_bind(iki=indicator, by=user, binding=None)
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("The indicator is no longer filled from service data."))
        return redirect(back)
    data = request.POST if request.method == "POST" else None
    form = IkiBindingForm(data, user=user, skp=skp, binding=indicator.binding)
    if data is not None and form.is_valid():
        try:
            services.iki_bind(iki=indicator, by=user, binding=form.binding())
        except ValidationError as exc:
            errors_to_form(form, exc, fields=IkiBindingForm.SERVICE_FIELDS)
        else:
            messages.success(
                request,
                _("The indicator is now filled from service data: %(stream)s, %(metric)s.")
                % {
                    "stream": indicator.binding.stream.code,
                    "metric": indicator.binding.get_metric_display(),
                },
            )
            return redirect(back)
    return render(
        request,
        "skp/iki_binding.html",
        {
            "skp": skp,
            "iki": indicator,
            "form": form,
            "streams": list(form.fields["stream"].queryset),
        },
        status=400 if form.errors else 200,
    )
