"""Form helpers every app shares: services' errors on a form, and the number fields."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseForm
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .numbers import NumberError, convention_of, from_form, refusal_texts, to_form


def errors_to_form(
    form: BaseForm, exc: ValidationError, *, fields: dict[str, str | None] | None = None
) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    it (``fields`` renames service keys to form fields; ``None`` puts a key above the form),
    otherwise above the form."""
    fields = fields or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.error_dict.items():
        name = fields.get(key, key)
        if key == NON_FIELD_ERRORS or name not in form.fields:
            name = None
        for error in errors:
            form.add_error(name, error.messages)


# --- Numbers people type ------------------------------------------------------------------------


class NumberInput(forms.TextInput):
    """A text box for a number (not ``type=number``, which would refuse ``1.200,5``), with
    what ``kinerja/number-reading.js`` needs to show, as the user types, how it is read."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, allow_range: bool = False):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})
        self.allow_range = allow_range

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-number"] = json.dumps(reading_rules(self.allow_range))
        return context


def reading_rules(allow_range: bool = False) -> dict[str, Any]:
    """The active language's way of writing numbers and the texts of the live reading, in
    the same words as :func:`kinerja.core.numbers.from_form`'s refusals."""
    c = convention_of(get_language())
    return {
        "lang": "id" if c.decimal == "," else "en",
        "group": c.group,
        "decimal": c.decimal,
        "range": allow_range,
        "read": _("Read as: %(number)s"),
        **refusal_texts(c),
    }


class NumberField(forms.CharField):
    """A number typed as the user's language writes it (``1.200``, ``12,5`` in Indonesian;
    ``1,200``, ``12.5`` in English), cleaned to a ``Decimal`` (``None`` when left empty);
    a stored ``Decimal`` is shown back the same way. Services keep taking ``Decimal``."""

    widget = NumberInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return to_form(value, get_language())
        if isinstance(value, int | float) and not isinstance(value, bool):
            return to_form(Decimal(str(value)), get_language())
        return super().prepare_value(value)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)  # the text, its length checked
        if text in self.empty_values:
            return None
        try:
            return self.read(text)
        except NumberError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

    def read(self, text: str) -> Any:
        return from_form(text, get_language())


RANGE_SEPARATOR = re.compile(r"\s*(?:–|—|s\.?\s?d\.?|(?<=[0-9])\s*-)\s*(?=-?[0-9])", re.IGNORECASE)


class NumberOrRangeField(NumberField):
    """A target: one number, or a range ``80-90`` (also ``80 – 90``, ``80 s.d. 90``) of two
    numbers written as the language writes them (``1.200-1.500``). Cleans to a ``Decimal``,
    ``{"low": Decimal, "high": Decimal}`` or ``None``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", NumberInput(allow_range=True))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            low, high = value.get("low"), value.get("high")
            return f"{super().prepare_value(low)}-{super().prepare_value(high)}"
        return super().prepare_value(value)

    def read(self, text: str) -> Any:
        parts = RANGE_SEPARATOR.split(text.strip(), maxsplit=1)
        if len(parts) == 1:
            return from_form(text, get_language())
        low, high = (from_form(part, get_language()) for part in parts)
        return {"low": low, "high": high}
