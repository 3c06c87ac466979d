"""The form fields of numbers people type (``NumberField``, ``NumberOrRangeField``): read as
the active language writes numbers, written back the same way, with what the live reading in
the browser needs."""

import json
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django import forms
from django.utils import translation

from kinerja.core.forms import NumberField, NumberOrRangeField


class Sample(forms.Form):
    value = NumberField(label="Value", required=False)
    target = NumberOrRangeField(label="Target", required=False)


@pytest.mark.parametrize(
    ("language", "typed", "value"),
    [
        ("id", "1.200", Decimal(1200)),
        ("id", "12,5", Decimal("12.5")),
        ("en", "1,200", Decimal(1200)),
        ("en", "12.5", Decimal("12.5")),
        ("id", "", None),
    ],
)
def test_a_number_is_read_in_the_active_language(language, typed, value):
    with translation.override(language):
        form = Sample({"value": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["value"] == value


@pytest.mark.parametrize(
    ("typed", "target"),
    [
        ("1.200", Decimal(1200)),
        ("80-90", {"low": Decimal(80), "high": Decimal(90)}),
        ("1.200 - 1.500", {"low": Decimal(1200), "high": Decimal(1500)}),
        ("12,5–15", {"low": Decimal("12.5"), "high": Decimal(15)}),
        ("80 s.d. 90", {"low": Decimal(80), "high": Decimal(90)}),
        ("-5", Decimal(-5)),
        ("", None),
    ],
)
def test_a_target_is_a_number_or_a_range(typed, target):
    with translation.override("id"):
        form = Sample({"target": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["target"] == target


@pytest.mark.parametrize(("field", "typed"), [("value", "1,2"), ("target", "80-9,0")])
def test_an_ambiguous_entry_is_refused_on_its_field(field, typed):
    with translation.override("en"):
        form = Sample({field: typed})
        assert not form.is_valid()
    assert "Write 1,200 for one thousand two hundred" in form.errors[field][0]


@pytest.mark.parametrize(
    ("language", "initial", "shown"),
    [("id", Decimal("1200.50"), 'value="1.200,5"'), ("en", Decimal("1200.50"), 'value="1,200.5"')],
)
def test_a_stored_number_is_shown_back_as_the_language_writes_it(language, initial, shown):
    with translation.override(language):
        html = str(Sample(initial={"value": initial})["value"])
    assert shown in html


def test_a_range_is_shown_back_as_low_dash_high():
    with translation.override("id"):
        html = str(
            Sample(initial={"target": {"low": Decimal(1200), "high": Decimal(1500)}})["target"]
        )
    assert 'value="1.200-1.500"' in html


@pytest.mark.parametrize(("language", "group", "mark"), [("id", ".", ","), ("en", ",", ".")])
def test_the_input_carries_the_rules_of_the_live_reading(language, group, mark):
    with translation.override(language):
        html = str(Sample()["target"])
    parser = Attributes()
    parser.feed(html)
    assert parser.attrs["inputmode"] == "decimal"
    rules = json.loads(parser.attrs["data-number"])
    assert (rules["group"], rules["decimal"], rules["range"]) == (group, mark, True)
    assert "%(number)s" in rules["read"]


class Attributes(HTMLParser):
    def handle_starttag(self, tag, attrs):
        self.attrs = dict(attrs)
