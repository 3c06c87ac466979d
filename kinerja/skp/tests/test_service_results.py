"""The work results (``services/results.py``): ``rhk_add`` with targets as a value or a range,
bad indicators refused by field, a qualitative plan's indicators, the supported result from the
rater's plan; an approved plan takes no change."""

import pytest
from django.core.exceptions import ValidationError

from kinerja.skp import services

from .support import draft_2026

pytestmark = pytest.mark.django_db


def test_an_approved_plan_cannot_change(cast):
    skp = draft_2026(cast)
    services.skp_submit(skp=skp, by=cast.employee)
    services.skp_approve(skp=skp, by=cast.rater)
    with pytest.raises(ValidationError) as error:
        services.rhk_add(
            skp=skp,
            by=cast.employee,
            kind="utama",
            text="Lagi",
            indicators=[{"aspect": "kuantitas", "text": "x", "target": "1", "unit": "x"}],
        )
    assert "state" in error.value.message_dict


@pytest.mark.parametrize(
    ("target", "stored"),
    [
        ("1200", ("1200", None, None)),
        ("12,5", ("12.5", None, None)),
        ("80-90", (None, "80", "90")),
        ("80 – 90", (None, "80", "90")),
        ({"low": 1, "high": 2}, (None, "1", "2")),
    ],
)
def test_targets_are_a_value_or_a_range(cast, target, stored):
    skp = services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    rhk = services.rhk_add(
        skp=skp,
        by=cast.employee,
        kind="utama",
        text="Hasil",
        indicators=[{"aspect": "kuantitas", "text": "x", "target": target, "unit": "x"}],
    )
    iki = rhk.indicators.get()
    as_text = tuple(
        None if v is None else format(v.normalize(), "f")
        for v in (iki.target, iki.target_low, iki.target_high)
    )
    assert as_text == stored


@pytest.mark.parametrize(
    ("indicator", "field"),
    [
        ({"aspect": "rasa", "text": "x", "target": "1"}, "indicators.0.aspect"),
        ({"aspect": "kuantitas", "text": "", "target": "1"}, "indicators.0.text"),
        ({"aspect": "kuantitas", "text": "x", "target": "banyak"}, "indicators.0.target"),
        ({"aspect": "kuantitas", "text": "x", "target": "90-80"}, "indicators.0.target"),
        ({"aspect": "kuantitas", "text": "x"}, "indicators.0.target"),
    ],
)
def test_bad_indicators_are_refused_with_the_field_and_nothing_is_stored(cast, indicator, field):
    skp = services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    with pytest.raises(ValidationError) as error:
        services.rhk_add(
            skp=skp, by=cast.employee, kind="utama", text="Hasil", indicators=[indicator]
        )
    assert field in error.value.message_dict
    assert not skp.results.exists()


def test_a_qualitative_plan_may_state_the_target_inside_the_indicator(cast):
    skp = services.skp_create(
        employee=cast.employees["employee"], year=2026, approach="kualitatif", by=cast.employee
    )
    rhk = services.rhk_add(
        skp=skp,
        by=cast.employee,
        kind="utama",
        text="Laporan",
        indicators=[{"aspect": "kualitas", "text": "Laporan diterima pimpinan tanpa revisi"}],
    )
    assert rhk.indicators.get().target is None


def test_supports_must_be_a_result_of_the_raters_plan(cast):
    rater_plan = draft_2026(cast, "rater")
    colleague_plan = draft_2026(cast, "colleague")
    skp = services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    items = [{"aspect": "kuantitas", "text": "x", "target": "1", "unit": "x"}]
    with pytest.raises(ValidationError) as error:
        services.rhk_add(
            skp=skp,
            by=cast.employee,
            kind="utama",
            text="Hasil",
            indicators=items,
            supports=colleague_plan.results.get(),
        )
    assert "supports" in error.value.message_dict
    rhk = services.rhk_add(
        skp=skp,
        by=cast.employee,
        kind="utama",
        text="Hasil",
        indicators=items,
        supports=rater_plan.results.get(),
    )
    assert rhk.supports == rater_plan.results.get()
    assert services.plan_checks(skp) == []
