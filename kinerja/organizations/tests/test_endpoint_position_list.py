"""GET /api/v1/positions."""

from itertools import count

import pytest

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM

URL = "/api/v1/positions"
DINKES_POSITIONS = [
    "DINKES-ANALIS-SDM",
    "DINKES-KABID-YANKES",
    "DINKES-KADIS",
    "DINKES-PKM-PLAJU-KEPALA",
    "DINKES-PKM-PLAJU-PERAWAT",
]
DUKCAPIL_POSITIONS = ["DUKCAPIL-KADIS", "DUKCAPIL-OPERATOR"]
_names = count(1)


@pytest.fixture
def api_get(client):
    """``api_get(user, **query)``: GET the positions with a fresh personal token of ``user``."""

    def get(user, **query):
        _, secret = token_create(name=f"positions-{next(_names)}", user=user, by=SYSTEM)
        return client.get(URL, query, HTTP_AUTHORIZATION=f"Bearer {secret}")

    return get


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("employee", DINKES_POSITIONS),
        ("rater_superior", DINKES_POSITIONS),
        ("head", DINKES_POSITIONS),
        ("pengelola", DINKES_POSITIONS),
        ("outsider", DUKCAPIL_POSITIONS),
        ("admin", DINKES_POSITIONS + DUKCAPIL_POSITIONS),
        ("auditor", DINKES_POSITIONS + DUKCAPIL_POSITIONS),
    ],
)
def test_each_persona_sees_exactly_these_positions(cast, api_get, persona, expected):
    assert codes(api_get(cast.users[persona])) == expected


def test_a_position_row_has_kind_level_unit_agency_and_reporting_line(cast, api_get):
    rows = {row["code"]: row for row in api_get(cast.employee).json()}

    assert rows["DINKES-PKM-PLAJU-PERAWAT"] == {
        "code": "DINKES-PKM-PLAJU-PERAWAT",
        "name": "Perawat Terampil",
        "kind": "jf",
        "level": "terampil",
        "unit": "DINKES-PKM-PLAJU",
        "agency": "DINKES",
        "reports_to": "DINKES-PKM-PLAJU-KEPALA",
    }
    assert rows["DINKES-ANALIS-SDM"]["level"] is None
    assert rows["DINKES-KADIS"]["reports_to"] is None


@pytest.mark.parametrize(
    ("persona", "query", "expected"),
    [
        ("admin", {"agency": "DUKCAPIL"}, DUKCAPIL_POSITIONS),
        ("admin", {"unit": "DINKES-YANKES"}, ["DINKES-ANALIS-SDM", "DINKES-KABID-YANKES"]),
        ("admin", {"agency": "DINKES", "unit": "DUKCAPIL"}, []),
        ("head", {"agency": "DUKCAPIL"}, []),
        ("head", {"unit": "DUKCAPIL"}, []),
        ("employee", {"unit": "DINKES-PKM-PLAJU"}, DINKES_POSITIONS[3:]),
        ("admin", {"unit": "NO-SUCH-UNIT"}, []),
    ],
)
def test_filters_narrow_within_the_scope(cast, api_get, persona, query, expected):
    assert codes(api_get(cast.users[persona], **query)) == expected


def test_without_a_token_the_list_is_refused(cast, client):
    assert client.get(URL).status_code == 401


def test_the_position_list_is_paged(cast, api_get):
    response = api_get(cast.admin, limit=5, offset=5)

    assert codes(response) == DUKCAPIL_POSITIONS
    assert response["X-Total-Count"] == "7"
    assert 'rel="next"' not in response["Link"]
    assert 'rel="prev"' in response["Link"]


@pytest.mark.parametrize(
    ("query", "field"), [({"limit": 5000}, "limit"), ({"unit": "\x00"}, "unit")]
)
def test_bad_query_parameters_are_a_422(cast, api_get, query, field):
    response = api_get(cast.admin, **query)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
