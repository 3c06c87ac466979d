"""``employee_save``: one employee through the changeset, within the caller's agencies."""

import pytest
from django.core.exceptions import PermissionDenied

from kinerja.organizations.changeset import ChangesetError
from kinerja.organizations.models import Employee
from kinerja.organizations.services import employee_save


def renamed(employee, name):
    return {"nip": employee.nip, "nama": name}


def test_a_pengelola_changes_an_employee_of_their_agency(cast):
    employee = cast.employees["employee"]

    outcome = employee_save(values=renamed(employee, "Siti Aminah, S.Kep"), by=cast.pengelola)

    assert outcome.applied
    assert Employee.objects.get(pk=employee.pk).name == "Siti Aminah, S.Kep"


def test_a_pengelola_may_not_change_an_employee_of_another_agency(cast):
    outsider = cast.employees["outsider"]

    with pytest.raises(ChangesetError) as caught:
        employee_save(values=renamed(outsider, "Nama Lain"), by=cast.pengelola)

    assert caught.value.row_errors
    assert Employee.objects.get(pk=outsider.pk).name == outsider.name


@pytest.mark.parametrize("persona", ["employee", "rater", "head", "auditor"])
def test_people_who_manage_no_agency_change_nobody(cast, persona):
    employee = cast.employees["employee"]
    with pytest.raises(PermissionDenied):
        employee_save(values=renamed(employee, "Nama Lain"), by=cast.users[persona])
    assert Employee.objects.get(pk=employee.pk).name == employee.name
