"""Quantities that people type or programs send: targets and realisations are ``Decimal``.

JSON numbers, decimal strings (``"12.5"``) and the Indonesian decimal comma (``"12,5"``) are
accepted; floats are read through their shortest text form so that 0.1 stays 0.1.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_DIGITS = 20
DECIMAL_PLACES = 4


class NumberError(ValueError):
    pass


def to_decimal(raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise NumberError(_("Give a number, e.g. 12.5."))
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = raw.strip().replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        if not text:
            raise NumberError(_("Give a number, e.g. 12.5."))
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise NumberError(
                _("'%(value)s' is not a number; write e.g. 12.5.") % {"value": raw[:40]}
            ) from None
    else:
        raise NumberError(_("Give a number, e.g. 12.5."))
    if not value.is_finite():
        raise NumberError(_("Give a finite number, e.g. 12.5."))
    places = Decimal(1).scaleb(-DECIMAL_PLACES)
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > DECIMAL_PLACES:
        if value != value.quantize(places):
            raise NumberError(_("At most %(places)d decimal places.") % {"places": DECIMAL_PLACES})
        value = value.quantize(places)
    if abs(value) >= Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES):
        raise NumberError(_("The number is too large."))
    return value


def optional_decimal(raw: object) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return to_decimal(raw)
