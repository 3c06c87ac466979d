"""What a user may see and change: computed once per request from roles and the rater chain.

This is the single source of the product's access rules. Each model's ``visible_to(user)`` and
``editable_by(user)`` (the "one door") and each app's ``permissions`` ask :func:`scope_for`;
nothing else decides access. What an account's role assignments grant on their own (Admin
BKPSDM, Auditor, the agencies of a Pengelola Kinerja) is read by
:func:`kinerja.accounts.permissions.assigned_roles`, which the identity operations of accounts
use too; the scope adds what follows from the organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from kinerja.accounts.models import SCOPE_MEMO, Role, User
from kinerja.accounts.permissions import assigned_roles, signed_in
from kinerja.core.actors import Actor, is_system

from . import models as org


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    roles: frozenset[str] = frozenset()
    #: every agency, read (Admin BKPSDM, Auditor)
    region_read: bool = False
    #: every agency, change (Admin BKPSDM)
    region_write: bool = False
    #: agencies read whole (Pimpinan Instansi, Pengelola Kinerja)
    agencies_read: frozenset[int] = frozenset()
    #: agencies whose organisation data may be changed (Pengelola Kinerja)
    agencies_managed: frozenset[int] = frozenset()
    #: the signed-in person's own employee record and agency
    employee_id: int | None = None
    own_agency_id: int | None = None
    #: the person's rater and rater's superior (employee ids)
    my_raters: frozenset[int] = field(default_factory=frozenset)
    #: agencies this person leads, as holder or acting official of the head position
    agencies_headed: frozenset[int] = frozenset()

    @property
    def agencies_seen(self) -> frozenset[int]:
        """Agencies whose structure (units, positions) this person may look at."""
        own = {self.own_agency_id} if self.own_agency_id else set()
        return self.agencies_read | own

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def can_audit(self) -> bool:
        return self.region_read

    @property
    def can_import(self) -> bool:
        return self.region_write or bool(self.agencies_managed)


EMPTY = Scope()
#: The installation itself (console commands, scheduled jobs, the demo loader): the rights of
#: the region's administrator, no employee's.
SYSTEM_SCOPE = Scope(roles=frozenset({Role.ADMIN_BKPSDM}), region_read=True, region_write=True)


def scope_for(user: Actor | None) -> Scope:
    """The scope of ``user``, memoised on the user object for the rest of the request."""
    if not signed_in(user):
        return EMPTY
    if is_system(user):
        return SYSTEM_SCOPE
    cached: Scope | None = getattr(user, SCOPE_MEMO, None)
    if cached is not None:
        return cached
    scope = _compute(user)
    setattr(user, SCOPE_MEMO, scope)
    return scope


def forget_scope(user: User | None) -> None:
    """Drop the memoised scope (after a change to the user's roles or position)."""
    if user is not None:
        user.forget_scope()


def _compute(user: User) -> Scope:
    assigned = assigned_roles(user)
    employee = None
    if user.employee_id:
        employee = (
            org.Employee.objects.filter(pk=user.employee_id, active=True)
            .select_related("unit")
            .first()
        )
    own_agency_id = employee.unit.agency_id if employee else None
    # An agency role follows the person: it counts only while they work in that agency.
    managed = frozenset(
        agency_id
        for agency_id in assigned.agency_assignments
        if user.employee_id is None or agency_id == own_agency_id
    )
    roles = set(assigned.region_roles)
    if managed:
        roles.add(Role.PENGELOLA_KINERJA)
    person = _as_employee(employee) if employee is not None else _Person()
    return Scope(
        user_id=user.pk,
        roles=frozenset(roles | person.roles),
        region_read=assigned.region_read,
        region_write=assigned.region_write,
        agencies_read=managed | person.headed,
        agencies_managed=managed,
        employee_id=employee.pk if employee else None,
        own_agency_id=own_agency_id,
        my_raters=person.my_raters,
        agencies_headed=person.headed,
    )


@dataclass(frozen=True)
class _Person:
    """What being an employee adds to a scope: the derived roles, the agencies headed (as
    holder or acting official of the head position) and one's own rater chain."""

    roles: frozenset[str] = frozenset()
    headed: frozenset[int] = frozenset()
    my_raters: frozenset[int] = frozenset()


def _as_employee(employee: org.Employee) -> _Person:
    roles = {Role.PEGAWAI}
    head_of = Q(head_position__acting__employee=employee, head_position__acting__ended_at=None)
    if employee.position_id:
        head_of |= Q(head_position_id=employee.position_id)
    headed = frozenset(org.Agency.objects.filter(head_of).values_list("pk", flat=True))
    if headed:
        roles.add(Role.PIMPINAN_INSTANSI)
    counts = org.RaterChain.objects.aggregate(
        rates=Count("pk", filter=Q(rater=employee)),
        above=Count("pk", filter=Q(rater_superior=employee)),
    )
    if counts["rates"]:
        roles.add(Role.PEJABAT_PENILAI)
    if counts["above"]:
        roles.add(Role.ATASAN_PEJABAT_PENILAI)
    chain = (
        org.RaterChain.objects.filter(employee=employee)
        .values_list("rater_id", "rater_superior_id")
        .first()
    )
    my_raters = frozenset(pk for pk in chain if pk) if chain else frozenset()
    return _Person(roles=frozenset(roles), headed=headed, my_raters=my_raters)
