"""Organisation pages: the tree, the directory, a profile with its rater chain, and the
forms that change an employee, a rater or an acting official."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.core.models import AuditRecord
from kinerja.organizations.scope import scope_for

from . import services
from .changeset import Row, apply_rows
from .forms import EMPLOYEE_COLUMN_FIELDS, ActingForm, EmployeeForm, RaterOverrideForm
from .models import ActingOfficial, Agency, Employee, Position, RaterOverride
from .selectors import (
    employee_for,
    org_tree,
    rater_chain_for,
    search_employees,
)

DIRECTORY_PAGE_SIZE = 50


@require_GET
def tree(request):
    agencies = list(Agency.objects.visible_to(request.user).order_by("name"))
    if not agencies:
        raise PermissionDenied
    wanted = request.GET.get("agency", "").upper()
    scope = scope_for(request.user)
    default = next((a for a in agencies if a.pk == scope.own_agency_id), agencies[0])
    agency = next((a for a in agencies if a.code == wanted), None) if wanted else default
    if agency is None:
        raise Http404
    return render(
        request,
        "organizations/tree.html",
        {
            "agencies": agencies,
            "agency": agency,
            "roots": org_tree(request.user, agency),
            "can_edit": Position.objects.editable_by(request.user)
            .filter(unit__agency=agency)
            .exists(),
        },
    )


@require_GET
def directory(request):
    text = request.GET.get("q", "")[:100]
    agency = request.GET.get("agency", "")[:40]
    rated_by_me = request.GET.get("rated_by") == "me"
    qs = search_employees(request.user, text=text, agency=agency, rated_by_me=rated_by_me)
    page = Paginator(qs, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organizations/directory.html",
        {
            "page": page,
            "q": text,
            "agency": agency.upper(),
            "agencies": Agency.objects.visible_to(request.user).order_by("name"),
            "query": query.urlencode(),
            "can_add": scope_for(request.user).can_import,
        },
    )


@require_GET
def me(request):
    scope = scope_for(request.user)
    if scope.employee_id is None:
        raise Http404
    employee = Employee.objects.get(pk=scope.employee_id)
    return redirect("organizations:profile", nip=employee.nip)


@require_GET
def profile(request, nip: str):
    employee = employee_for(request.user, nip)
    if employee is None:
        raise Http404
    user = request.user
    editable = Employee.objects.editable_by(user).filter(pk=employee.pk).exists()
    scope = scope_for(user)
    context = {
        "employee": employee,
        "chain": rater_chain_for(user, employee),
        "editable": editable,
        "override": RaterOverride.objects.filter(employee=employee, ended_at=None)
        .select_related("rater")
        .first(),
        "acting_in": list(
            ActingOfficial.objects.filter(employee=employee, ended_at=None).select_related(
                "position"
            )
        ),
        "rates": list(
            Employee.objects.visible_to(user)
            .filter(rater_chain__rater=employee)
            .select_related("position")
            .order_by("name")[:100]
        ),
        "account": getattr(employee, "user", None) if editable else None,
        "is_me": scope.employee_id == employee.pk,
        "can_assign_roles": scope.region_write,
    }
    if scope.can_audit:
        context["history"] = list(
            AuditRecord.objects.filter(
                object_type="organizations.employee", object_id=employee.nip
            ).order_by("-seq")[:10]
        )
    return render(request, "organizations/profile.html", context)


def _editable_employee(request, nip: str) -> Employee:
    employee = employee_for(request.user, nip)
    if employee is None:
        raise Http404
    if not Employee.objects.editable_by(request.user).filter(pk=employee.pk).exists():
        raise PermissionDenied
    return employee


def _save_employee(request, form: EmployeeForm) -> bool:
    """Hand the form's row to the changeset; show its errors on the form's fields."""
    outcome = apply_rows(rows={"employees": [Row(None, form.as_row())]}, by=request.user)
    for error in outcome.errors:
        form.add_error(EMPLOYEE_COLUMN_FIELDS.get(error.column), error.message)
    return outcome.ok


@require_http_methods(["GET", "POST"])
def employee_create(request):
    if not scope_for(request.user).can_import:
        raise PermissionDenied
    form = EmployeeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and _save_employee(request, form):
        messages.success(request, _("The employee has been added."))
        return redirect("organizations:profile", nip=form.cleaned_data["nip"])
    return render(request, "organizations/employee_form.html", {"form": form, "employee": None})


@require_http_methods(["GET", "POST"])
def employee_edit(request, nip: str):
    employee = _editable_employee(request, nip)
    initial = {
        "nip": employee.nip,
        "name": employee.name,
        "status": employee.status,
        "rank": employee.rank,
        "unit": employee.unit_id,
        "position": employee.position_id,
        "email": employee.email,
        "active": employee.active,
    }
    form = EmployeeForm(request.POST or None, user=request.user, employee=employee, initial=initial)
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, _("Nothing was changed."))
            return redirect("organizations:profile", nip=employee.nip)
        if _save_employee(request, form):
            messages.success(request, _("The changes have been saved and recorded."))
            return redirect("organizations:profile", nip=employee.nip)
    return render(request, "organizations/employee_form.html", {"form": form, "employee": employee})


def _apply_service_errors(form, exc: ValidationError, fields: dict[str, str]) -> None:
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(fields.get(key), errors)
    else:
        form.add_error(None, exc.messages)


@require_http_methods(["GET", "POST"])
def rater_override(request, nip: str):
    employee = _editable_employee(request, nip)
    current = (
        RaterOverride.objects.filter(employee=employee, ended_at=None)
        .select_related("rater")
        .first()
    )
    if request.method == "POST" and request.POST.get("action") == "end":
        if current is None:
            messages.info(request, _("There is no override to end."))
        else:
            services.override_end(override=current)
            messages.success(request, _("The override has ended; the position tree decides again."))
        return redirect("organizations:profile", nip=employee.nip)
    form = RaterOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rater = employee_for(request.user, form.cleaned_data["rater_nip"].replace(" ", ""))
        if rater is None:
            form.add_error("rater_nip", _("No employee with this NIP is visible to you."))
        else:
            try:
                services.override_start(
                    employee=employee,
                    rater=rater,
                    reason=form.cleaned_data["reason"],
                    ends_on=form.cleaned_data["ends_on"],
                )
            except ValidationError as exc:
                _apply_service_errors(
                    form, exc, {"rater": "rater_nip", "reason": "reason", "ends_on": "ends_on"}
                )
            else:
                messages.success(request, _("The rater has been set and recorded."))
                return redirect("organizations:profile", nip=employee.nip)
    return render(
        request,
        "organizations/rater_override_form.html",
        {"form": form, "employee": employee, "current": current},
    )


@require_http_methods(["GET", "POST"])
def acting(request, code: str):
    position = (
        Position.objects.visible_to(request.user)
        .filter(code=code.upper())
        .select_related("unit__agency")
        .first()
    )
    if position is None:
        raise Http404
    if not Position.objects.editable_by(request.user).filter(pk=position.pk).exists():
        raise PermissionDenied
    current = (
        ActingOfficial.objects.filter(position=position, ended_at=None)
        .select_related("employee")
        .first()
    )
    if request.method == "POST" and request.POST.get("action") == "end":
        if current is None:
            messages.info(request, _("There is no acting official to end."))
        else:
            services.acting_end(acting=current)
            messages.success(request, _("The acting assignment has ended."))
        return redirect(f"{_tree_url(position)}")
    form = ActingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        official = employee_for(request.user, form.cleaned_data["employee_nip"].replace(" ", ""))
        if official is None:
            form.add_error("employee_nip", _("No employee with this NIP is visible to you."))
        else:
            try:
                services.acting_start(
                    position=position,
                    employee=official,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    ends_on=form.cleaned_data["ends_on"],
                )
            except ValidationError as exc:
                _apply_service_errors(
                    form,
                    exc,
                    {
                        "employee": "employee_nip",
                        "kind": "kind",
                        "reason": "reason",
                        "ends_on": "ends_on",
                        "position": None,
                    },
                )
            else:
                messages.success(request, _("The acting official has been recorded."))
                return redirect(_tree_url(position))
    return render(
        request,
        "organizations/acting_form.html",
        {"form": form, "position": position, "current": current},
    )


def _tree_url(position: Position) -> str:
    from django.urls import reverse

    tree_url = reverse("organizations:tree")
    return f"{tree_url}?agency={position.unit.agency.code}#position-{position.code}"
