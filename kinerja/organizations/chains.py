"""The stored rater chains: the step every change of the tree ends with.

:class:`~kinerja.organizations.models.RaterChain` is derived data (see its docstring): after a
change to positions, holders, acting officials or overrides, the operation that made the change
calls :func:`rater_chains_sync` inside its own transaction. The change itself is audited; the
derived rows are not. :func:`~.services.raters.raters_recompute` is the operation of a repair
run.
"""

from __future__ import annotations

from .models import ActingOfficial, Employee, Position, RaterChain, RaterOverride
from .raters import OrgGraph, resolve


def org_graph() -> OrgGraph:
    """Load what the rater rule needs in four queries."""
    reports_to = dict(Position.objects.values_list("pk", "reports_to_id"))
    position_of: dict[int, int | None] = {}
    holders: dict[int, list[int]] = {}
    for emp_id, pos_id in Employee.objects.filter(active=True).values_list("pk", "position_id"):
        position_of[emp_id] = pos_id
        if pos_id is not None:
            holders.setdefault(pos_id, []).append(emp_id)
    acting = dict(
        ActingOfficial.objects.filter(ended_at=None, employee__active=True).values_list(
            "position_id", "employee_id"
        )
    )
    overrides = dict(
        RaterOverride.objects.filter(ended_at=None, rater__active=True).values_list(
            "employee_id", "rater_id"
        )
    )
    return OrgGraph(reports_to, holders, acting, position_of, overrides)


def rater_chains_sync() -> int:
    """Bring the stored rater chains in line with the tree; returns how many rows changed.

    A step, not an operation: call it inside the transaction of the operation that changed the
    tree (it checks no rights and writes no audit record)."""
    links = resolve(org_graph())
    stored = {
        row[0]: row[1:]
        for row in RaterChain.objects.values_list(
            "employee_id", "rater_id", "rater_basis", "rater_superior_id", "superior_basis"
        )
    }
    create, update = [], []
    for emp_id, link in links.items():
        values = (link.rater_id, link.rater_basis, link.superior_id, link.superior_basis)
        if emp_id not in stored:
            create.append(RaterChain(emp_id, *values))
        elif stored[emp_id] != values:
            update.append(RaterChain(emp_id, *values))
    gone = [emp_id for emp_id in stored if emp_id not in links]
    RaterChain.objects.bulk_create(create, batch_size=1000)
    RaterChain.objects.bulk_update(
        update, ["rater", "rater_basis", "rater_superior", "superior_basis"], batch_size=1000
    )
    RaterChain.objects.filter(employee_id__in=gone).delete()
    return len(create) + len(update) + len(gone)
