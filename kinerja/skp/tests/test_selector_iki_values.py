"""The values of a plan's indicators for a period (``skp.selectors.iki_values``): a yearly
total is shared out over the periods; a share, or a target that holds in every period, is not."""

import pytest

from kinerja.skp import services as skp_services
from kinerja.skp.tests.factories import verified_realisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("unit", "yearly_total", "period", "value", "achievement"),
    [
        ("pasien", None, "2026-Q1", "300", "100.00"),  # 1200 a year: 300 a quarter
        ("pasien", None, "2026", "1200", "100.00"),
        ("pasien", False, "2026-Q1", "300", "25.00"),  # the target holds in every period
        ("%", None, "2026-Q1", "300", "25.00"),  # a share holds in every period as it is
    ],
)
def test_a_yearly_total_is_shared_out_over_the_periods(
    cast, unit, yearly_total, period, value, achievement
):
    from kinerja.core.periods import ALL_KINDS, parse_period
    from kinerja.skp.selectors import iki_values

    skp = skp_services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    item = {"aspect": "kuantitas", "text": "Pasien", "target": "1200", "unit": unit}
    if yearly_total is not None:
        item["yearly_total"] = yearly_total
    skp_services.rhk_add(skp=skp, by=cast.employee, kind="utama", text="Layanan", indicators=[item])
    skp_services.skp_submit(skp=skp, by=cast.employee)
    skp_services.skp_approve(skp=skp, by=cast.rater)
    iki = skp.results.get().indicators.get()
    verified_realisation(iki=iki, period=period, value=value, by=cast.employee)
    [row] = iki_values(skp, parse_period(period, kinds=ALL_KINDS), viewer=cast.rater)
    assert str(row.achievement) == achievement


# (source, value, cases, minimum, marked) — domain.md §4: a metric needs a minimum of cases
CASE_MINIMUM = [
    ("stream", "40", 19, 20, True),
    ("stream", "40", 20, 20, False),
    ("stream", "40", 0, 20, True),
    ("stream", None, 3, 20, False),  # nothing measured: nothing to mark
    ("stream", "40", None, 20, False),
    ("manual", "40", None, 20, False),
    ("stream", "40", 19, 0, False),  # no minimum
]


@pytest.mark.parametrize(("source", "value", "cases", "minimum", "marked"), CASE_MINIMUM)
def test_a_stream_value_on_too_few_cases_is_marked_and_not_measured(
    source, value, cases, minimum, marked
):
    from decimal import Decimal

    from kinerja.skp.models import Iki
    from kinerja.skp.selectors import IkiValue, with_case_minimum

    number = Decimal(value) if value is not None else None
    original = IkiValue(Iki(text="Layanan"), number, source, number, cases=cases)
    from django.utils import translation

    with translation.override("en"):
        (result,) = with_case_minimum([original], minimum)
    assert (result.too_few is not None) is marked
    assert result.value == number
    if marked:
        assert result.achievement is None
        assert result.note == f"too few cases ({cases} of {minimum})"
        assert with_case_minimum([result], minimum) == [result]  # once
    else:
        assert result is original
