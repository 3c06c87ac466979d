"""GET /api/v1/employees and /api/v1/employees/{nip}."""

from itertools import count

import pytest

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.organizations.models import Employee
from kinerja.organizations.services import raters_recompute
from kinerja.testing.factories import EmployeeFactory, make_nip

URL = "/api/v1/employees"
ALL_DINKES = {"head", "rater_superior", "rater", "employee", "colleague", "pengelola"}
EVERYONE = ALL_DINKES | {"other_head", "outsider"}
_names = count(1)


@pytest.fixture
def bearer():
    """``bearer(user)``: the Authorization header of a fresh personal token of ``user``."""

    def make(user) -> dict[str, str]:
        _, secret = token_create(name=f"employees-{next(_names)}", user=user, by=SYSTEM)
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make


@pytest.fixture
def api_get(client, bearer):
    def get(user, path=URL, **query):
        return client.get(path, query, **bearer(user))

    return get


def nip(cast, key: str) -> str:
    return cast.employees[key].nip


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


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("employee", "outsider"),
        ("employee", "colleague"),
        ("rater", "pengelola"),
        ("head", "outsider"),
        ("pengelola", "other_head"),
        ("outsider", "employee"),
    ],
)
def test_an_employee_outside_the_scope_is_not_found(cast, api_get, persona, target):
    response = api_get(cast.users[persona], f"{URL}/{nip(cast, target)}")

    assert response.status_code == 404
    assert set(response.json()) == {"error"}


def test_an_invisible_employee_looks_exactly_like_a_missing_one(cast, api_get):
    hidden = api_get(cast.employee, f"{URL}/{nip(cast, 'outsider')}")
    missing = api_get(cast.employee, f"{URL}/198001012005011999")
    garbage = api_get(cast.employee, f"{URL}/not-a-nip")
    nul = api_get(cast.employee, f"{URL}/1985%0003")

    assert {r.status_code for r in (hidden, missing, garbage, nul)} == {404}
    assert hidden.json() == missing.json() == garbage.json() == nul.json()


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("employee", "employee"),
        ("employee", "rater"),
        ("employee", "rater_superior"),
        ("rater", "employee"),
        ("head", "pengelola"),
        ("pengelola", "head"),
        ("admin", "outsider"),
        ("auditor", "employee"),
    ],
)
def test_an_employee_inside_the_scope_is_found(cast, api_get, persona, target):
    response = api_get(cast.users[persona], f"{URL}/{nip(cast, target)}")

    assert response.status_code == 200
    assert response.json()["nip"] == nip(cast, target)


def test_without_a_token_the_list_and_the_detail_are_refused(cast, client):
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}/{nip(cast, 'employee')}").status_code == 401


# --- The rows -----------------------------------------------------------------------------------


def test_an_employee_sees_their_own_record_with_the_rater_chain(cast, api_get):
    response = api_get(cast.employee, f"{URL}/{nip(cast, 'employee')}")

    assert response.json() == {
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
        "rater_name": "dr. Ahmad Fauzi",
        "rater_superior_name": "Rina Marlina, S.KM",
        "rater_basis": "tree",
        "superior_basis": "tree",
    }


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


def test_the_agency_head_is_rated_by_the_head_of_region(cast, api_get):
    row = api_get(cast.admin, f"{URL}/{nip(cast, 'head')}").json()

    assert row["rater"] is None
    assert row["rater_name"] == "Wali Kota Palembang"
    assert row["rater_basis"] == "region_head"
    assert row["rater_superior"] is None
    assert row["rater_superior_name"] is None


def test_below_the_agency_head_the_raters_superior_is_the_head_of_region(cast, api_get):
    row = api_get(cast.admin, f"{URL}/{nip(cast, 'rater_superior')}").json()

    assert row["rater"] == nip(cast, "head")
    assert row["rater_name"] == "dr. Hendra Wijaya, M.Kes"
    assert row["rater_superior"] is None
    assert row["rater_superior_name"] == "Wali Kota Palembang"
    assert row["superior_basis"] == "region_head"


def test_a_pppk_employee_without_a_position_or_rank(cast, api_get):
    contract = EmployeeFactory(
        nip=make_nip(1, birth="19900101", sex=2),
        unit=cast.units["pkm"],
        position=None,
        status="pppk",
        rank="",
        name="Ani PPPK",
    )
    raters_recompute(by=SYSTEM)

    row = api_get(cast.admin, f"{URL}/{contract.nip}").json()

    assert row["status"] == "PPPK"
    assert row["rank"] is None
    assert row["position"] is None
    assert row["rater"] is None
    assert row["rater_basis"] == "none"


def test_a_former_employee_has_no_rater_chain(cast, api_get):
    former = cast.employees["colleague"]
    former.active = False
    former.save(update_fields=["active"])
    raters_recompute(by=SYSTEM)

    row = api_get(cast.admin, f"{URL}/{former.nip}").json()

    assert row["active"] is False
    assert row["rater"] is None
    assert row["rater_basis"] is None
    assert row["superior_basis"] is None


def test_a_nip_typed_with_spaces_finds_the_employee(cast, api_get):
    value = nip(cast, "employee")
    spaced = f"{value[:8]} {value[8:14]} {value[14]} {value[15:]}"

    response = api_get(cast.employee, f"{URL}/{spaced}")

    assert response.status_code == 200
    assert response.json()["nip"] == value


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
    client.get(URL, **auth)  # the first use of a token notes it; measure a steady request

    with django_assert_max_num_queries(5):
        response = client.get(URL, {"limit": 1000}, **auth)

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
    client.get(URL, **auth)

    with django_assert_max_num_queries(9):
        response = client.get(URL, **auth)

    assert len(response.json()) == 55
