"""Queries that read the organisation, always through the one door of each model
(``Model.objects.visible_to(user)``; look one object up with
:func:`kinerja.core.access.visible_or_404`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from kinerja.accounts.models import User
from kinerja.core.models import AuditRecord

from .models import ActingOfficial, Agency, Employee, Position, RaterBasis, RaterChain, Region, Unit
from .scope import scope_for


def allowed_agency_codes(user) -> set[str] | None:
    """Agency codes whose organisation ``user`` may change (``None``: every agency)."""
    scope = scope_for(user)
    if scope.region_write:
        return None
    return set(Agency.objects.filter(pk__in=scope.agencies_managed).values_list("code", flat=True))


def accounts_visible_to(user) -> QuerySet[User]:
    """The one door to accounts: an employee's account as far as ``user`` may see the employee,
    and the accounts that belong to no employee (administrators, auditors, service users —
    they hold no personal data; only the regional administrator may change them)."""
    return User.objects.filter(
        Q(employee__isnull=True) | Q(employee__in=Employee.objects.visible_to(user))
    ).select_related("employee")


def search_employees(
    user, *, text: str = "", agency: str = "", unit: str = "", rated_by_me: bool = False
) -> QuerySet[Employee]:
    qs = Employee.objects.visible_to(user).select_related("unit__agency", "position")
    text = " ".join(text.split())
    if text:
        digits = text.replace(" ", "")
        condition = Q(name__icontains=text) | Q(position__name__icontains=text)
        if digits.isdigit():
            condition |= Q(nip__startswith=digits)
        qs = qs.filter(condition)
    if agency:
        qs = qs.filter(unit__agency__code=agency.upper())
    if unit:
        qs = qs.filter(unit__code=unit.upper())
    if rated_by_me:
        me = scope_for(user).employee_id
        qs = qs.filter(rater_chain__rater_id=me) if me else qs.none()
    return qs.order_by("name", "nip")


@dataclass
class ChainLink:
    """One step of a rater chain as shown to people."""

    employee: Employee | None
    basis: str
    visible: bool
    title: str = ""

    @property
    def basis_label(self) -> str:
        return RaterBasis(self.basis).label if self.basis in RaterBasis.values else self.basis


def rater_chain_for(user, employee: Employee) -> tuple[ChainLink, ChainLink] | None:
    chain = (
        RaterChain.objects.filter(employee=employee)
        .select_related("rater__position", "rater_superior__position")
        .first()
    )
    if chain is None:
        return None
    region = Region.objects.first()
    head_title = region.head_title if region else ""
    visible = set(
        Employee.objects.visible_to(user)
        .filter(pk__in=[pk for pk in (chain.rater_id, chain.rater_superior_id) if pk])
        .values_list("pk", flat=True)
    )

    def link(person: Employee | None, basis: str) -> ChainLink:
        title = head_title if basis == RaterBasis.REGION_HEAD else ""
        return ChainLink(person, basis, person is not None and person.pk in visible, title)

    return link(chain.rater, chain.rater_basis), link(chain.rater_superior, chain.superior_basis)


@dataclass
class TreeUnit:
    unit: Unit
    positions: list[TreePosition] = field(default_factory=list)
    children: list[TreeUnit] = field(default_factory=list)


@dataclass
class TreePosition:
    position: Position
    holders: list[Employee] = field(default_factory=list)
    hidden_holders: int = 0
    acting: ActingOfficial | None = None


def org_tree(user, agency: Agency) -> list[TreeUnit]:
    """The units of ``agency`` as a tree, with positions and the holders ``user`` may see.

    Five queries whatever the size of the agency."""
    units = list(Unit.objects.visible_to(user).filter(agency=agency).order_by("code"))
    positions = list(
        Position.objects.visible_to(user).filter(unit__agency=agency).select_related("reports_to")
    )
    holders = Employee.objects.filter(unit__agency=agency, active=True, position__isnull=False)
    visible_ids = set(
        Employee.objects.visible_to(user).filter(unit__agency=agency).values_list("pk", flat=True)
    )
    acting = {
        a.position_id: a
        for a in ActingOfficial.objects.filter(
            ended_at=None, position__unit__agency=agency
        ).select_related("employee")
    }
    by_position: dict[int, TreePosition] = {
        p.pk: TreePosition(p, acting=acting.get(p.pk)) for p in positions
    }
    for employee in holders.order_by("name"):
        node = by_position.get(employee.position_id)
        if node is None:
            continue
        if employee.pk in visible_ids:
            node.holders.append(employee)
        else:
            node.hidden_holders += 1
    nodes = {u.pk: TreeUnit(u) for u in units}
    for p in sorted(positions, key=_position_rank):
        nodes[p.unit_id].positions.append(by_position[p.pk])
    roots = []
    children = defaultdict(list)
    for u in units:
        if u.parent_id in nodes:
            children[u.parent_id].append(nodes[u.pk])
        else:
            roots.append(nodes[u.pk])
    for pk, kids in children.items():
        nodes[pk].children = kids
    return roots


_KIND_ORDER = {"jpt": 0, "administrator": 1, "pengawas": 2, "jf": 3, "pelaksana": 4}


def _position_rank(position: Position) -> tuple:
    return (_KIND_ORDER.get(position.kind, 9), position.name)


def audit_records_visible_to(user) -> QuerySet[AuditRecord]:
    """The one door to audit records: the whole trail for Admin BKPSDM and Auditor, else 403
    (the audit trail records who changed what in every app; reading it is a right of the
    scope, which lives here)."""
    if not scope_for(user).can_audit:
        raise PermissionDenied
    return AuditRecord.objects.all()
