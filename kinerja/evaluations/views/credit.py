"""The credit-point ledger of a functional employee (``evaluations:credit``,
``/penilaian/angka-kredit/<nip>/``): the year's entries, the base (the latest PAK) with a form
for the Pengelola Kinerja to record a new one, the running total and what the jenjang needs;
and the PAK document (konversi predikat kinerja ke angka kredit) as PDF
(``evaluations:credit_pdf``). Read by whoever may see the employee (404 for anyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.core.access import visible_or_404
from kinerja.core.forms import errors_to_form
from kinerja.core.periods import year_filter
from kinerja.organizations.models import Employee
from kinerja.skp.documents import safe_filename
from kinerja.skp.documents.common import DOCUMENT_LANGUAGE
from kinerja.skp.permissions import is_administrator
from kinerja.skp.views.documents import pdf_response

from .. import permissions, services
from ..forms import CreditBaseForm
from ..ledger import CreditLedger, credit_ledger


def _employee(request, nip: str) -> Employee:
    """The person whose ledger it is: looked up through the one door, and 404 like a missing
    one for those who may look the person up but not see their credit points."""
    employee = visible_or_404(
        Employee.objects.select_related("position", "unit__agency__region"), request.user, nip=nip
    )
    if not permissions.sees_credit(request.user, employee):
        raise Http404
    return employee


def _functional(employee: Employee) -> bool:
    return employee.position is not None and employee.position.kind == "jf"


@require_http_methods(["GET", "POST"])
def credit(request, nip: str):
    user = request.user
    employee = _employee(request, nip)
    year = year_filter(request.GET.get("year"))
    may_set = _functional(employee) and is_administrator(user, employee)
    if request.method == "POST" and not may_set:
        raise PermissionDenied
    form = CreditBaseForm(request.POST or None) if may_set else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            base = services.credit_base_set(employee=employee, by=user, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("The PAK %(number)s of %(name)s is recorded.")
                % {"number": base.pak_number, "name": employee.name},
            )
            return redirect(f"{reverse('evaluations:credit', args=[nip])}?year={year}")
    return render(
        request,
        "evaluations/credit.html",
        {
            "employee": employee,
            "year": year,
            "ledger": credit_ledger(employee, year),
            "functional": _functional(employee),
            "form": form,
        },
    )


def credit_html(ledger: CreditLedger) -> str:
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(
            "evaluations/documents/credit.html",
            {"ledger": ledger, "employee": ledger.employee, "today": timezone.localdate()},
        )


@require_GET
def credit_pdf(request, nip: str):
    """``?year=YYYY``: the konversi predikat kinerja ke angka kredit of the year."""
    employee = _employee(request, nip)
    year = year_filter(request.GET.get("year"))
    html = credit_html(credit_ledger(employee, year))
    return pdf_response(request, html, safe_filename(f"angka-kredit-{employee.nip}-{year}", "pdf"))
