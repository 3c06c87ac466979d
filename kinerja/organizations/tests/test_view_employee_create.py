"""``organizations:employee_create``: administrators add an employee (the rater chain is
computed); a bad NIP is refused on its field; no one else may add."""

import pytest
from django.urls import reverse

from kinerja.organizations.models import Employee, RaterChain


def test_a_pengelola_adds_an_employee(cast, client_for):
    response = client_for(cast.pengelola).post(
        reverse("organizations:employee_create"),
        {
            "nip": "19900101 201501 2 007",
            "name": "Nur Aisyah",
            "status": "pns",
            "rank": "iii/b",
            "unit": cast.units["pkm"].pk,
            "position": cast.positions["perawat"].pk,
            "email": "nur.aisyah@palembang.go.id",
            "active": "on",
        },
    )
    assert response.status_code == 302
    created = Employee.objects.get(nip="199001012015012007")
    assert created.rank == "III/b"
    assert RaterChain.objects.get(employee=created).rater == cast.employees["rater"]


@pytest.mark.parametrize(
    ("nip", "fragment"),
    [
        ("1990010120150120", "18"),
        ("199002302015012007", "birth"),
        ("199001012015013007", "1 (male)"),
    ],
)
def test_a_bad_nip_is_refused_on_the_nip_field(cast, client_for, nip, fragment):
    from django.utils import translation

    with translation.override("en"):
        response = client_for(cast.pengelola).post(
            reverse("organizations:employee_create"),
            {"nip": nip, "name": "X", "status": "pns", "unit": cast.units["pkm"].pk},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert response.context["form"].errors["nip"]
    assert not Employee.objects.filter(name="X").exists()


def test_only_administrators_may_add_employees(cast, client_for):
    assert client_for(cast.rater).get(reverse("organizations:employee_create")).status_code == 403
