"""The accounts of the organisation's people: an employee's account and its password.

These need the organisation — an employee's account is managed by whoever may change the
employee (their agency's Pengelola Kinerja, the regional administrator) — so they live here
rather than in :mod:`kinerja.accounts`, whose operations need no organisation data.
"""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.accounts.backends import normalize_login
from kinerja.accounts.models import User
from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.core.texts import in_region_language

from .. import permissions
from ..models import Employee


@transaction.atomic
def account_for_employee(*, employee: Employee, by: Actor) -> User:
    """The employee's account, created (without a usable password) if it does not exist yet;
    creating one is for whoever may change the employee."""
    user = User.objects.filter(employee=employee).first()
    if user is not None:
        return user
    permissions.require_account_manager(by, employee=employee)
    user = User(username=employee.nip, employee=employee, first_name=employee.name[:150])
    user.set_unusable_password()
    user.save()
    audit.record("create", user, after={"username": user.username, "employee": employee.nip})
    return user


@transaction.atomic
def account_for_login(*, login: str, by: Actor) -> User:
    """The user named by username or NIP (case and NIP spacing ignored). An active employee
    ``by`` can see who has no account gets one, without a usable password (see
    :func:`account_for_employee`)."""
    login = normalize_login(login)
    user = User.objects.filter(username__iexact=login).first()
    if user is not None:
        return user
    employee = Employee.objects.visible_to(by).filter(nip=login).first()
    if employee is None:
        raise ValidationError(_("No user or employee named %(login)s.") % {"login": login})
    if not employee.active:
        raise ValidationError(_("Employee %(login)s is no longer active.") % {"login": login})
    return account_for_employee(employee=employee, by=by)


@transaction.atomic
def password_set(
    *,
    password: str,
    by: Actor,
    user: User | None = None,
    employee: Employee | None = None,
    validate: bool = True,
) -> User:
    """Set a new password (an administrator's reset) and lift any sign-in lockout.

    Name the account by ``user``, or by ``employee``: an employee without an account gets one
    with this first password. An employee's password is for whoever may change the employee;
    any other account's for the regional administrator."""
    if user is None:
        if employee is None:
            raise TypeError("password_set() takes a user or an employee, not both.")
        permissions.require_account_manager(by, employee=employee)
        user = account_for_employee(employee=employee, by=by)
    else:
        if employee is not None:
            raise TypeError("password_set() takes a user or an employee, not both.")
        permissions.require_account_manager(by, employee=user.employee)
    if validate:
        password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    axes_reset(username=normalize_login(user.username))
    with in_region_language():  # the audit trail's notes: the region's language
        note = _("Password set; any lockout lifted.")
    audit.record("password_reset", user, note=note)
    return user
