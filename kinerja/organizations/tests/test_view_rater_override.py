"""``organizations:rater_override``: administrators record a rater override with its reason and
end it; bad input is refused on its field; no one else may set raters."""

import pytest
from django.urls import reverse

from kinerja.core.models import AuditRecord
from kinerja.organizations.models import RaterChain, RaterOverride


def url(nip):
    return reverse("organizations:rater_override", args=[nip])


def test_a_pengelola_records_a_rater_override_with_its_reason(cast, client_for):
    employee = cast.employees["employee"]
    response = client_for(cast.pengelola).post(
        url(employee.nip),
        {"rater_nip": cast.employees["rater_superior"].nip, "reason": "SK 800/45/2026"},
    )
    assert response.status_code == 302
    chain = RaterChain.objects.get(employee=employee)
    assert chain.rater == cast.employees["rater_superior"]
    assert chain.rater_basis == "override"
    record = AuditRecord.objects.get(object_type="organizations.rateroverride", action="create")
    assert record.after["reason"] == "SK 800/45/2026"


def test_ending_the_override_gives_the_tree_back(cast, client_for):
    employee = cast.employees["employee"]
    client = client_for(cast.pengelola)
    client.post(
        url(employee.nip), {"rater_nip": cast.employees["rater_superior"].nip, "reason": "SK 1"}
    )
    response = client.post(url(employee.nip), {"action": "end"})
    assert response.status_code == 302
    assert RaterChain.objects.get(employee=employee).rater == cast.employees["rater"]
    assert not RaterOverride.objects.filter(employee=employee, ended_at=None).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"rater_nip": "198503122010011104", "reason": ""}, "reason"),
        ({"rater_nip": "000", "reason": "SK 1"}, "rater_nip"),
    ],
)
def test_bad_override_input_is_refused_on_its_field(cast, client_for, data, field):
    response = client_for(cast.pengelola).post(url(cast.employees["employee"].nip), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not RaterOverride.objects.exists()


def test_nobody_is_their_own_rater(cast, client_for):
    employee = cast.employees["employee"]
    response = client_for(cast.admin).post(
        url(employee.nip), {"rater_nip": employee.nip, "reason": "SK 1"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["rater_nip"]


def test_a_rater_of_another_agency_is_not_visible_to_a_pengelola(cast, client_for):
    response = client_for(cast.pengelola).post(
        url(cast.employees["employee"].nip),
        {"rater_nip": cast.employees["other_head"].nip, "reason": "SK 1"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["rater_nip"]


@pytest.mark.parametrize(
    ("persona", "status"), [("employee", 403), ("rater", 403), ("auditor", 403), ("outsider", 404)]
)
def test_only_administrators_set_raters(cast, client_for, persona, status):
    client = client_for(cast.users[persona])
    target = cast.employees["employee"].nip
    assert client.get(url(target)).status_code == status
    assert (
        client.post(
            url(target), {"rater_nip": cast.employees["head"].nip, "reason": "x"}
        ).status_code
        == status
    )
    assert not RaterOverride.objects.exists()
