"""``account_for_employee``, ``account_for_login`` and ``password_set``: an employee's account
is managed by whoever may change the employee; other accounts by the regional administrator."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.accounts.models import User
from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.organizations.services import account_for_employee, account_for_login, password_set

PASSWORD = "Plaju-2026-aman"


def test_a_pengelola_sets_the_password_of_an_employee_of_their_agency(cast):
    password_set(user=cast.employee, password=PASSWORD, by=cast.pengelola)

    assert User.objects.get(pk=cast.employee.pk).check_password(PASSWORD)
    assert AuditRecord.objects.filter(action="password_reset").count() == 1


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("pengelola", "outsider"),
        ("pengelola", "admin"),
        ("rater", "employee"),
        ("auditor", "employee"),
    ],
)
def test_others_may_not_set_a_password(cast, persona, target):
    with pytest.raises(PermissionDenied):
        password_set(user=cast.users[target], password=PASSWORD, by=cast.users[persona])
    assert not User.objects.get(pk=cast.users[target].pk).check_password(PASSWORD)


def test_the_first_password_of_an_employee_creates_the_account(cast):
    employee = cast.employees["colleague"]
    cast.colleague.delete()

    user = password_set(employee=employee, password=PASSWORD, by=cast.pengelola)

    assert user.employee == employee and user.username == employee.nip
    assert user.check_password(PASSWORD)


def test_a_weak_password_creates_no_account(cast):
    employee = cast.employees["colleague"]
    cast.colleague.delete()

    with pytest.raises(ValidationError):
        password_set(employee=employee, password="12345678", by=cast.pengelola)

    assert not User.objects.filter(employee=employee).exists()


def test_only_those_who_may_change_the_employee_create_their_account(cast):
    employee = cast.employees["colleague"]
    cast.colleague.delete()

    with pytest.raises(PermissionDenied):
        account_for_employee(employee=employee, by=cast.rater)
    assert account_for_employee(employee=employee, by=SYSTEM).employee == employee


def test_an_existing_account_is_found_by_its_nip_typed_with_spaces(cast):
    nip = cast.employees["employee"].nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert account_for_login(login=spaced, by=cast.admin) == cast.employee


def test_an_employee_the_caller_cannot_see_is_not_found(cast):
    cast.outsider.delete()
    with pytest.raises(ValidationError):
        account_for_login(login=cast.employees["outsider"].nip, by=cast.pengelola)
    assert not User.objects.filter(employee=cast.employees["outsider"]).exists()
