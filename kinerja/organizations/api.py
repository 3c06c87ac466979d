"""Read API of the organisation: agencies, units, positions, employees and their raters, and
who the caller is (``/me``, whose roles come from the organisation's scope).

Every query goes through the one door (``Model.objects.visible_to(user)``). A filter naming an
agency or unit the caller cannot see gives an empty list, exactly like a code that does not
exist, and an employee the caller may not see is "not found": the API never reveals that
something exists outside the caller's scope.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kinerja.accounts.models import Role
from kinerja.core.access import NotFound, visible_or_404
from kinerja.core.api import COMMON_ERRORS, ErrorOut, Paging, Text, code_or_none, paginate
from kinerja.core.nip import normalize_nip

from .models import Agency, Employee, Position, RaterBasis, Unit
from .scope import scope_for

router = Router(tags=["organisation"])


# --- Agencies -----------------------------------------------------------------------------------


class AgencyOut(Schema):
    code: str
    name: str
    kind: str = Field(..., description="sekretariat, dinas, badan, kecamatan or lainnya")
    head_position: str | None = Field(..., description="Code of the head's position.")


def _agency_row(agency: Agency) -> dict[str, Any]:
    return {
        "code": agency.code,
        "name": agency.name,
        "kind": agency.kind,
        "head_position": code_or_none(agency.head_position),
    }


@router.get("/agencies", response={200: list[AgencyOut], **COMMON_ERRORS}, summary="Agencies")
def agency_list(request: HttpRequest, response: HttpResponse, paging: Query[Paging]):
    """The agencies (Perangkat Daerah) the caller may see, by code."""
    agencies = (
        Agency.objects.visible_to(request.auth).select_related("head_position").order_by("code")
    )
    return paginate(request, response, agencies, paging, _agency_row)


# --- Units --------------------------------------------------------------------------------------


class UnitOut(Schema):
    code: str
    name: str
    agency: str
    parent: str | None = Field(..., description="Code of the parent unit.")


def _unit_row(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "agency": unit.agency.code,
        "parent": code_or_none(unit.parent),
    }


class UnitFilters(Schema):
    agency: Text | None = Field(None, description="Agency code")


@router.get("/units", response={200: list[UnitOut], **COMMON_ERRORS}, summary="Units")
def unit_list(
    request: HttpRequest,
    response: HttpResponse,
    paging: Query[Paging],
    filters: Query[UnitFilters],
):
    """The units the caller may see, by code; ``agency`` narrows to one agency."""
    units = Unit.objects.visible_to(request.auth).select_related("agency", "parent")
    if filters.agency:
        units = units.filter(agency__code=filters.agency)
    return paginate(request, response, units.order_by("code"), paging, _unit_row)


# --- Positions ----------------------------------------------------------------------------------


class PositionOut(Schema):
    code: str
    name: str
    kind: str = Field(..., description="jpt, administrator, pengawas, pelaksana or jf")
    level: str | None = Field(..., description="JPT level or functional jenjang, e.g. ahli_muda")
    unit: str
    agency: str
    reports_to: str | None = Field(..., description="Code of the position of the rater.")


def _position_row(position: Position) -> dict[str, Any]:
    return {
        "code": position.code,
        "name": position.name,
        "kind": position.kind,
        "level": position.level or None,
        "unit": position.unit.code,
        "agency": position.unit.agency.code,
        "reports_to": code_or_none(position.reports_to),
    }


class PositionFilters(Schema):
    agency: Text | None = Field(None, description="Agency code")
    unit: Text | None = Field(None, description="Unit code")


@router.get("/positions", response={200: list[PositionOut], **COMMON_ERRORS}, summary="Positions")
def position_list(
    request: HttpRequest,
    response: HttpResponse,
    paging: Query[Paging],
    filters: Query[PositionFilters],
):
    """The positions the caller may see, by code."""
    positions = Position.objects.visible_to(request.auth).select_related(
        "unit__agency", "reports_to"
    )
    if filters.agency:
        positions = positions.filter(unit__agency__code=filters.agency)
    if filters.unit:
        positions = positions.filter(unit__code=filters.unit)
    return paginate(request, response, positions.order_by("code"), paging, _position_row)


# --- Employees ----------------------------------------------------------------------------------


class EmployeeOut(Schema):
    nip: str
    name: str
    status: str = Field(..., description="PNS or PPPK")
    rank: str | None = Field(..., description="Golongan, e.g. III/a (PNS) or IX (PPPK)")
    agency: str
    unit: str
    position: str | None
    rater: str | None = Field(
        ..., description="NIP of the rater; null when the rater is the head of region or none."
    )
    rater_superior: str | None = Field(
        ..., description="NIP of the rater's superior; null when that is the head of region."
    )
    active: bool


class EmployeeDetailOut(EmployeeOut):
    rater_name: str | None = Field(..., description="The head of region's title when it rates.")
    rater_superior_name: str | None
    rater_basis: RaterBasis | None = Field(..., description="Why this rater (null: no chain).")
    superior_basis: RaterBasis | None


def _chain(employee: Employee):
    # The reverse one-to-one raises (an AttributeError subclass) when there is no chain row,
    # e.g. for a former employee; select_related has already cached that absence.
    return getattr(employee, "rater_chain", None)


def _nip_or_none(employee: Employee | None) -> str | None:
    return employee.nip if employee is not None else None


def _employee_row(employee: Employee) -> dict[str, Any]:
    chain = _chain(employee)
    return {
        "nip": employee.nip,
        "name": employee.name,
        "status": employee.status.upper(),
        "rank": employee.rank or None,
        "agency": employee.unit.agency.code,
        "unit": employee.unit.code,
        "position": code_or_none(employee.position),
        "rater": _nip_or_none(chain.rater) if chain else None,
        "rater_superior": _nip_or_none(chain.rater_superior) if chain else None,
        "active": employee.active,
    }


def _name_of(person: Employee | None, basis: str | None, region_head: str) -> str | None:
    if person is not None:
        return person.name
    if basis == RaterBasis.REGION_HEAD:
        return region_head
    return None


def _employee_detail(employee: Employee) -> dict[str, Any]:
    chain = _chain(employee)
    region_head = employee.unit.agency.region.head_title
    row = _employee_row(employee)
    row.update(
        rater_name=_name_of(chain.rater, chain.rater_basis, region_head) if chain else None,
        rater_superior_name=(
            _name_of(chain.rater_superior, chain.superior_basis, region_head) if chain else None
        ),
        rater_basis=chain.rater_basis if chain else None,
        superior_basis=chain.superior_basis if chain else None,
    )
    return row


EMPLOYEE_RELATED = (
    "unit__agency",
    "position",
    "rater_chain__rater",
    "rater_chain__rater_superior",
)


class EmployeeFilters(Schema):
    agency: Text | None = Field(None, description="Agency code")
    unit: Text | None = Field(None, description="Unit code")
    q: Text | None = Field(None, description="Part of the name, or the start of the NIP")
    active: bool | None = Field(None, description="true: current employees; false: former")


def _employee_filter(employees, filters: EmployeeFilters):
    if filters.agency:
        employees = employees.filter(unit__agency__code=filters.agency)
    if filters.unit:
        employees = employees.filter(unit__code=filters.unit)
    text = (filters.q or "").strip()
    if text:
        match = Q(name__icontains=text)
        digits = normalize_nip(text)
        if digits.isdigit():
            match |= Q(nip__startswith=digits)
        employees = employees.filter(match)
    if filters.active is not None:
        employees = employees.filter(active=filters.active)
    return employees


@router.get("/employees", response={200: list[EmployeeOut], **COMMON_ERRORS}, summary="Employees")
def employee_list(
    request: HttpRequest,
    response: HttpResponse,
    paging: Query[Paging],
    filters: Query[EmployeeFilters],
):
    """The employees the caller may see, by name: an employee sees themselves and their
    raters; a rater whom they rate; agency heads and performance administrators their agency;
    regional administrators and auditors everyone."""
    employees = Employee.objects.visible_to(request.auth).select_related(*EMPLOYEE_RELATED)
    employees = _employee_filter(employees, filters).order_by("name", "nip")
    return paginate(request, response, employees, paging, _employee_row)


@router.get(
    "/employees/{nip}",
    response={200: EmployeeDetailOut, 404: ErrorOut, **COMMON_ERRORS},
    summary="One employee, with the rater chain",
)
def employee_detail(request: HttpRequest, nip: str):
    """One employee by NIP, with who rates them and why. An employee outside the caller's
    scope is "not found", exactly like a NIP that does not exist."""
    value = normalize_nip(nip)
    if not (value.isascii() and value.isdigit()):
        raise NotFound(_("Employee not found."))
    employee = visible_or_404(
        Employee.objects.select_related(*EMPLOYEE_RELATED, "unit__agency__region"),
        request.auth,
        not_found=_("Employee not found."),
        nip=value,
    )
    return _employee_detail(employee)


# --- Who am I -----------------------------------------------------------------------------------


class MeOut(Schema):
    username: str
    employee: str | None
    name: str
    roles: list[str]


@router.get(
    "/me",
    response={200: MeOut, **COMMON_ERRORS},
    tags=["accounts"],
    summary="Who am I",
    operation_id="kinerja_api_me",
)
def me(request: HttpRequest):
    """The caller: username, NIP (for an employee), name and roles (derived and assigned)."""
    user = request.auth
    roles = scope_for(user).roles
    return {
        "username": user.username,
        "employee": user.employee.nip if user.employee_id else None,
        "name": user.display_name,
        "roles": [role.value for role in Role if role in roles],
    }
