"""``organizations:roles``: the regional administrator gives and takes back roles; no one else
may."""

import pytest
from django.urls import reverse

from kinerja.accounts.models import RoleAssignment


def url(username):
    return reverse("organizations:roles", args=[username])


def test_an_administrator_gives_and_takes_back_a_role(cast, client_for):
    client = client_for(cast.admin)
    target = cast.outsider
    response = client.post(
        url(target.username), {"role": "pengelola_kinerja", "agency": cast.dukcapil.pk}
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=target)
    assert assignment.agency == cast.dukcapil
    response = client.post(url(target.username), {"revoke": assignment.pk})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=target).exists()


def test_a_pengelola_role_without_an_agency_is_refused_on_the_agency_field(cast, client_for):
    response = client_for(cast.admin).post(
        url(cast.outsider.username), {"role": "pengelola_kinerja"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["agency"]
    assert not RoleAssignment.objects.filter(user=cast.outsider).exists()


@pytest.mark.parametrize("persona", ["pengelola", "head", "auditor", "employee"])
def test_only_admin_bkpsdm_assigns_roles(cast, client_for, persona):
    client = client_for(cast.users[persona])
    assert client.get(url(cast.outsider.username)).status_code == 403
    response = client.post(url(cast.users[persona].username), {"role": "admin_bkpsdm"})
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=cast.users[persona], role="admin_bkpsdm").exists()


def test_an_unknown_account_is_404(cast, client_for):
    assert client_for(cast.admin).get(url("nobody")).status_code == 404
