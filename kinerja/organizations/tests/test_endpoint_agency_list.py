"""GET /api/v1/agencies."""

from itertools import count

import pytest

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.testing.factories import AgencyFactory, user_for

URL = "/api/v1/agencies"
_names = count(1)


@pytest.fixture
def api_get(client):
    """``api_get(user, path, **query)``: GET with a fresh personal token of ``user``."""

    def get(user, path=URL, **query):
        _, secret = token_create(name=f"agencies-{next(_names)}", user=user, by=SYSTEM)
        return client.get(path, query, HTTP_AUTHORIZATION=f"Bearer {secret}")

    return get


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("employee", ["DINKES"]),
        ("rater", ["DINKES"]),
        ("head", ["DINKES"]),
        ("pengelola", ["DINKES"]),
        ("outsider", ["DUKCAPIL"]),
        ("admin", ["DINKES", "DUKCAPIL"]),
        ("auditor", ["DINKES", "DUKCAPIL"]),
    ],
)
def test_each_persona_sees_exactly_these_agencies(cast, api_get, persona, expected):
    assert codes(api_get(cast.users[persona])) == expected


def test_an_account_without_an_employee_or_a_role_sees_no_agency(cast, api_get):
    nobody = user_for(username="nobody")

    assert codes(api_get(nobody)) == []


def test_an_agency_row_has_code_name_kind_and_head_position(cast, api_get):
    rows = api_get(cast.admin).json()

    assert rows[0] == {
        "code": "DINKES",
        "name": "Dinas Kesehatan",
        "kind": "dinas",
        "head_position": "DINKES-KADIS",
    }


def test_an_agency_without_a_head_position_says_null(cast, api_get):
    AgencyFactory(code="BAPPEDA", name="Bappeda", kind="badan")

    rows = {row["code"]: row for row in api_get(cast.admin).json()}

    assert rows["BAPPEDA"]["head_position"] is None
    assert rows["BAPPEDA"]["kind"] == "badan"


def test_without_a_token_the_list_is_refused(cast, client):
    response = client.get(URL)

    assert response.status_code == 401
    assert "error" in response.json()


def test_a_long_list_is_paged_with_total_count_and_next_link(cast, api_get):
    AgencyFactory.create_batch(3)  # five agencies in all

    first = api_get(cast.admin, limit=2)
    last = api_get(cast.admin, limit=2, offset=4)

    assert len(first.json()) == 2
    assert first["X-Total-Count"] == "5"
    assert 'rel="next"' in first["Link"]
    assert "offset=2" in first["Link"]
    assert "limit=2" in first["Link"]
    assert len(last.json()) == 1
    assert 'rel="next"' not in last["Link"]
    assert 'rel="prev"' in last["Link"]


def test_one_page_without_more_has_no_link(cast, api_get):
    response = api_get(cast.admin)

    assert response["X-Total-Count"] == "2"
    assert not response.has_header("Link")


@pytest.mark.parametrize(
    ("query", "field"),
    [({"limit": 5000}, "limit"), ({"limit": 0}, "limit"), ({"offset": -1}, "offset")],
)
def test_paging_beyond_its_bounds_is_a_422_naming_the_field(cast, api_get, query, field):
    response = api_get(cast.admin, **query)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
