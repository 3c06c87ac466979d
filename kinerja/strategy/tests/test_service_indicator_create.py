"""``indicator_create``: a new indicator and its targets in one step — both stored or
neither — with errors keyed by the argument at fault."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.core.models import AuditRecord
from kinerja.strategy import services
from kinerja.strategy.models import Indicator, IndicatorTarget, PerformanceAgreement

pytestmark = pytest.mark.django_db

YEAR = 2025


def values(**changes):
    return {
        "code": "iku-09",
        "name": "Cakupan imunisasi",
        "unit_of_measure": "%",
        "polarity": "higher_is_better",
        "aggregation": "last",
        **changes,
    }


def create(cast, by=None, **kwargs):
    kwargs.setdefault("values", values())
    return services.indicator_create(
        by=by or cast.pengelola, agency=cast.dinkes, year=YEAR, **kwargs
    )


def refused(cast, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        create(cast, **kwargs)
    assert not Indicator.objects.exists()
    assert not IndicatorTarget.objects.exists()
    return caught.value


def test_the_indicator_and_its_targets_are_stored_together(cast):
    indicator = create(cast, target=D(95), quarterly_targets=[D(90), None, None, D(95)])

    target = IndicatorTarget.objects.get(indicator=indicator, year=YEAR)
    assert (indicator.code, target.value) == ("IKU-09", D(95))
    assert [(q.quarter, q.value) for q in target.quarters.all()] == [(1, D(90)), (4, D(95))]


def test_without_a_target_only_the_indicator_is_stored(cast):
    indicator = create(cast)

    assert Indicator.objects.get() == indicator
    assert not IndicatorTarget.objects.exists()
    assert not PerformanceAgreement.objects.exists()


def test_a_refused_target_undoes_the_indicator(cast):
    error = refused(cast, target=D(95), quarterly_targets=[D(1), D(2), D(3)])

    assert set(error.message_dict) == {"quarterly_targets"}
    assert not AuditRecord.objects.filter(object_type="strategy.indicator").exists()


@pytest.mark.parametrize(
    ("bounds", "field"),
    [
        ({"target": D(85)}, "target"),
        ({"target_low": D(80)}, "target_high"),
        ({"target_high": D(90)}, "target_low"),
        ({"target_low": D(95), "target_high": D(90)}, "target_low"),
    ],
)
def test_a_range_targets_error_names_the_bound_at_fault(cast, bounds, field):
    error = refused(cast, values=values(polarity="range"), **bounds)

    assert set(error.message_dict) == {field}


def test_an_indicators_own_error_names_its_field(cast):
    error = refused(cast, values=values(name=" "), target=D(95))

    assert "name" in error.message_dict


def test_a_frozen_agreement_refuses_on_no_field_and_keeps_nothing(cast):
    PerformanceAgreement.objects.create(agency=cast.dinkes, year=YEAR, state="agreed")

    error = refused(cast, target=D(95))

    assert not hasattr(error, "error_dict")


@pytest.mark.parametrize("persona", ["head", "employee", "auditor", "other_head"])
def test_only_those_who_manage_the_agency_may(cast, persona):
    with pytest.raises(PermissionDenied):
        create(cast, by=cast.users[persona], target=D(95))

    assert not Indicator.objects.exists()
