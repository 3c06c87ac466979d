"""credit_base_set: the Pengelola Kinerja records a PAK, the ledger's base."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.evaluations.ledger import credit_ledger
from kinerja.evaluations.models import CreditBase
from kinerja.evaluations.services import credit_base_set

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


def record(cast, who="pengelola", employee="employee", **kw):
    args = {"amount": "45.250", "pak_number": "PAK/7/2026", "pak_date": date(2026, 6, 30)} | kw
    return credit_base_set(
        employee=cast.employees[employee], by=cast.users[who], today=TODAY, **args
    )


@pytest.mark.parametrize("who", ["pengelola", "admin"])
def test_the_performance_administrator_records_a_pak(cast, who):
    base = record(cast, who)
    assert (base.amount, base.level, base.rank) == (Decimal("45.250"), "terampil", "III/a")
    assert credit_ledger(cast.employees["employee"], 2026).base == base


@pytest.mark.parametrize("who", ["employee", "rater", "rater_superior", "head", "auditor"])
def test_others_may_not(cast, who):
    with pytest.raises(PermissionDenied):
        record(cast, who)
    assert not CreditBase.objects.exists()


def test_the_latest_pak_by_date_is_the_base(cast):
    record(cast, pak_number="PAK/2", pak_date=date(2026, 6, 30))
    record(cast, pak_number="PAK/1", pak_date=date(2025, 6, 30))
    assert credit_ledger(cast.employees["employee"], 2026).base.pak_number == "PAK/2"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": "-1"}, "amount"),
        ({"amount": "banyak"}, "amount"),
        ({"amount": "1.0005"}, "amount"),
        ({"pak_number": " "}, "pak_number"),
        ({"pak_date": date(2026, 12, 8)}, "pak_date"),
    ],
)
def test_a_bad_pak_is_refused_on_its_field(cast, changes, field):
    with pytest.raises(ValidationError) as refused:
        record(cast, **changes)
    assert field in refused.value.message_dict


def test_a_non_functional_employee_has_no_pak(cast):
    with pytest.raises(ValidationError) as refused:
        record(cast, who="admin", employee="pengelola")
    assert "employee" in refused.value.message_dict
