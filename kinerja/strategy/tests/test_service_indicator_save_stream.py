"""indicator_save with the data source "stream": the binding is checked, stored, recorded in
the audit trail and removed when the data source changes; an officer filter only for an
owning position's holder; the months combine as the metric is computed; realisations of a
bound indicator are never entered."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.strategy import services
from kinerja.strategy.models import Indicator
from kinerja.streams.models import MetricBinding
from kinerja.streams.tests.service_data import make_stream

from .stream_support import BASE, bound


@pytest.fixture
def stream(cast):
    return make_stream(cast.dinkes)


def refused(call, *args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.message_dict


def test_a_bound_indicator_keeps_its_binding_and_the_record_names_it(cast, stream):
    ind = bound(cast.dinkes, "IKU-01", stream, unit=cast.units["pkm"], duration_unit="hours")

    binding = Indicator.objects.get(pk=ind.pk).metric_binding
    assert (binding.stream, binding.metric, binding.unit, binding.duration_unit) == (
        stream,
        "duration_median",
        cast.units["pkm"],
        "hours",
    )
    record = AuditRecord.objects.get(object_type="strategy.indicator", action="create")
    assert record.after["metric_binding"] == {
        "stream": "gawat-darurat",
        "metric": "duration_median",
        "unit": "DINKES-PKM-PLAJU",
        "officer": None,
        "from_stage": None,
        "to_stage": None,
        "duration_unit": "hours",
    }


def test_changing_the_binding_updates_the_same_row_and_records_the_change(cast, stream):
    ind = bound(cast.dinkes, "IKU-01", stream)
    first = ind.metric_binding_id
    services.indicator_save(
        by=SYSTEM,
        agency=cast.dinkes,
        indicator=ind,
        values={},
        binding={"stream": stream, "metric": "duration_p90", "duration_unit": "minutes"},
    )
    ind.refresh_from_db()
    assert ind.metric_binding_id == first and ind.metric_binding.metric == "duration_p90"
    record = AuditRecord.objects.filter(action="update").get()
    assert record.before["metric_binding"]["metric"] == "duration_median"
    assert record.after["metric_binding"]["metric"] == "duration_p90"


def test_saving_it_unchanged_records_nothing(cast, stream):
    ind = bound(cast.dinkes, "IKU-01", stream)
    count = AuditRecord.objects.count()
    services.indicator_save(
        by=SYSTEM,
        agency=cast.dinkes,
        indicator=ind,
        values={"name": BASE["name"]},
        binding={"stream": stream, "metric": "duration_median", "duration_unit": "minutes"},
    )
    services.indicator_save(by=SYSTEM, agency=cast.dinkes, indicator=ind, values={})  # binding kept
    assert AuditRecord.objects.count() == count


def test_leaving_the_data_source_stream_removes_the_binding(cast, stream):
    ind = bound(cast.dinkes, "IKU-01", stream)
    services.indicator_save(
        by=SYSTEM, agency=cast.dinkes, indicator=ind, values={"data_source": "manual"}
    )
    ind.refresh_from_db()
    assert ind.metric_binding_id is None
    assert not MetricBinding.objects.exists()


def test_a_manual_indicator_takes_no_binding(cast, stream):
    errors = refused(
        services.indicator_save,
        by=SYSTEM,
        agency=cast.dinkes,
        values={**BASE, "code": "IKU-01", "data_source": "manual"},
        binding={"stream": stream, "metric": "cases_started"},
    )
    assert "data_source" in errors
    assert not Indicator.objects.exists() and not MetricBinding.objects.exists()


@pytest.mark.parametrize(
    ("metric", "aggregation", "accepted"),
    [
        ("cases_started", "sum", True),
        ("cases_started", "average", False),
        ("cases_completed", "sum", True),
        ("cases_completed", "last", False),
        ("open_cases_at_end", "last", True),
        ("open_cases_at_end", "sum", False),
        ("duration_median", "average", True),
        ("duration_p90", "sum", False),
        ("duration_mean", "last", False),
        ("within_sla_pct", "average", True),
        ("within_sla_pct", "sum", False),
    ],
)
def test_the_months_must_combine_as_the_metric_is_computed(
    cast, stream, metric, aggregation, accepted
):
    def save():
        return bound(cast.dinkes, "IKU-01", stream, metric, values__aggregation=aggregation)

    if accepted:
        assert save().aggregation == aggregation
    else:
        assert "aggregation" in refused(save)
        assert not Indicator.objects.exists()


def test_an_officer_filter_needs_an_owning_position(cast, stream):
    errors = refused(bound, cast.dinkes, "IKU-01", stream, officer=cast.employees["employee"].nip)
    assert "officer" in errors
    assert not MetricBinding.objects.exists()


def test_an_officer_filter_names_a_holder_of_the_owning_position(cast, stream):
    perawat = cast.positions["perawat"]

    def save(nip):
        return bound(cast.dinkes, "IKU-01", stream, officer=nip, values__owner_position=perawat)

    assert "officer" in refused(save, cast.employees["head"].nip)
    ind = save(cast.employees["colleague"].nip)
    assert ind.metric_binding.officer == cast.employees["colleague"].nip


def test_a_wrong_stage_is_refused_on_its_field(cast, stream):
    errors = refused(bound, cast.dinkes, "IKU-01", stream, from_stage="dicetak", to_stage="tiba")
    assert "from_stage" in errors


def test_values_of_a_bound_indicator_are_never_entered(cast, stream):
    ind = bound(cast.dinkes, "IKU-01", stream)
    with pytest.raises(ValidationError):
        services.realisation_record(
            indicator=ind, year=2025, month=1, value=Decimal(1), by=cast.pengelola
        )
