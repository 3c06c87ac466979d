"""``organizations:directory``: the employee directory lists and searches only visible employees,
in a bounded number of queries."""

import pytest
from django.urls import reverse

DIRECTORY = reverse("organizations:directory")


def names(response):
    return {e.name for e in response.context["page"].object_list}


def test_the_directory_lists_only_visible_employees(cast, client_for):
    response = client_for(cast.employee).get(DIRECTORY)
    assert response.status_code == 200
    assert names(response) == {
        cast.employees[k].name for k in ("employee", "rater", "rater_superior")
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "Siti"}, {"employee"}),
        ({"q": "siti aminah"}, {"employee"}),
        ({"q": "Perawat"}, {"employee", "colleague"}),
        ({"agency": "DUKCAPIL"}, {"other_head", "outsider"}),
        ({"q": "Andi", "agency": "dukcapil"}, {"outsider"}),
    ],
)
def test_the_directory_searches_by_name_position_and_agency(cast, client_for, query, expected):
    response = client_for(cast.admin).get(DIRECTORY, query)
    assert names(response) == {cast.employees[k].name for k in expected}


def test_the_directory_searches_by_the_first_digits_of_a_nip(cast, client_for):
    nip = cast.employees["outsider"].nip
    response = client_for(cast.admin).get(DIRECTORY, {"q": nip[:8] + " " + nip[8:16]})
    assert cast.employees["outsider"].name in names(response)


def test_an_outsider_finds_nobody_of_another_agency(cast, client_for):
    response = client_for(cast.outsider).get(DIRECTORY, {"agency": "DINKES"})
    assert names(response) == set()


def test_a_rater_filters_to_the_people_they_rate(cast, client_for):
    response = client_for(cast.rater).get(DIRECTORY, {"rated_by": "me"})
    assert names(response) == {cast.employees[k].name for k in ("employee", "colleague")}


def test_the_directory_makes_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    from kinerja.testing.factories import EmployeeFactory

    EmployeeFactory.create_batch(60, unit=cast.units["pkm"], position=cast.positions["perawat"])
    client = client_for(cast.pengelola)
    with django_assert_max_num_queries(15):
        response = client.get(DIRECTORY)
    assert len(response.context["page"].object_list) == 50


def test_an_absurd_page_number_shows_the_last_page(cast, client_for):
    assert client_for(cast.admin).get(DIRECTORY, {"page": "99999"}).status_code == 200
    assert client_for(cast.admin).get(DIRECTORY, {"page": "abc"}).status_code == 200
