"""A metric binding's values (streams/bindings.py): each month, quarter and the year equal
``metrics.compute`` over that period's days, for every metric and filter; periods that have not
begun have none; an officer's own figures are computed only for the officer and their rater
chain; and the checks of a binding name the field that is wrong."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.streams.bindings import binding_check, binding_values, metric_value
from kinerja.streams.metrics import MetricsQuery, compute
from kinerja.streams.models import MetricBinding

from .service_data import make_stream, seeded_year

YEAR = date.today().year - 1  # noqa: DTZ011 - a whole past year, whatever today is
AFTER = date(YEAR + 1, 2, 1)


@pytest.fixture
def world(cast):
    stream = make_stream(cast.dinkes)
    officers = [cast.employees["employee"].nip, cast.employees["colleague"].nip]
    seeded_year(stream, YEAR, units=["DINKES-PKM-PLAJU", "DINKES-YANKES"], officers=officers)
    return stream


def bind(stream, metric, **extra) -> MetricBinding:
    binding = binding_check(stream=stream, metric=metric, **extra)
    binding.save()
    return MetricBinding.objects.select_related("stream__agency", "unit").get(pk=binding.pk)


def month_end(month: int) -> date:
    return (date(YEAR + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)


def direct(binding: MetricBinding, start: date, end: date) -> dict:
    return compute(
        MetricsQuery(
            stream=binding.stream,
            start=start,
            end=end,
            unit_id=binding.unit_id,
            unit_code=binding.unit.code if binding.unit_id else None,
            officer=binding.officer or None,
            from_stage=binding.from_stage or None,
            to_stage=binding.to_stage or None,
        )
    )


BINDINGS = [
    ("cases_started", {}, "cases_started"),
    ("cases_completed", {}, "cases_completed"),
    ("open_cases_at_end", {}, "open_cases_at_end"),
    ("duration_median", {"duration_unit": "minutes"}, "cases_completed"),
    ("duration_p90", {"duration_unit": "hours"}, "cases_completed"),
    ("duration_mean", {"duration_unit": "days"}, "cases_completed"),
    ("within_sla_pct", {}, "cases_completed"),
]


@pytest.mark.parametrize(("metric", "extra", "cases_figure"), BINDINGS)
@pytest.mark.parametrize("unit", [None, "DINKES-PKM-PLAJU"])
def test_every_month_quarter_and_the_year_equal_compute_over_their_days(
    cast, world, metric, extra, cases_figure, unit
):
    unit_row = cast.units["pkm"] if unit else None
    binding = bind(world, metric, unit=unit_row, **extra)
    values = binding_values([binding], YEAR, viewer=cast.admin, today=AFTER)[binding.pk]

    periods = [(values.months[m], date(YEAR, m, 1), month_end(m)) for m in range(1, 13)]
    periods += [
        (values.quarters[q - 1], date(YEAR, 3 * q - 2, 1), month_end(3 * q)) for q in range(1, 5)
    ]
    periods.append((values.annual, date(YEAR, 1, 1), date(YEAR, 12, 31)))
    for figure, start, end in periods:
        expected = direct(binding, start, end)
        assert (figure.start, figure.end) == (start, end)
        assert figure.value == metric_value(expected, binding)
        assert figure.cases == expected[cases_figure]
    assert values.annual.cases > 0 and values.computed_at is not None


@pytest.mark.parametrize(
    ("metric", "key", "unit", "seconds_per_unit"),
    [
        ("duration_median", "median", "minutes", 60),
        ("duration_p90", "p90", "hours", 3600),
        ("duration_mean", "mean", "days", 86400),
    ],
)
def test_a_duration_is_the_contracts_seconds_in_the_bindings_unit(
    cast, world, metric, key, unit, seconds_per_unit
):
    binding = bind(world, metric, duration_unit=unit)
    values = binding_values([binding], YEAR, viewer=cast.admin, today=AFTER)[binding.pk]
    seconds = direct(binding, date(YEAR, 1, 1), date(YEAR, 12, 31))["duration_seconds"][key]
    assert values.annual.value == Decimal(str(seconds)) / seconds_per_unit


def test_a_duration_between_two_stages_counts_the_cases_measured_between_them(cast, world):
    binding = bind(
        world,
        "duration_median",
        from_stage="berangkat",
        to_stage="tiba",
        duration_unit="minutes",
    )
    values = binding_values([binding], YEAR, viewer=cast.admin, today=AFTER)[binding.pk]
    march = direct(binding, date(YEAR, 3, 1), date(YEAR, 3, 31))
    assert values.months[3].value == metric_value(march, binding)
    # every completed case here passed through "berangkat": the same cases are measured
    assert values.months[3].cases == march["cases_completed"]
    year = direct(binding, date(YEAR, 1, 1), date(YEAR, 12, 31))
    assert values.annual.value == metric_value(year, binding)


def test_an_officers_binding_counts_only_that_officers_cases(cast, world):
    nip = cast.employees["employee"].nip
    binding = bind(world, "cases_completed", officer=nip)
    whole = bind(world, "cases_completed")
    values = binding_values([binding, whole], YEAR, viewer=cast.employee, today=AFTER)
    expected = direct(binding, date(YEAR, 1, 1), date(YEAR, 12, 31))["cases_completed"]
    assert values[binding.pk].annual.value == Decimal(expected)
    assert 0 < expected < values[whole.pk].annual.value


def test_months_and_quarters_that_have_not_begun_have_no_value(cast, world):
    binding = bind(world, "cases_started")
    values = binding_values([binding], YEAR, viewer=cast.admin, today=date(YEAR, 5, 10))
    values = values[binding.pk]
    assert [m for m, f in values.months.items() if f is not None] == [1, 2, 3, 4, 5]
    assert [q is not None for q in values.quarters] == [True, True, False, False]
    assert values.annual is not None
    future = binding_values([binding], YEAR, viewer=cast.admin, today=date(YEAR - 1, 12, 31))
    assert future[binding.pk].annual is None and future[binding.pk].computed_at is None


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("employee", True),  # the officer
        ("rater", True),
        ("rater_superior", True),
        ("colleague", False),
        ("head", False),
        ("pengelola", False),
        ("admin", False),
        ("auditor", False),
        ("outsider", False),
    ],
)
def test_an_officers_own_figures_are_computed_only_for_the_officer_and_their_raters(
    cast, world, persona, visible
):
    binding = bind(world, "cases_completed", officer=cast.employees["employee"].nip)
    values = binding_values([binding], YEAR, viewer=getattr(cast, persona), today=AFTER)
    values = values[binding.pk]
    assert values.visible is visible
    assert (values.annual is not None) is visible
    assert (values.computed_at is not None) is visible


def test_without_a_viewer_an_officers_figures_stay_hidden(cast, world):
    binding = bind(world, "cases_completed", officer=cast.employees["employee"].nip)
    values = binding_values([binding], YEAR, viewer=None, today=AFTER)[binding.pk]
    assert not values.visible and values.annual is None


def test_bindings_with_the_same_filter_share_their_computations(cast, world):
    first = bind(world, "cases_started")

    def cost(bindings):
        with CaptureQueriesContext(connection) as captured:
            binding_values(bindings, YEAR, viewer=cast.admin, today=AFTER)
        return len(captured)

    one = cost([first])
    others = [bind(world, m, duration_unit="hours") for m in ("duration_median", "duration_p90")]
    assert cost([first, *others, bind(world, "within_sla_pct")]) == one


def test_the_cost_does_not_grow_with_the_number_of_cases(cast, world):
    binding = bind(world, "duration_p90", duration_unit="minutes")

    def cost():
        with CaptureQueriesContext(connection) as captured:
            binding_values([binding], YEAR, viewer=cast.admin, today=AFTER)
        return len(captured)

    small = cost()
    seeded_year(world, YEAR, units=["DINKES-YANKES"], officers=[], n=400, seed=11, prefix="D")
    assert cost() == small
    assert small <= 40


# --- Checking a binding --------------------------------------------------------------------------

CHECKS = [
    ({"stream": None}, "stream"),
    ({"metric": "speed"}, "metric"),
    ({"metric": "duration_median", "duration_unit": ""}, "duration_unit"),
    ({"metric": "cases_started", "duration_unit": "hours"}, "duration_unit"),
    ({"metric": "cases_started", "from_stage": "diterima", "to_stage": "tiba"}, "from_stage"),
    ({"from_stage": "diterima"}, "to_stage"),
    ({"to_stage": "tiba"}, "from_stage"),
    ({"from_stage": "dicetak", "to_stage": "tiba"}, "from_stage"),
    ({"from_stage": "diterima", "to_stage": "selesai"}, "to_stage"),
    ({"from_stage": "tiba", "to_stage": "tiba"}, "to_stage"),
    ({"officer": "12345"}, "officer"),
    ({"officer": "19850312201001100X"}, "officer"),
]


@pytest.mark.parametrize(("change", "field"), CHECKS)
def test_a_wrong_binding_is_refused_on_the_field_that_is_wrong(cast, change, field):
    stream = make_stream(cast.dinkes)
    values = {"stream": stream, "metric": "duration_median", "duration_unit": "minutes", **change}
    with pytest.raises(ValidationError) as caught:
        binding_check(**values)
    assert field in caught.value.message_dict


def test_a_unit_of_another_agency_is_refused_on_the_unit(cast):
    stream = make_stream(cast.dinkes)
    with pytest.raises(ValidationError) as caught:
        binding_check(stream=stream, metric="cases_started", unit=cast.units["dukcapil"])
    assert list(caught.value.message_dict) == ["unit"]
    assert "DUKCAPIL" in caught.value.message_dict["unit"][0]


def test_a_right_binding_is_accepted_as_given(cast):
    stream = make_stream(cast.dinkes)
    binding = binding_check(
        stream=stream,
        metric="duration_p90",
        unit=cast.units["pkm"],
        officer=" " + cast.employees["employee"].nip,
        from_stage="diterima",
        to_stage="berangkat",
        duration_unit="hours",
    )
    assert (binding.officer, binding.from_stage, binding.to_stage) == (
        cast.employees["employee"].nip,
        "diterima",
        "berangkat",
    )
    assert binding.pk is None  # checked, not stored
