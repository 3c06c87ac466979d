"""GET /api/v1/employees/{nip} (``employee_detail``): found inside the scope, an invisible employee
looks exactly like a missing one; the record with its rater chain."""

import pytest

from kinerja.core.actors import SYSTEM
from kinerja.organizations.services import raters_recompute
from kinerja.organizations.tests.support import EMPLOYEES, nip
from kinerja.testing.factories import EmployeeFactory, make_nip


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
    response = api_get(cast.users[persona], f"{EMPLOYEES}/{nip(cast, target)}")

    assert response.status_code == 404
    assert set(response.json()) == {"error"}


def test_an_invisible_employee_looks_exactly_like_a_missing_one(cast, api_get):
    hidden = api_get(cast.employee, f"{EMPLOYEES}/{nip(cast, 'outsider')}")
    missing = api_get(cast.employee, f"{EMPLOYEES}/198001012005011999")
    garbage = api_get(cast.employee, f"{EMPLOYEES}/not-a-nip")
    nul = api_get(cast.employee, f"{EMPLOYEES}/1985%0003")

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
    response = api_get(cast.users[persona], f"{EMPLOYEES}/{nip(cast, target)}")

    assert response.status_code == 200
    assert response.json()["nip"] == nip(cast, target)


# --- The rows -----------------------------------------------------------------------------------


def test_an_employee_sees_their_own_record_with_the_rater_chain(cast, api_get):
    response = api_get(cast.employee, f"{EMPLOYEES}/{nip(cast, 'employee')}")

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


def test_the_agency_head_is_rated_by_the_head_of_region(cast, api_get):
    row = api_get(cast.admin, f"{EMPLOYEES}/{nip(cast, 'head')}").json()

    assert row["rater"] is None
    assert row["rater_name"] == "Wali Kota Palembang"
    assert row["rater_basis"] == "region_head"
    assert row["rater_superior"] is None
    assert row["rater_superior_name"] is None


def test_below_the_agency_head_the_raters_superior_is_the_head_of_region(cast, api_get):
    row = api_get(cast.admin, f"{EMPLOYEES}/{nip(cast, 'rater_superior')}").json()

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

    row = api_get(cast.admin, f"{EMPLOYEES}/{contract.nip}").json()

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

    row = api_get(cast.admin, f"{EMPLOYEES}/{former.nip}").json()

    assert row["active"] is False
    assert row["rater"] is None
    assert row["rater_basis"] is None
    assert row["superior_basis"] is None


def test_a_nip_typed_with_spaces_finds_the_employee(cast, api_get):
    value = nip(cast, "employee")
    spaced = f"{value[:8]} {value[8:14]} {value[14]} {value[15:]}"

    response = api_get(cast.employee, f"{EMPLOYEES}/{spaced}")

    assert response.status_code == 200
    assert response.json()["nip"] == value
