"""``targets_set``: the rows of an agreement's targets page in one step — all of them or
none — with each refusal keyed by the row's indicator code and field."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.core.actors import SYSTEM
from kinerja.strategy import services
from kinerja.strategy.models import IndicatorTarget, PerformanceAgreement

pytestmark = pytest.mark.django_db

YEAR = 2025


def indicator(cast, code, polarity="higher_is_better"):
    return services.indicator_save(
        by=SYSTEM,
        agency=cast.dinkes,
        values={
            "code": code,
            "name": f"Indikator {code}",
            "unit_of_measure": "%",
            "polarity": polarity,
            "aggregation": "average",
        },
    )


@pytest.fixture
def rows(cast):
    return indicator(cast, "IKU-01"), indicator(cast, "IKU-02", polarity="range")


def test_every_row_is_set(cast, rows):
    plain, ranged = rows

    saved = services.targets_set(
        by=cast.pengelola,
        agency=cast.dinkes,
        year=YEAR,
        targets=[
            (plain, {"value": D(8), "quarters": [D(2)] * 4}),
            (ranged, {"low": D(80), "high": D(90)}),
        ],
    )

    assert len(saved) == 2
    assert IndicatorTarget.objects.get(indicator=plain).value == D(8)
    assert (IndicatorTarget.objects.get(indicator=ranged).low, saved[1].high) == (D(80), D(90))


def test_one_refused_row_keeps_none_and_names_its_row(cast, rows):
    plain, ranged = rows

    with pytest.raises(ValidationError) as caught:
        services.targets_set(
            by=cast.pengelola,
            agency=cast.dinkes,
            year=YEAR,
            targets=[
                (plain, {"value": D(8)}),
                (ranged, {"low": D(90), "high": D(80), "quarters": [D(1)] * 4}),
            ],
        )

    assert set(caught.value.message_dict) == {"IKU-02.target", "IKU-02.quarterly_targets"}
    assert not IndicatorTarget.objects.exists()


def test_a_submitted_agreement_refuses_every_row_on_no_field(cast, rows):
    plain, _ranged = rows
    PerformanceAgreement.objects.create(agency=cast.dinkes, year=YEAR, state="submitted")

    with pytest.raises(ValidationError) as caught:
        services.targets_set(
            by=cast.pengelola, agency=cast.dinkes, year=YEAR, targets=[(plain, {"value": D(8)})]
        )

    assert not hasattr(caught.value, "error_dict")
    assert caught.value.messages
    assert not IndicatorTarget.objects.exists()


def test_nothing_filled_in_sets_nothing(cast, rows):
    assert services.targets_set(by=cast.pengelola, agency=cast.dinkes, year=YEAR, targets=[]) == []


@pytest.mark.parametrize("persona", ["head", "employee", "auditor", "other_head"])
def test_only_those_who_manage_the_agency_may(cast, rows, persona):
    plain, _ranged = rows

    with pytest.raises(PermissionDenied):
        services.targets_set(
            by=cast.users[persona],
            agency=cast.dinkes,
            year=YEAR,
            targets=[(plain, {"value": D(8)})],
        )

    assert not IndicatorTarget.objects.exists()


def test_a_row_of_another_agency_is_a_programming_error(cast, rows):
    foreign = services.indicator_save(
        by=SYSTEM,
        agency=cast.dukcapil,
        values={
            "code": "DKP-01",
            "name": "KTP-el",
            "unit_of_measure": "jam",
            "polarity": "lower_is_better",
            "aggregation": "average",
        },
    )

    with pytest.raises(ValueError, match="DKP-01"):
        services.targets_set(
            by=SYSTEM, agency=cast.dinkes, year=YEAR, targets=[(foreign, {"value": D(8)})]
        )
