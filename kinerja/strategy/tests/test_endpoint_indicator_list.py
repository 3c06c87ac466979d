"""GET /api/v1/indicators (``indicator_list``): each persona lists the indicators of the
agencies they see, ordered by agency and code, filtered by agency; a row is the same as the
detail; paged with a total count and link headers, in a bounded number of queries; without a
token the list and the detail are refused."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .api_support import detail, enter, make_indicator

URL = "/api/v1/indicators"


YEAR = 2025


# --- Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("employee", {"DINKES"}),
        ("rater", {"DINKES"}),
        ("head", {"DINKES"}),
        ("pengelola", {"DINKES"}),
        ("outsider", {"DUKCAPIL"}),
        ("admin", {"DINKES", "DUKCAPIL"}),
        ("auditor", {"DINKES", "DUKCAPIL"}),
    ],
)
def test_each_persona_lists_the_indicators_of_the_agencies_they_see(
    cast, api_get, indicators, persona, expected
):
    response = api_get(cast.users[persona], year=YEAR)

    assert response.status_code == 200
    assert {row["agency"] for row in response.json()} == expected


def test_the_list_is_ordered_by_agency_and_code_and_filtered_by_agency(cast, api_get, indicators):
    everything = api_get(cast.admin, year=YEAR).json()
    dinkes = api_get(cast.admin, year=YEAR, agency="DINKES").json()

    assert [(r["agency"], r["code"]) for r in everything] == [
        ("DINKES", "IKU-01"),
        ("DINKES", "IKU-02"),
        ("DINKES", "IKU-03"),
        ("DINKES", "IKU-04"),
        ("DINKES", "IKU-05"),
        ("DUKCAPIL", "IKU-01"),
    ]
    assert [r["code"] for r in dinkes] == ["IKU-01", "IKU-02", "IKU-03", "IKU-04", "IKU-05"]


def test_a_list_row_is_the_same_as_the_detail(cast, api_get, indicators):
    rows = {r["id"]: r for r in api_get(cast.head, year=YEAR).json()}

    for ind in indicators.values():
        if ind.agency_id == cast.dinkes.pk:
            assert rows[ind.pk] == detail(api_get, cast.head, ind)


@pytest.mark.parametrize("agency", ["DUKCAPIL", "NOPE"])
def test_filtering_on_an_agency_out_of_sight_gives_an_empty_list(cast, api_get, indicators, agency):
    response = api_get(cast.employee, year=YEAR, agency=agency)

    assert response.status_code == 200
    assert response.json() == []
    assert response["X-Total-Count"] == "0"


def test_without_a_token_the_list_and_the_detail_are_refused(cast, client, indicators):
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}/{indicators['higher'].pk}").status_code == 401


def test_the_list_is_paged_with_total_count_and_link_headers(cast, api_get, indicators):
    first = api_get(cast.admin, year=YEAR, limit=4)
    second = api_get(cast.admin, year=YEAR, limit=4, offset=4)

    assert first["X-Total-Count"] == second["X-Total-Count"] == "6"
    assert len(first.json()) == 4
    assert 'rel="next"' in first["Link"]
    assert "offset=4" in first["Link"]
    assert [r["code"] for r in second.json()] == ["IKU-05", "IKU-01"]
    assert 'rel="prev"' in second["Link"]
    assert 'rel="next"' not in second["Link"]


def test_the_list_costs_a_bounded_number_of_queries(
    cast, client, bearer, django_assert_max_num_queries
):
    auth = bearer(cast.pengelola)
    client.get(URL, **auth)  # the token's first use is noted once; not part of the bound

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"year": YEAR}, **auth)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    base = make_indicator(cast.dinkes, "BASE", target=D("10"), quarters=[D("1")] * 4)
    enter(base, 1, "1", cast.pengelola)
    few = queries_for_list()
    for n in range(30):
        ind = make_indicator(cast.dinkes, f"IKU-{n:02d}", target=D("10"), quarters=[D("2")] * 4)
        for month in (1, 2, 3):
            enter(ind, month, str(n), cast.pengelola)
    make_indicator(cast.dinkes, "RATIO", formula="{IKU-01} / {IKU-02}", target=D("1"))

    with django_assert_max_num_queries(few + 1):  # + the formula's references, once
        response = client.get(URL, {"year": YEAR}, **auth)
    assert len(response.json()) == 32
