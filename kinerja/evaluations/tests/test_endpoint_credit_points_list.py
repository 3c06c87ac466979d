"""GET /api/v1/credit-points?employee=NIP&year=YYYY: the ledger of a functional employee."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kinerja.evaluations.services import credit_base_set

from .ledger_support import plan_from, rate
from .support import ANNUAL, PLAN_READERS, YEAR

pytestmark = pytest.mark.django_db

URL = "/api/v1/credit-points"


@pytest.fixture
def rated_year(cast):
    skp = plan_from(cast)
    q1 = rate(cast, skp, f"{YEAR}-Q1", "Sangat Baik")
    annual = rate(cast, skp, ANNUAL)
    return skp, q1, annual


def get(api, user, nip, year=YEAR):
    return api.get(user, URL, employee=nip, year=year)


def test_the_entries_total_and_running_total_without_a_pak(api, cast, rated_year):
    skp, q1, annual = rated_year
    response = get(api, cast.employee, skp.employee.nip)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["entries"] == [
        {
            "period": f"{YEAR}-Q1", "months": 3, "first_month": 1, "last_month": 3,
            "predicate": "Sangat Baik", "percent": 150, "level": "terampil", "coefficient": 5,
            "points": 1.88, "evaluation_id": q1.pk,
        },
        {
            "period": ANNUAL, "months": 9, "first_month": 4, "last_month": 12,
            "predicate": "Baik", "percent": 100, "level": "terampil", "coefficient": 5,
            "points": 3.75, "evaluation_id": annual.pk,
        },
    ]  # fmt: skip
    assert (body["total"], body["base"], body["running_total"]) == (5.63, None, 5.63)
    assert (body["needed_for_rank"], body["needed_for_level"]) == (20, 60)


def test_the_running_total_adds_the_entries_after_the_pak(api, cast, rated_year):
    skp, _q1, _annual = rated_year
    credit_base_set(
        employee=skp.employee, by=cast.pengelola, amount="40,5", pak_number="PAK/12/2025",
        pak_date=date(YEAR, 3, 31),
    )  # fmt: skip
    body = get(api, cast.pengelola, skp.employee.nip).json()
    assert body["base"] == {
        "amount": 40.5, "pak_number": "PAK/12/2025", "pak_date": f"{YEAR}-03-31",
        "level": "terampil",
    }  # fmt: skip
    assert body["total"] == 5.63
    assert body["running_total"] == float(Decimal("40.5") + Decimal("3.75"))  # Q1 is in the PAK


@pytest.mark.parametrize("who", PLAN_READERS)
def test_those_who_see_the_employee_read_the_ledger(api, cast, rated_year, who):
    skp, *_ = rated_year
    assert get(api, cast.users[who], skp.employee.nip).status_code == 200


def test_an_employee_the_caller_may_not_see_is_not_found(api, cast, rated_year):
    skp, *_ = rated_year
    response = get(api, cast.outsider, skp.employee.nip)
    assert response.status_code == 404
    assert "error" in response.json()


def test_another_year_has_no_entries(api, cast, rated_year):
    skp, *_ = rated_year
    body = get(api, cast.employee, skp.employee.nip, year=YEAR - 1).json()
    assert (body["entries"], body["total"]) == ([], 0)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"employee": "12345", "year": YEAR}, "employee"),
        ({"employee": "NIP", "year": "tahun"}, None),
        ({"year": YEAR}, "employee"),
        ({"employee": "x", "year": 1999}, "year"),
    ],
)
def test_a_bad_nip_or_year_is_a_422_naming_the_parameter(api, cast, rated_year, query, field):
    skp, *_ = rated_year
    query = {k: (skp.employee.nip if v == "NIP" else v) for k, v in query.items()}
    response = api.get(cast.employee, URL, **query)
    assert response.status_code == 422, response.content
    fields = {e["field"] for e in response.json()["errors"]}
    assert (field or "year") in fields


def test_without_credentials_401(api, rated_year):
    skp, *_ = rated_year
    assert get(api, None, skp.employee.nip).status_code == 401


def test_a_subordinate_who_may_look_up_the_rater_does_not_read_the_raters_ledger(api, cast):
    rater = cast.employees["rater"]
    assert api.get(cast.employee, f"/api/v1/employees/{rater.nip}").status_code == 200
    response = get(api, cast.employee, rater.nip)
    assert response.status_code == 404
    assert response.json() == get(api, cast.outsider, rater.nip).json()
