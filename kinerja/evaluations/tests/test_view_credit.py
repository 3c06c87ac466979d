"""The credit-point ledger page (``evaluations:credit``): the year's entries, the base and the
running total; the Pengelola Kinerja records a PAK; 404 for those who may not see the
employee."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.evaluations.models import CreditBase

from .ledger_support import plan_from, rate
from .support import ANNUAL, YEAR, english_pages, text_of  # noqa: F401

pytestmark = pytest.mark.django_db


def url(cast, who="employee") -> str:
    return reverse("evaluations:credit", args=[cast.employees[who].nip]) + f"?year={YEAR}"


@pytest.fixture
def rated_year(cast):
    skp = plan_from(cast)
    rate(cast, skp, f"{YEAR}-Q1", "Sangat Baik")
    rate(cast, skp, ANNUAL)
    return skp


READERS = ["employee", "rater", "rater_superior", "head", "pengelola", "admin", "auditor"]


@pytest.mark.parametrize("who", READERS)
def test_those_who_see_the_employee_read_the_ledger(cast, client_for, rated_year, who):
    response = client_for(cast.users[who]).get(url(cast))
    assert response.status_code == 200
    text = text_of(response)
    for fragment in (f"TW I {YEAR}", "Sangat Baik", "1.88", "3.75", "5.63", "none recorded"):
        assert fragment in text, fragment
    assert ('id="credit-base-form"' in text) == (who in {"pengelola", "admin"})


def test_the_pengelola_records_a_pak_and_the_running_total_follows(cast, client_for, rated_year):
    client = client_for(cast.pengelola)
    response = client.post(
        url(cast), {"amount": "40.5", "pak_number": "PAK/3/2025", "pak_date": f"31/03/{YEAR}"},
        follow=True,
    )  # fmt: skip
    base = CreditBase.objects.get()
    assert (base.amount, base.pak_number) == (Decimal("40.5"), "PAK/3/2025")
    text = text_of(response)
    assert "The PAK PAK/3/2025 of Siti Aminah, A.Md.Kep is recorded." in text
    assert "44.25" in text  # 40.5 + the annual entry after 31 March (3.75)


def test_a_bad_pak_is_shown_on_the_form(cast, client_for, rated_year):
    response = client_for(cast.pengelola).post(
        url(cast), {"amount": "banyak", "pak_number": "PAK/1", "pak_date": f"31/03/{YEAR}"}
    )
    assert response.status_code == 200
    assert not CreditBase.objects.exists()
    assert 'id="credit-base-form"' in text_of(response)


@pytest.mark.parametrize("who", ["employee", "rater", "auditor"])
def test_others_may_not_record_a_pak(cast, client_for, rated_year, who):
    response = client_for(cast.users[who]).post(
        url(cast), {"amount": "1", "pak_number": "PAK/1", "pak_date": f"31/03/{YEAR}"}
    )
    assert response.status_code == 403
    assert not CreditBase.objects.exists()


def test_an_outsider_does_not_find_the_employee(cast, client_for, rated_year):
    assert client_for(cast.outsider).get(url(cast)).status_code == 404


def test_a_non_functional_employee_has_no_ledger_and_no_form(cast, client_for):
    text = text_of(client_for(cast.admin).get(url(cast, "pengelola")))
    assert "Credit points are for functional positions" in text
    assert 'id="credit-base-form"' not in text


def test_my_performance_shows_the_credit_points_of_a_functional_employee(
    cast, client_for, rated_year
):
    text = text_of(client_for(cast.employee).get(reverse("evaluations:mine") + f"?year={YEAR}"))
    assert 'id="my-credit"' in text and "5.63" in text
    other = text_of(client_for(cast.pengelola).get(reverse("evaluations:mine") + f"?year={YEAR}"))
    assert 'id="my-credit"' not in other


def test_a_subordinate_does_not_open_the_raters_ledger_nor_its_pak(cast, client_for):
    client = client_for(cast.employee)
    assert client.get(url(cast, "rater")).status_code == 404
    pdf = reverse("evaluations:credit_pdf", args=[cast.employees["rater"].nip])
    assert client.get(pdf).status_code == 404
