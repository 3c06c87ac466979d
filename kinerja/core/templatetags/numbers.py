"""``{% load numbers %}{{ value|angka }}``: the one way a number is shown on a page — at most
two decimals, trailing zeros dropped, grouped as the reader's language writes numbers
(``12,3`` · ``1.200`` · ``0,5`` in Indonesian; ``12.3`` · ``1,200`` · ``0.5`` in English).

The argument is either the value's unit or, for the few places that keep more, the most
decimals to show:

* ``{{ value|angka:iki.unit_of_measure }}`` — a value stays in the unit it is measured in:
  a duration of 12,2956… "jam" shows as 12,3 (hours), 45,5 "menit" as 45,5 (minutes), never
  converted to another unit and never with more than two decimals; counts and percentages
  the same;
* ``{{ amount|angka:3 }}`` — at most three decimals (a PAK's credit points).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()

PLACES = 2


def _decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _places(arg: object) -> int:
    """At most how many decimals: a whole number argument says so; a unit (or nothing) two."""
    if isinstance(arg, int) and not isinstance(arg, bool):
        return max(0, min(arg, 4))
    if isinstance(arg, str) and arg.strip().isdigit():
        return max(0, min(int(arg), 4))
    return PLACES


def rounded(value: object, arg: object = None) -> Decimal | None:
    """The number :func:`angka` shows, before grouping: rounded half up to the allowed decimals,
    trailing zeros dropped (``Decimal("12.3")``, ``Decimal("1200")``)."""
    number = _decimal(value)
    if number is None:
        return None
    number = number.quantize(Decimal(1).scaleb(-_places(arg)), rounding=ROUND_HALF_UP)
    if number == 0:
        return Decimal(0)
    return Decimal(format(number.normalize(), "f"))


@register.filter(is_safe=True)
def angka(value: object, arg: object = None) -> str:
    """A number as the reader's language writes it; empty for nothing or for what is no
    number (as ``floatformat`` does)."""
    number = rounded(value, arg)
    if number is None:
        return ""
    return number_format(number, use_l10n=True, force_grouping=True)
