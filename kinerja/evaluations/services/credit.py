"""The base of the credit-point ledger: the last PAK (penetapan angka kredit) of a functional
employee, entered by the agency's Pengelola Kinerja (or the region's administrator). The
entries themselves are written by :func:`kinerja.evaluations.ledger.ledger_refresh`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import audit
from kinerja.core.actors import Actor, user_of
from kinerja.core.numbers import NumberError, to_decimal
from kinerja.organizations.models import Employee
from kinerja.skp.permissions import is_administrator
from kinerja.skp.services import clean_text

from .. import permissions
from ..models import CreditBase

MAX_POINTS = Decimal("10000")


def _amount(raw: object) -> Decimal:
    try:
        amount = to_decimal(raw)
    except NumberError as exc:
        raise ValidationError({"amount": str(exc)}) from None
    if not Decimal(0) <= amount < MAX_POINTS or amount != amount.quantize(Decimal("0.001")):
        raise ValidationError(
            {"amount": _("Give the cumulative credit points of the PAK, e.g. 112.5.")}
        )
    return amount


@transaction.atomic
def credit_base_set(
    *,
    employee: Employee,
    by: Actor,
    amount: object,
    pak_number: str,
    pak_date: date,
    today: date | None = None,
) -> CreditBase:
    """Record a PAK of ``employee``: its cumulative credit points ``amount``, its number and
    date; the employee's jenjang and rank are kept as they are now. The latest PAK (by date)
    is the ledger's base. Only the agency's performance administrator (or the region's
    administrator) records it, for a functional employee; not dated in the future."""
    permissions.require(
        is_administrator(by, employee),
        _("Only the performance administrator records a PAK."),
    )
    position = employee.position
    if position is None or position.kind != "jf":
        raise ValidationError({"employee": _("Only a functional employee has credit points.")})
    value = _amount(amount)
    number = clean_text(pak_number, "pak_number", limit=100)
    if not isinstance(pak_date, date) or pak_date > (today or timezone.localdate()):
        raise ValidationError({"pak_date": _("Give the PAK's date; it cannot be in the future.")})
    base = CreditBase.objects.create(
        employee=employee, amount=value, pak_number=number, pak_date=pak_date,
        level=position.level, rank=employee.rank, recorded_by=user_of(by),
    )  # fmt: skip
    audit.record(
        "create", base,
        after={"employee": employee.nip, "amount": audit.to_json(value), "pak_number": number,
               "pak_date": pak_date.isoformat(), "level": position.level},
    )  # fmt: skip
    return base
