"""``organizations:tree``: the organisation tree of one's agency (units, positions, holders,
vacancies and acting officials), names only where one may see them; other agencies are 404."""

import pytest
from django.urls import reverse

from kinerja.core.actors import SYSTEM

TREE = reverse("organizations:tree")


def test_the_tree_shows_units_positions_and_holders_of_ones_agency(cast, client_for):
    response = client_for(cast.head).get(TREE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="unit-DINKES-PKM-PLAJU"' in html
    assert 'id="position-DINKES-PKM-PLAJU-KEPALA"' in html
    assert cast.employees["rater"].name in html
    assert "DUKCAPIL-OPERATOR" not in html


def test_a_plain_employee_sees_the_structure_but_only_the_names_they_may_see(cast, client_for):
    html = client_for(cast.employee).get(TREE).content.decode()
    assert 'id="position-DINKES-ANALIS-SDM"' in html
    assert cast.employees["rater"].name in html  # their rater
    assert cast.employees["pengelola"].name not in html  # a stranger in the same agency


@pytest.mark.parametrize("persona", ["employee", "head", "pengelola"])
def test_another_agency_tree_is_404(cast, client_for, persona):
    response = client_for(cast.users[persona]).get(TREE, {"agency": "DUKCAPIL"})
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["admin", "auditor"])
def test_regional_roles_choose_any_agency(cast, client_for, persona):
    response = client_for(cast.users[persona]).get(TREE, {"agency": "DUKCAPIL"})
    assert response.status_code == 200
    assert 'id="position-DUKCAPIL-OPERATOR"' in response.content.decode()


def test_vacancies_and_acting_officials_are_marked(cast, client_for):
    from kinerja.organizations import services

    kapus = cast.employees["rater"]
    kapus.position = None
    kapus.save()
    services.acting_start(
        position=cast.positions["kapus"],
        employee=cast.employees["rater_superior"],
        kind="plt",
        reason="SK 1/2026",
        by=SYSTEM,
    )
    html = client_for(cast.admin).get(TREE, {"agency": "DINKES"}).content.decode()
    start = html.index('id="position-DINKES-PKM-PLAJU-KEPALA"')
    fragment = html[start : html.index("</li>", start)]
    assert "badge-warn" in fragment  # vacant
    assert cast.employees["rater_superior"].name in fragment  # the Plt


def test_the_tree_makes_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    from kinerja.testing.factories import EmployeeFactory, PositionFactory

    for i in range(30):
        position = PositionFactory(
            unit=cast.units["pkm"], code=f"DINKES-STAF-{i}", reports_to=cast.positions["kapus"]
        )
        EmployeeFactory(position=position)
    client = client_for(cast.head)
    with django_assert_max_num_queries(20):
        response = client.get(TREE)
    assert response.status_code == 200


def test_someone_without_an_agency_is_refused(db, client_for):
    from kinerja.testing.factories import user_for

    lonely = user_for(username="lonely")
    assert client_for(lonely).get(TREE).status_code == 403
