"""The role-result matrix (Matriks Peran Hasil) on a rater's own plan: hand one of my results
to many subordinates at once (the same target, or a volume each), and keep results per
subordinate position as templates to hand to all its holders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.organizations.models import Employee, Position

from .. import permissions, services
from ..forms import (
    MatrixForm,
    TemplateApplyForm,
    TemplateForm,
    filled_rows,
    iki_rows,
    indicator_errors_to_rows,
    rows_valid,
)
from ..models import ResultTemplate, Rhk, Skp
from ..selectors import plans_with_people

TEMPLATE_ROWS = "t-iki"


def _own_plan(request, pk: int) -> Skp:
    skp = visible_or_404(plans_with_people(), request.user, pk=pk)
    if not permissions.is_self(request.user, skp.employee):
        raise PermissionDenied
    return skp


def _subordinates(skp: Skp) -> list[Employee]:
    return list(
        Employee.objects.filter(rater_chain__rater_id=skp.employee_id, active=True)
        .select_related("position")
        .order_by("name")
    )


def _results(skp: Skp):
    return Rhk.objects.filter(skp=skp).order_by("-kind", "number")


def _positions(skp: Skp):
    if not skp.employee.position_id:
        return Position.objects.none()
    return (
        Position.objects.filter(reports_to_id=skp.employee.position_id)
        .select_related("unit")
        .order_by("name")
    )


def _page(request, skp: Skp, *, matrix_form=None, template_form=None, rows=None, status=200):
    user = request.user
    subordinates = _subordinates(skp)
    matrix_form = matrix_form or MatrixForm(results=_results(skp), subordinates=subordinates)
    template_form = template_form or TemplateForm(positions=_positions(skp))
    rows = rows if rows is not None else iki_rows(prefix=TEMPLATE_ROWS)[:3]
    templates = list(
        ResultTemplate.objects.visible_to(user)
        .filter(owner_id=skp.employee_id)
        .select_related("position")
        .order_by("position__name", "pk")
    )
    plans = {
        p.employee_id: p
        for p in Skp.objects.visible_to(user).filter(
            employee__in=subordinates, year=skp.year, ends_on__isnull=True
        )
    }
    supported = {}
    for rhk in (
        Rhk.objects.filter(supports__skp=skp)
        .select_related("skp__employee")
        .order_by("skp__employee__name")
    ):
        supported.setdefault(rhk.supports_id, []).append(rhk)
    results = list(_results(skp))
    return render(
        request,
        "skp/matrix.html",
        {
            "skp": skp,
            "results": [(r, supported.get(r.pk, [])) for r in results],
            "subordinates": [
                (e, plans.get(e.pk), box, volume)
                for e, box, volume in zip(
                    matrix_form.subordinates,
                    matrix_form["employees"].subwidgets,
                    matrix_form.volume_fields(),
                    strict=True,
                )
            ],
            "matrix_form": matrix_form,
            "template_form": template_form,
            "rows": rows,
            "templates": [
                (t, TemplateApplyForm(results=_results(skp), prefix=f"a{t.pk}")) for t in templates
            ],
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def matrix(request, pk: int):
    user = request.user
    skp = _own_plan(request, pk)
    if request.method == "GET":
        return _page(request, skp)
    form = MatrixForm(request.POST, results=_results(skp), subordinates=_subordinates(skp))
    if form.is_valid():
        try:
            created = services.matrix_assign(
                rhk=form.cleaned_data["rhk"], by=user, assignments=form.assignments()
            )
        except ValidationError as exc:
            errors_to_form(form, exc, fields={"volume": "employees"})
        else:
            messages.success(
                request,
                ngettext(
                    "The result has been handed to %(n)d subordinate.",
                    "The result has been handed to %(n)d subordinates.",
                    len(created),
                )
                % {"n": len(created)},
            )
            return redirect(reverse("skp:matrix", args=[skp.pk]))
    return _page(request, skp, matrix_form=form, status=400)


@require_POST
def template_save(request, pk: int):
    user = request.user
    skp = _own_plan(request, pk)
    form = TemplateForm(request.POST, positions=_positions(skp))
    rows = iki_rows(request.POST, prefix=TEMPLATE_ROWS)
    form_ok = form.is_valid()
    if rows_valid(rows) and form_ok:
        filled = filled_rows(rows)
        try:
            services.template_save(
                owner=skp.employee,
                position=form.cleaned_data["position"],
                by=user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                indicators=[item for _row, item in filled],
            )
        except ValidationError as exc:
            indicator_errors_to_rows(form, filled, exc)
        else:
            messages.success(request, _("The template has been saved."))
            return redirect(f"{reverse('skp:matrix', args=[skp.pk])}#templates")
    last = max((i for i, r in enumerate(rows) if r.errors or not _empty(r)), default=-1)
    shown = rows[: max(3, last + 1)]
    return _page(request, skp, template_form=form, rows=shown, status=400)


def _empty(row) -> bool:
    return not hasattr(row, "cleaned_data") or row.is_empty


@require_POST
def template_apply(request, pk: int, template: int):
    user = request.user
    skp = _own_plan(request, pk)
    item = visible_or_404(
        ResultTemplate.objects.select_related("owner", "position"),
        user,
        pk=template,
        owner_id=skp.employee_id,
    )
    form = TemplateApplyForm(request.POST, results=_results(skp), prefix=f"a{item.pk}")
    if form.is_valid():
        try:
            created = services.template_apply(
                template=item, year=skp.year, by=user, supports=form.cleaned_data["supports"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                ngettext(
                    "The template has been given to %(n)d holder of the position.",
                    "The template has been given to %(n)d holders of the position.",
                    len(created),
                )
                % {"n": len(created)},
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{reverse('skp:matrix', args=[skp.pk])}#templates")
