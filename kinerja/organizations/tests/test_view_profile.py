"""``organizations:profile``: an employee's page with the rater chain, within one's scope (404
outside it); administrators see the edit actions."""

import pytest
from django.urls import reverse

from kinerja.organizations.tests.support import profile


def test_an_employee_sees_their_profile_with_the_rater_chain(cast, client_for):
    me = cast.employees["employee"]
    response = client_for(cast.employee).get(profile(me.nip))
    assert response.status_code == 200
    rater, superior = response.context["chain"]
    assert rater.employee == cast.employees["rater"]
    assert superior.employee == cast.employees["rater_superior"]
    html = response.content.decode()
    assert 'data-basis="tree"' in html
    assert me.nip_display in html


def test_the_top_of_the_tree_is_rated_by_the_head_of_region(cast, client_for):
    response = client_for(cast.head).get(profile(cast.employees["head"].nip))
    rater, _superior = response.context["chain"]
    assert rater.employee is None
    assert rater.basis == "region_head"
    assert "Wali Kota Palembang" in response.content.decode()


@pytest.mark.parametrize(
    ("viewer", "subject"),
    [
        ("employee", "colleague"),
        ("employee", "pengelola"),
        ("outsider", "employee"),
        ("head", "outsider"),
        ("pengelola", "other_head"),
        ("rater", "pengelola"),
    ],
)
def test_a_profile_outside_ones_scope_is_404(cast, client_for, viewer, subject):
    response = client_for(cast.users[viewer]).get(profile(cast.employees[subject].nip))
    assert response.status_code == 404


def test_an_unknown_nip_is_404(cast, client_for):
    assert client_for(cast.admin).get(profile("123")).status_code == 404


def test_administrators_see_the_edit_actions_and_the_history(cast, client_for):
    response = client_for(cast.admin).get(profile(cast.employees["employee"].nip))
    html = response.content.decode()
    assert reverse("organizations:employee_edit", args=[cast.employees["employee"].nip]) in html
    assert response.context["editable"]


def test_plain_viewers_see_no_edit_actions(cast, client_for):
    response = client_for(cast.rater).get(profile(cast.employees["employee"].nip))
    assert not response.context["editable"]
    assert (
        reverse("organizations:employee_edit", args=[cast.employees["employee"].nip])
        not in response.content.decode()
    )
