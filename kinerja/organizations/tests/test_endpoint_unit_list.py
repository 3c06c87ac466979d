"""GET /api/v1/units."""

from itertools import count

import pytest

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM

URL = "/api/v1/units"
DINKES_UNITS = ["DINKES", "DINKES-PKM-PLAJU", "DINKES-YANKES"]
_names = count(1)


@pytest.fixture
def api_get(client):
    """``api_get(user, **query)``: GET the units with a fresh personal token of ``user``."""

    def get(user, **query):
        _, secret = token_create(name=f"units-{next(_names)}", user=user, by=SYSTEM)
        return client.get(URL, query, HTTP_AUTHORIZATION=f"Bearer {secret}")

    return get


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("employee", DINKES_UNITS),
        ("head", DINKES_UNITS),
        ("pengelola", DINKES_UNITS),
        ("outsider", ["DUKCAPIL"]),
        ("admin", [*DINKES_UNITS, "DUKCAPIL"]),
        ("auditor", [*DINKES_UNITS, "DUKCAPIL"]),
    ],
)
def test_each_persona_sees_exactly_these_units(cast, api_get, persona, expected):
    assert codes(api_get(cast.users[persona])) == expected


def test_a_unit_row_names_its_agency_and_parent_by_code(cast, api_get):
    rows = {row["code"]: row for row in api_get(cast.admin).json()}

    assert rows["DINKES-PKM-PLAJU"] == {
        "code": "DINKES-PKM-PLAJU",
        "name": "UPTD Puskesmas Plaju",
        "agency": "DINKES",
        "parent": "DINKES-YANKES",
    }
    assert rows["DINKES"]["parent"] is None


@pytest.mark.parametrize(
    ("persona", "agency", "expected"),
    [
        ("admin", "DUKCAPIL", ["DUKCAPIL"]),
        ("admin", "DINKES", DINKES_UNITS),
        ("head", "DINKES", DINKES_UNITS),
        # Another agency's code, or an unknown one, is an empty list: nothing is revealed.
        ("head", "DUKCAPIL", []),
        ("employee", "DUKCAPIL", []),
        ("admin", "NO-SUCH-AGENCY", []),
    ],
)
def test_the_agency_filter_narrows_within_the_scope(cast, api_get, persona, agency, expected):
    assert codes(api_get(cast.users[persona], agency=agency)) == expected


def test_the_units_of_another_agency_are_absent_for_the_outsider(cast, api_get):
    assert not set(codes(api_get(cast.outsider))) & set(DINKES_UNITS)


def test_without_a_token_the_list_is_refused(cast, client):
    assert client.get(URL).status_code == 401


def test_the_unit_list_is_paged(cast, api_get):
    response = api_get(cast.admin, limit=3)

    assert codes(response) == DINKES_UNITS
    assert response["X-Total-Count"] == "4"
    assert 'rel="next"' in response["Link"]


@pytest.mark.parametrize(
    ("query", "field"), [({"limit": 5000}, "limit"), ({"agency": "\x00"}, "agency")]
)
def test_bad_query_parameters_are_a_422(cast, api_get, query, field):
    response = api_get(cast.admin, **query)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
