"""``organizations:acting``: administrators record an acting official (Plt) for a vacant position,
who then rates its reports, and end the assignment; the holder cannot act in their own position."""

import pytest
from django.urls import reverse

from kinerja.organizations.models import ActingOfficial, RaterChain


def url(code):
    return reverse("organizations:acting", args=[code])


def test_an_acting_official_rates_the_reports_of_a_vacant_position(cast, client_for):
    kapus = cast.employees["rater"]
    kapus.position = None
    kapus.save()
    response = client_for(cast.pengelola).post(
        url("DINKES-PKM-PLAJU-KEPALA"),
        {
            "employee_nip": cast.employees["rater_superior"].nip,
            "kind": "plt",
            "reason": "SK 821/123/2026",
        },
    )
    assert response.status_code == 302
    chain = RaterChain.objects.get(employee=cast.employees["employee"])
    assert chain.rater == cast.employees["rater_superior"]
    assert chain.rater_basis == "acting"


def test_ending_the_acting_assignment_returns_to_the_tree(cast, client_for):
    client = client_for(cast.admin)
    client.post(
        url("DINKES-PKM-PLAJU-KEPALA"),
        {"employee_nip": cast.employees["pengelola"].nip, "kind": "plh", "reason": "cuti"},
    )
    assert ActingOfficial.objects.filter(ended_at=None).count() == 1
    assert client.post(url("DINKES-PKM-PLAJU-KEPALA"), {"action": "end"}).status_code == 302
    assert ActingOfficial.objects.filter(ended_at=None).count() == 0


def test_the_holder_cannot_act_in_their_own_position(cast, client_for):
    response = client_for(cast.admin).post(
        url("DINKES-PKM-PLAJU-KEPALA"),
        {"employee_nip": cast.employees["rater"].nip, "kind": "plt", "reason": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["employee_nip"]


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("employee", "DINKES-KADIS", 403),
        ("head", "DINKES-KADIS", 403),
        ("pengelola", "DUKCAPIL-KADIS", 404),
        ("auditor", "DINKES-KADIS", 403),
        ("admin", "NOPE", 404),
    ],
)
def test_only_administrators_record_acting_officials(cast, client_for, persona, code, status):
    client = client_for(cast.users[persona])
    assert client.get(url(code)).status_code == status
    data = {"employee_nip": cast.employees["rater"].nip, "kind": "plt", "reason": "x"}
    assert client.post(url(code), data).status_code == status
    assert not ActingOfficial.objects.exists()
