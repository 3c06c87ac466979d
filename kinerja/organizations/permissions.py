"""Who may change the organisation, and the accounts of its people.

Every operation in :mod:`.services` checks its rights here, and the pages ask the same
functions before they show a form, so that a page and its operation never disagree. The rights
come from :func:`~kinerja.organizations.scope.scope_for` (``SYSTEM`` has the regional
administrator's); each ``require_*`` raises :class:`PermissionDenied` with the reason.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kinerja.accounts.permissions import ADMINISTRATORS_ONLY
from kinerja.core.actors import Actor

from .models import Employee, Position
from .scope import scope_for


def is_administrator(by: Actor) -> bool:
    """The regional administrator (Admin BKPSDM, a superuser, or ``SYSTEM``)."""
    return scope_for(by).region_write


def require_administrator(by: Actor) -> None:
    if not is_administrator(by):
        raise PermissionDenied(ADMINISTRATORS_ONLY)


def may_add_employees(by: Actor) -> bool:
    """The regional administrator, or a Pengelola Kinerja (for their own agency)."""
    return scope_for(by).can_import


def require_employee_adder(by: Actor) -> None:
    if not may_add_employees(by):
        raise PermissionDenied(
            _("Only a performance administrator (Pengelola Kinerja) may change employees.")
        )


def may_edit_employee(by: Actor, employee: Employee) -> bool:
    """The regional administrator, or the Pengelola Kinerja of the employee's agency."""
    return Employee.objects.editable_by(by).filter(pk=employee.pk).exists()


def require_employee_editor(by: Actor, employee: Employee) -> None:
    if not may_edit_employee(by, employee):
        raise PermissionDenied(
            _("You may not change the data of this employee (%(name)s).") % {"name": employee}
        )


def may_edit_position(by: Actor, position: Position) -> bool:
    """The regional administrator, or the Pengelola Kinerja of the position's agency."""
    return Position.objects.editable_by(by).filter(pk=position.pk).exists()


def require_position_editor(by: Actor, position: Position) -> None:
    if not may_edit_position(by, position):
        raise PermissionDenied(
            _("You may not change the position %(code)s.") % {"code": position.code}
        )


def may_manage_account(by: Actor, *, employee: Employee | None) -> bool:
    """Who may create an account or set its password: for an employee's account whoever may
    change the employee; for any other account (administrators, auditors) the regional
    administrator only."""
    if employee is not None:
        return may_edit_employee(by, employee)
    return is_administrator(by)


def require_account_manager(by: Actor, *, employee: Employee | None) -> None:
    if not may_manage_account(by, employee=employee):
        raise PermissionDenied(_("You may not manage this account."))
