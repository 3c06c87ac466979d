"""The one filter that shows numbers on pages (``{{ value|angka }}``, ``{{ value|angka:unit }}``):
at most two decimals, trailing zeros dropped, grouped as the reader's language writes them."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from kinerja.core.templatetags.numbers import angka

ROWS = [
    # (value, argument, Indonesian, English)
    (Decimal("12.29566666666666666666666667"), None, "12,3", "12.3"),
    (Decimal("12.3"), None, "12,3", "12.3"),
    (Decimal("1200"), None, "1.200", "1,200"),
    (Decimal("1200.0000"), None, "1.200", "1,200"),
    (Decimal("0.5"), None, "0,5", "0.5"),
    (Decimal("0.50"), None, "0,5", "0.5"),
    (Decimal("1234567.891"), None, "1.234.567,89", "1,234,567.89"),
    (Decimal("99.995"), None, "100", "100"),
    (Decimal("-2.345"), None, "-2,35", "-2.35"),
    (Decimal("-0.001"), None, "0", "0"),
    (1200, None, "1.200", "1,200"),
    (12.3, None, "12,3", "12.3"),
    (0.1, None, "0,1", "0.1"),
    ("87.25", None, "87,25", "87.25"),
    (Decimal("12.29566"), "jam", "12,3", "12.3"),  # hours stay hours
    (Decimal("45.5"), "menit", "45,5", "45.5"),  # minutes stay minutes
    (Decimal("15.00"), "working_hours", "15", "15"),
    (Decimal("95.125"), "%", "95,13", "95.13"),
    (Decimal("112.125"), 3, "112,125", "112.125"),  # a PAK keeps its third decimal
    (Decimal("66.666"), "1", "66,7", "66.7"),
    (None, None, "", ""),
    ("", None, "", ""),
    ("banyak", None, "", ""),
    (Decimal("NaN"), None, "", ""),
]


@pytest.mark.parametrize(("value", "arg", "indonesian", "english"), ROWS)
def test_a_number_is_shown_rounded_and_grouped_as_the_language_writes_it(
    value, arg, indonesian, english
):
    with translation.override("id"):
        assert angka(value, arg) == indonesian
    with translation.override("en"):
        assert angka(value, arg) == english


def test_templates_load_it_by_name():
    template = Template("{% load numbers %}{{ v|angka }} · {{ d|angka:unit }}")
    with translation.override("id"):
        text = template.render(
            Context({"v": Decimal("1200.50"), "d": Decimal("12.2957"), "unit": "jam"})
        )
    assert text == "1.200,5 · 12,3"
