"""Numbers as people type them into forms (``from_form``), written back (``to_form``), and
the API's reading (``to_decimal``), which stays as it was."""

from decimal import Decimal

import pytest
from django.utils import translation

from kinerja.core.numbers import NumberError, from_form, to_decimal, to_form

READ = [
    # (language, typed, read as)
    ("id", "1.200", "1200"),
    ("id", "12,5", "12.5"),
    ("id", "1.200,5", "1200.5"),
    ("id", "1.234.567", "1234567"),
    ("id", "1200", "1200"),
    ("id", "0,5", "0.5"),
    ("id", " 87,25 ", "87.25"),
    ("id", "-2,5", "-2.5"),
    ("id", "12.500", "12500"),
    ("id", "0", "0"),
    ("en", "1,200", "1200"),
    ("en", "12.5", "12.5"),
    ("en", "1,200.5", "1200.5"),
    ("en", "1,234,567", "1234567"),
    ("en", "0.5", "0.5"),
    ("en-us", "12.5", "12.5"),
    (None, "1.200", "1200"),
]


@pytest.mark.parametrize(("language", "typed", "value"), READ)
def test_a_typed_number_is_read_as_its_language_writes_it(language, typed, value):
    assert from_form(typed, language) == Decimal(value)


REFUSED = [
    # (language, typed, part of the reason)
    ("id", "1.2", "'.' separates thousands and must be followed by three digits"),
    ("id", "12.50", "'.' separates thousands and must be followed by three digits"),
    ("id", "1,2,3", "more than one decimal mark ','"),
    ("id", "1.20,5", "'.' separates thousands and must be followed by three digits"),
    ("id", "1 2", "is not a number"),
    ("id", "12,5.000", "comes after the decimal mark"),
    ("id", "0.500", "'.' separates thousands and must be followed by three digits"),
    ("id", "1.2000", "'.' separates thousands and must be followed by three digits"),
    ("id", "abc", "is not a number"),
    ("id", "", "Give a number"),
    ("en", "1,2", "',' separates thousands and must be followed by three digits"),
    ("en", "12,50", "',' separates thousands and must be followed by three digits"),
    ("en", "1.2.3", "more than one decimal mark '.'"),
    ("en", "1 2", "is not a number"),
]


@pytest.mark.parametrize(("language", "typed", "reason"), REFUSED)
def test_an_ambiguous_or_malformed_number_is_refused_with_the_reason(language, typed, reason):
    with translation.override("en"), pytest.raises(NumberError) as refused:
        from_form(typed, language)
    assert reason in str(refused.value)


@pytest.mark.parametrize(
    ("language", "example"),
    [
        ("id", "Write 1.200 for one thousand two hundred or 12,5 for twelve and a half."),
        ("en", "Write 1,200 for one thousand two hundred or 12.5 for twelve and a half."),
    ],
)
def test_a_refusal_gives_the_languages_own_example(language, example):
    with translation.override("en"), pytest.raises(NumberError) as refused:
        from_form("1.2.3,4,5", language)
    assert str(refused.value).endswith(example)


def test_a_number_with_more_than_four_decimals_is_refused():
    with translation.override("en"), pytest.raises(NumberError, match="decimal places"):
        from_form("1,23456", "id")


@pytest.mark.parametrize(
    ("language", "value", "written"),
    [
        ("id", "1200", "1.200"),
        ("id", "1200.5000", "1.200,5"),
        ("id", "12.5", "12,5"),
        ("id", "-1234567.25", "-1.234.567,25"),
        ("id", "0.0001", "0,0001"),
        ("en", "1200.5", "1,200.5"),
        ("en", "80", "80"),
    ],
)
def test_a_stored_number_is_written_back_so_that_it_reads_the_same(language, value, written):
    assert to_form(Decimal(value), language) == written
    assert from_form(written, language) == Decimal(value)


@pytest.mark.parametrize(
    ("raw", "value"),
    [(12.5, "12.5"), (1200, "1200"), ("12.5", "12.5"), ("12,5", "12.5"), ("1.200", "1.2")],
)
def test_the_api_keeps_reading_plain_decimals(raw, value):
    assert to_decimal(raw) == Decimal(value)
