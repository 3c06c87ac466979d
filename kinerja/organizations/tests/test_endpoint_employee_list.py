"""GET /api/v1/employees (``employee_list``): who lists whom, the rows, filters, paging and cost;
without a token, the list and the detail are refused."""

import pytest

from kinerja.core.actors import SYSTEM
from kinerja.organizations.models import Employee
from kinerja.organizations.services import raters_recompute
from kinerja.organizations.tests.support import EMPLOYEES, nip
from kinerja.testing.factories import EmployeeFactory, make_nip

ALL_DINKES = {"head", "rater_superior", "rater", "employee", "colleague", "pengelola"}


EVERYONE = ALL_DINKES | {"other_head", "outsider"}


def nips(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["nip"] for row in response.json()}


# --- Who sees whom ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("employee", {"employee", "rater", "rater_superior"}),
        ("rater", {"rater", "employee", "colleague", "rater_superior", "head"}),
        ("head", ALL_DINKES),
        ("pengelola", ALL_DINKES),
        ("outsider", {"outsider", "other_head"}),
        ("admin", EVERYONE),
        ("auditor", EVERYONE),
    ],
)
def test_each_persona_lists_exactly_these_employees(cast, api_get, persona, expected):
    assert nips(api_get(cast.users[persona])) == {nip(cast, key) for key in expected}


@pytest.mark.parametrize("persona", ["employee", "rater", "head", "pengelola"])
def test_another_agencys_employee_is_absent_from_the_list(cast, api_get, persona):
    assert nip(cast, "outsider") not in nips(api_get(cast.users[persona]))


def test_without_a_token_the_list_and_the_detail_are_refused(cast, client):
    assert client.get(EMPLOYEES).status_code == 401
    assert client.get(f"{EMPLOYEES}/{nip(cast, 'employee')}").status_code == 401


def test_a_list_row_has_the_codes_and_the_raters_nips(cast, api_get):
    rows = {row["nip"]: row for row in api_get(cast.employee).json()}

    assert rows[nip(cast, "employee")] == {
        "nip": nip(cast, "employee"),
        "name": "Siti Aminah, A.Md.Kep",
        "status": "PNS",
        "rank": "III/a",
        "agency": "DINKES",
        "unit": "DINKES-PKM-PLAJU",
        "position": "DINKES-PKM-PLAJU-PERAWAT",
        "rater": nip(cast, "rater"),
        "rater_superior": nip(cast, "rater_superior"),
        "active": True,
    }


# --- Filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "query", "expected"),
    [
        ("admin", {"agency": "DUKCAPIL"}, {"other_head", "outsider"}),
        ("admin", {"unit": "DINKES-PKM-PLAJU"}, {"rater", "employee", "colleague"}),
        ("admin", {"agency": "DUKCAPIL", "unit": "DINKES-PKM-PLAJU"}, set()),
        ("admin", {"q": "aminah"}, {"employee"}),
        ("admin", {"q": "DR."}, {"head", "rater"}),
        ("head", {"agency": "DUKCAPIL"}, set()),
        ("head", {"unit": "DUKCAPIL"}, set()),
        ("employee", {"unit": "DINKES-PKM-PLAJU"}, {"employee", "rater"}),
        ("employee", {"q": "andi"}, set()),
        ("admin", {"agency": "NO-SUCH-AGENCY"}, set()),
    ],
)
def test_filters_narrow_within_the_scope(cast, api_get, persona, query, expected):
    response = api_get(cast.users[persona], **query)

    assert nips(response) == {nip(cast, key) for key in expected}


def test_q_matches_the_start_of_a_nip(cast, api_get):
    target = nip(cast, "outsider")

    found = nips(api_get(cast.admin, q=f"{target[:8]} {target[8:14]} {target[14]} {target[15:]}"))

    assert found == {target}


def test_the_active_filter_separates_current_and_former_employees(cast, api_get):
    former = cast.employees["colleague"]
    former.active = False
    former.save(update_fields=["active"])

    assert nips(api_get(cast.admin, active="false")) == {former.nip}
    assert former.nip not in nips(api_get(cast.admin, active="true"))
    assert former.nip in nips(api_get(cast.admin))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 5000}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"active": "perhaps"}, "active"),
        # PostgreSQL refuses NUL in text: it must be bad input, never a database error.
        ({"q": "\x00"}, "q"),
        ({"agency": "DINKES\x00"}, "agency"),
        ({"unit": "\x1b[2J"}, "unit"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_query_parameters_are_a_422_naming_the_field(cast, api_get, query, field):
    response = api_get(cast.admin, **query)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == [field]
    assert all(error["message"] for error in errors)


# --- Paging and cost ----------------------------------------------------------------------------


def many_nurses(n: int, cast) -> None:
    # Another birth date than the cast's, so that the NIPs cannot collide with theirs.
    for i in range(n):
        EmployeeFactory(nip=make_nip(i, birth="19900101"), position=cast.positions["perawat"])


def test_the_employee_list_is_paged_by_name(cast, api_get):
    first = api_get(cast.admin, limit=3)
    second = api_get(cast.admin, limit=3, offset=3)

    names = [row["name"] for row in first.json() + second.json()]
    assert names == sorted(Employee.objects.values_list("name", flat=True))[:6]
    assert first["X-Total-Count"] == "8"
    assert '; rel="next"' in first["Link"]
    assert "offset=3" in first["Link"]


def test_the_next_link_keeps_the_filters(cast, api_get):
    response = api_get(cast.admin, agency="DINKES", limit=2)

    link = response["Link"]
    assert "agency=DINKES" in link
    assert "offset=2" in link
    assert link.startswith("<http")


def test_listing_many_employees_costs_a_bounded_number_of_queries(
    cast, client, bearer, django_assert_max_num_queries
):
    many_nurses(120, cast)
    raters_recompute(by=SYSTEM)
    auth = bearer(cast.admin)
    client.get(EMPLOYEES, **auth)  # the first use of a token notes it; measure a steady request

    with django_assert_max_num_queries(5):
        response = client.get(EMPLOYEES, {"limit": 1000}, **auth)

    assert len(response.json()) == 128
    assert all(
        row["rater"] == nip(cast, "rater")
        for row in response.json()
        if row["name"].startswith("Pegawai")
    )


def test_listing_as_an_employee_costs_a_bounded_number_of_queries(
    cast, client, bearer, django_assert_max_num_queries
):
    many_nurses(50, cast)
    raters_recompute(by=SYSTEM)
    auth = bearer(cast.rater)
    client.get(EMPLOYEES, **auth)

    with django_assert_max_num_queries(9):
        response = client.get(EMPLOYEES, **auth)

    assert len(response.json()) == 55
