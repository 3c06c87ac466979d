"""Quantities that people type or programs send: targets and realisations are ``Decimal``.

The API (:func:`to_decimal`) takes JSON numbers, decimal strings (``"12.5"``) and the
Indonesian decimal comma (``"12,5"``); floats are read through their shortest text form so that
0.1 stays 0.1. Forms (:func:`from_form`, ``kinerja.core.forms.NumberField``) read what people
type as their language writes numbers: ``1.200`` is twelve hundred in Indonesian.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


# --- Numbers typed into a form, as the user's language writes them ------------------------------


@dataclass(frozen=True)
class Convention:
    """How a language writes numbers: the thousands separator, the decimal mark and the two
    examples every refusal gives (one thousand two hundred; twelve and a half)."""

    group: str
    decimal: str
    thousand_example: str
    decimal_example: str


CONVENTIONS = {
    "id": Convention(group=".", decimal=",", thousand_example="1.200", decimal_example="12,5"),
    "en": Convention(group=",", decimal=".", thousand_example="1,200", decimal_example="12.5"),
}


def convention_of(language: str | None) -> Convention:
    """The convention of a language code (``id``, ``en-us``, …); Indonesian by default."""
    base = (language or "id").lower().split("-")[0].split("_")[0]
    return CONVENTIONS.get(base, CONVENTIONS["id"])


def _form_pattern(c: Convention) -> re.Pattern[str]:
    group, mark = re.escape(c.group), re.escape(c.decimal)
    return re.compile(
        rf"(-?)((?:[1-9][0-9]{{0,2}}(?:{group}[0-9]{{3}})+)|[0-9]+)(?:{mark}([0-9]+))?"
    )


def refusal_texts(c: Convention) -> dict[str, str]:
    """The reasons a typed number is refused (``%(value)s``, ``%(group)s``, ``%(mark)s`` to
    fill) and the example that follows each, in the active language: the server's refusal
    and the live reading in the browser (``kinerja/forms.js``) say the same."""
    return {
        "chars": _(
            "'%(value)s' is not a number: write only digits, with '%(group)s' between "
            "thousands and '%(mark)s' before the decimals."
        ),
        "marks": _("'%(value)s' has more than one decimal mark '%(mark)s'."),
        "after": _(
            "In '%(value)s' the thousands separator '%(group)s' comes after the decimal mark."
        ),
        "groups": _(
            "In '%(value)s' the '%(group)s' separates thousands and must be followed by three "
            "digits."
        ),
        "example": _(
            "Write %(thousand)s for one thousand two hundred or %(decimal)s for twelve and a half."
        )
        % {"thousand": c.thousand_example, "decimal": c.decimal_example},
    }


def _refusal(text: str, c: Convention) -> str:
    """The precise reason ``text`` cannot be read, with the language's examples."""
    texts = refusal_texts(c)
    if not re.fullmatch(rf"-?[0-9{re.escape(c.group)}{re.escape(c.decimal)}]+", text):
        reason = texts["chars"]
    elif text.count(c.decimal) > 1:
        reason = texts["marks"]
    elif c.decimal in text and c.group in text.split(c.decimal, 1)[1]:
        reason = texts["after"]
    else:
        reason = texts["groups"]
    reason = reason % {"value": text[:40], "group": c.group, "mark": c.decimal}
    return f"{reason} {texts['example']}"


def from_form(text: str, language: str | None = None) -> Decimal:
    """A number typed into a form, read as the user's language writes it. In Indonesian ``.``
    groups thousands and ``,`` is the decimal mark (``1.200`` is 1200, ``12,5`` is 12.5,
    ``1.200,5`` is 1200.5); in English the other way round (``1,200``, ``12.5``). Anything
    ambiguous or malformed (``1.2``, ``12.50``, ``1,2,3``, ``1.20,5``, ``1 2``) is refused
    with a :class:`NumberError` that says why and gives an example."""
    c = convention_of(language)
    stripped = (text or "").strip().replace("\u2212", "-")
    if not stripped:
        raise NumberError(
            _(
                "Give a number. Write %(thousand)s for one thousand two hundred or "
                "%(decimal)s for twelve and a half."
            )
            % {"thousand": c.thousand_example, "decimal": c.decimal_example}
        )
    match = _form_pattern(c).fullmatch(stripped)
    if match is None:
        raise NumberError(_refusal(stripped, c))
    sign, whole, fraction = match[1], match[2].replace(c.group, ""), match[3]
    return to_decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")


def to_form(value: Decimal | None, language: str | None = None) -> str:
    """A stored number as the user's language writes it back into a form: ``1.200,5`` in
    Indonesian, ``1,200.5`` in English; ``from_form`` reads it back to the same number."""
    if value is None:
        return ""
    c = convention_of(language)
    text = format(value.normalize(), "f")
    sign = "-" if text.startswith("-") else ""
    whole, _dot, fraction = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}".replace(",", c.group)
    return f"{sign}{grouped}{c.decimal}{fraction}" if fraction else f"{sign}{grouped}"
