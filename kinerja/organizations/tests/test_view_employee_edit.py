"""``organizations:employee_edit``: administrators of the agency change an employee (the rater
chain follows, the change is audited); bad values are refused on their field; no one else may
edit."""

import pytest
from django.urls import reverse

from kinerja.core.models import AuditRecord
from kinerja.organizations.models import Employee, RaterChain


def edit(nip):
    return reverse("organizations:employee_edit", args=[nip])


def form_data(employee, **changes):
    data = {
        "name": employee.name,
        "status": employee.status,
        "rank": employee.rank,
        "unit": employee.unit_id,
        "position": employee.position_id or "",
        "email": employee.email,
        "active": "on" if employee.active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_a_pengelola_moves_an_employee_and_the_rater_chain_follows(cast, client_for):
    employee = cast.employees["colleague"]
    response = client_for(cast.pengelola).post(
        edit(employee.nip),
        form_data(employee, unit=cast.units["yankes"].pk, position=cast.positions["analis"].pk),
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.position == cast.positions["analis"]
    assert RaterChain.objects.get(employee=employee).rater == cast.employees["rater_superior"]
    record = AuditRecord.objects.filter(object_id=employee.nip, action="update").get()
    assert record.channel == "web"
    assert record.actor_label == cast.pengelola.username
    assert record.after["kode_jabatan"] == "DINKES-ANALIS-SDM"


def test_a_position_outside_the_chosen_unit_is_refused_on_the_position_field(cast, client_for):
    employee = cast.employees["colleague"]
    response = client_for(cast.pengelola).post(
        edit(employee.nip),
        form_data(employee, unit=cast.units["dinkes"].pk, position=cast.positions["analis"].pk),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["position"]
    employee.refresh_from_db()
    assert employee.position == cast.positions["perawat"]


def test_a_second_holder_of_a_structural_position_is_refused(cast, client_for):
    employee = cast.employees["colleague"]
    response = client_for(cast.admin).post(
        edit(employee.nip),
        form_data(employee, unit=cast.units["pkm"].pk, position=cast.positions["kapus"].pk),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["position"]


def test_a_wrong_rank_for_the_status_is_refused_with_a_reason(cast, client_for):
    employee = cast.employees["colleague"]
    response = client_for(cast.admin).post(edit(employee.nip), form_data(employee, rank="XX"))
    assert response.status_code == 200
    assert response.context["form"].errors["rank"]


def test_a_pengelola_cannot_move_someone_into_another_agency(cast, client_for):
    employee = cast.employees["colleague"]
    response = client_for(cast.pengelola).post(
        edit(employee.nip), form_data(employee, unit=cast.units["dukcapil"].pk, position="")
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    employee.refresh_from_db()
    assert employee.unit == cast.units["pkm"]


@pytest.mark.parametrize(("persona", "subject", "status"), [
    ("employee", "employee", 403),
    ("rater", "employee", 403),
    ("head", "employee", 403),
    ("auditor", "employee", 403),
    ("pengelola", "outsider", 404),
    ("outsider", "employee", 404),
])  # fmt: skip
def test_only_administrators_of_the_agency_may_edit(cast, client_for, persona, subject, status):
    employee = cast.employees[subject]
    client = client_for(cast.users[persona])
    assert client.get(edit(employee.nip)).status_code == status
    assert client.post(edit(employee.nip), form_data(employee, name="Diubah")).status_code == status
    assert Employee.objects.get(pk=employee.pk).name == employee.name


def test_an_unchanged_form_changes_nothing(cast, client_for):
    employee = cast.employees["employee"]
    before = AuditRecord.objects.count()
    response = client_for(cast.admin).post(edit(employee.nip), form_data(employee))
    assert response.status_code == 302
    assert AuditRecord.objects.count() == before
