"""GET /api/v1/skp (``plan_list``): the plans one may see, filtered by year, unit, employee
and state; bad filters named; paged, in a bounded number of queries."""

import pytest

from kinerja.skp.tests.factories import approved_plan

from .api_support import fields

pytestmark = pytest.mark.django_db


def test_the_list_filters_by_year_unit_employee_and_state(api, cast):
    mine = approved_plan(cast)
    theirs = approved_plan(cast, "colleague")
    earlier = approved_plan(cast, "colleague", 2025)
    rater = approved_plan(cast, "rater")

    def ids(**query):
        response = api.get(cast.admin, "/api/v1/skp", **query)
        assert response.status_code == 200, response.content
        return {p["id"] for p in response.json()}

    assert ids() == {mine.pk, theirs.pk, earlier.pk, rater.pk}
    assert ids(year=2026) == {mine.pk, theirs.pk, rater.pk}
    assert ids(year=2026, unit="DINKES-PKM-PLAJU") == {mine.pk, theirs.pk, rater.pk}
    assert ids(unit="dinkes-yankes") == set()
    assert ids(unit="NOWHERE") == set()
    assert ids(employee=cast.employees["colleague"].nip) == {theirs.pk, earlier.pk}
    assert ids(state="draft") == set()
    assert ids(state="approved", year=2025) == {earlier.pk}


@pytest.mark.parametrize(
    "query", [{"year": 1999}, {"state": "lost"}, {"unit": "A\x00"}, {"limit": 0}]
)
def test_bad_list_filters_are_named(api, cast, query):
    response = api.get(cast.admin, "/api/v1/skp", **query)
    assert response.status_code == 422
    assert fields(response) == list(query)


def test_the_list_is_paged_and_makes_a_bounded_number_of_queries(
    api, cast, django_assert_max_num_queries
):
    plans = [approved_plan(cast, who) for who in ("employee", "colleague", "rater", "pengelola")]
    api.headers(cast.admin)  # the token exists before counting
    with django_assert_max_num_queries(12):
        response = api.get(cast.admin, "/api/v1/skp", year=2026, limit=3)
    assert response.status_code == 200
    assert response["X-Total-Count"] == "4"
    assert 'rel="next"' in response["Link"]
    page = response.json()
    assert len(page) == 3
    assert all(len(p["rhk"]) == 1 and len(p["rhk"][0]["indicators"]) == 2 for p in page)
    rest = api.get(cast.admin, "/api/v1/skp", year=2026, limit=3, offset=3).json()
    assert {p["id"] for p in page + rest} == {p.pk for p in plans}


def test_the_query_count_does_not_grow_with_the_number_of_plans(
    api, cast, django_assert_max_num_queries
):
    approved_plan(cast)
    api.headers(cast.admin)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        api.get(cast.admin, "/api/v1/skp")
    for who in ("colleague", "rater", "pengelola", "rater_superior"):
        approved_plan(cast, who)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api.get(cast.admin, "/api/v1/skp").json()) == 5
