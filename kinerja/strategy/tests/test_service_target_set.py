"""``target_set``: an indicator's yearly and quarterly targets in the performance agreement
(PK) — a draft agreement opened, targets replaced and recorded (the same ones write no record),
a range with both bounds, a target that does not fit the polarity or a malformed quarter refused
on its field; targets change only while the agreement is a draft or returned."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord
from kinerja.strategy import services
from kinerja.strategy.models import IndicatorTarget, PerformanceAgreement

from .support import (
    AGREED,
    AGREEMENT_YEAR,
    DRAFT,
    RETURNED,
    SUBMITTED,
    agreement_in,
    agreement_indicator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def satisfaction(cast):
    return agreement_indicator(cast.dinkes, "IKU-02", polarity="range")


def refused(**kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        services.target_set(by=SYSTEM, **kwargs)
    return caught.value


# --- Targets -------------------------------------------------------------------------------------


def test_a_target_with_four_quarterly_targets_opens_a_draft_agreement(cast, response_time):
    target = services.target_set(
        by=SYSTEM,
        indicator=response_time,
        year=AGREEMENT_YEAR,
        value=D("15"),
        quarters=[D("16"), D("15.5"), D("15"), D("14")],
    )

    assert (target.value, target.low, target.high) == (D(15), None, None)
    assert [(q.quarter, q.value) for q in target.quarters.all()] == [
        (1, D(16)), (2, D("15.5")), (3, D(15)), (4, D(14)),
    ]  # fmt: skip
    agreement = PerformanceAgreement.objects.get()
    assert (agreement.agency, agreement.year, agreement.state) == (
        cast.dinkes,
        AGREEMENT_YEAR,
        DRAFT,
    )


def test_a_quarter_may_be_left_without_a_target(response_time):
    target = services.target_set(
        by=SYSTEM,
        indicator=response_time,
        year=AGREEMENT_YEAR,
        value=D(75),
        quarters=[None, None, None, D(75)],
    )

    assert [q.quarter for q in target.quarters.all()] == [4]


def test_setting_again_replaces_the_targets_and_records_the_change(response_time):
    services.target_set(
        by=SYSTEM, indicator=response_time, year=AGREEMENT_YEAR, value=D(15), quarters=[D(15)] * 4
    )

    target = services.target_set(
        by=SYSTEM, indicator=response_time, year=AGREEMENT_YEAR, value=D(14), quarters=[D(14)] * 4
    )

    assert IndicatorTarget.objects.get().pk == target.pk
    assert [q.value for q in target.quarters.all()] == [D(14)] * 4
    record = AuditRecord.objects.filter(object_type="strategy.indicatortarget").latest("seq")
    assert (record.action, record.object_id) == ("update", f"DINKES/IKU-01/{AGREEMENT_YEAR}")
    assert D(record.before["value"]) == D(15)
    assert D(record.after["value"]) == D(14)
    assert [D(q[1]) for q in record.after["quarters"]] == [D(14)] * 4


def test_setting_the_same_targets_again_writes_no_record(response_time):
    services.target_set(
        by=SYSTEM, indicator=response_time, year=AGREEMENT_YEAR, value=D(15), quarters=[D(15)] * 4
    )
    count = AuditRecord.objects.count()

    services.target_set(
        by=SYSTEM,
        indicator=response_time,
        year=AGREEMENT_YEAR,
        value=D("15.00"),
        quarters=[D(15)] * 4,
    )

    assert AuditRecord.objects.count() == count


def test_the_same_targets_may_be_given_again_once_the_agreement_is_submitted(cast, response_time):
    services.target_set(by=SYSTEM, indicator=response_time, year=AGREEMENT_YEAR, value=D(15))
    agreement = services.agreement_for(cast.dinkes, AGREEMENT_YEAR)
    agreement = services.agreement_transition(
        agreement=agreement, action="submit", by=cast.pengelola
    )

    services.target_set(by=SYSTEM, indicator=response_time, year=AGREEMENT_YEAR, value=D(15))
    with pytest.raises(ValidationError):
        services.target_set(by=SYSTEM, indicator=response_time, year=AGREEMENT_YEAR, value=D(14))

    assert IndicatorTarget.objects.get().value == D(15)


def test_leaving_the_quarters_out_keeps_the_quarterly_targets(response_time):
    services.target_set(
        by=SYSTEM, indicator=response_time, year=AGREEMENT_YEAR, value=D(15), quarters=[D(15)] * 4
    )

    target = services.target_set(
        by=SYSTEM, indicator=response_time, year=AGREEMENT_YEAR, value=D(14)
    )

    assert target.quarters.count() == 4


def test_a_range_target_takes_both_bounds(satisfaction):
    target = services.target_set(
        by=SYSTEM,
        indicator=satisfaction,
        year=AGREEMENT_YEAR,
        low=D(80),
        high=D(90),
        quarters=[(D(78), D(88)), (D(80), D(90)), None, (D(80), D(80))],
    )

    assert (target.value, target.low, target.high) == (None, D(80), D(90))
    assert [(q.quarter, q.low, q.high) for q in target.quarters.all()] == [
        (1, D(78), D(88)), (2, D(80), D(90)), (4, D(80), D(80)),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("polarity", "value", "low", "high", "quarters", "field"),
    [
        ("range", None, D(80), None, None, "target"),
        ("range", None, None, D(90), None, "target"),
        ("range", None, None, None, None, "target"),
        ("range", D(85), None, None, None, "target"),
        ("range", D(85), D(80), D(90), None, "target"),
        ("range", None, D(90), D(80), None, "target"),
        ("range", None, D(80), D(90), [(D(90), D(80)), None, None, None], "quarterly_targets"),
        ("higher_is_better", None, None, None, None, "target"),
        ("higher_is_better", D(8), D(7), None, None, "target"),
        ("higher_is_better", None, D(7), D(9), None, "target"),
        ("lower_is_better", D(8), None, D(9), None, "target"),
        ("higher_is_better", D(8), None, None, [D(2)] * 3, "quarterly_targets"),
        ("higher_is_better", D(8), None, None, [D(2)] * 5, "quarterly_targets"),
        ("higher_is_better", D(8), None, None, [], "quarterly_targets"),
    ],
)
def test_a_target_that_does_not_fit_the_polarity_is_refused_and_nothing_is_stored(
    cast, polarity, value, low, high, quarters, field
):
    subject = agreement_indicator(cast.dinkes, polarity=polarity)

    error = refused(
        indicator=subject, year=AGREEMENT_YEAR, value=value, low=low, high=high, quarters=quarters
    )

    assert field in error.message_dict
    assert not IndicatorTarget.objects.exists()
    assert not PerformanceAgreement.objects.exists()


def test_a_refused_quarter_names_its_quarter(satisfaction):
    error = refused(
        indicator=satisfaction,
        year=AGREEMENT_YEAR,
        low=D(80),
        high=D(90),
        quarters=[None, None, (D(90), D(80)), None],
    )

    assert "TW III" in error.message_dict["quarterly_targets"][0]


@pytest.mark.parametrize(("state", "allowed"), [
    (DRAFT, True), (RETURNED, True), (SUBMITTED, False), (AGREED, False),
])  # fmt: skip
def test_targets_change_only_while_the_agreement_is_a_draft_or_returned(
    cast, response_time, state, allowed
):
    agreement_in(cast, state)

    if allowed:
        services.target_set(by=SYSTEM, indicator=response_time, year=AGREEMENT_YEAR, value=D(15))
        assert IndicatorTarget.objects.filter(indicator=response_time).exists()
    else:
        error = refused(indicator=response_time, year=AGREEMENT_YEAR, value=D(15))
        assert str(AGREEMENT_YEAR) in error.messages[0]
        assert not IndicatorTarget.objects.filter(indicator=response_time).exists()


def test_another_years_agreement_does_not_lock_this_years_targets(cast, response_time):
    agreement_in(cast, AGREED)

    services.target_set(by=SYSTEM, indicator=response_time, year=AGREEMENT_YEAR + 1, value=D(14))

    assert PerformanceAgreement.objects.get(year=AGREEMENT_YEAR + 1).state == DRAFT


@pytest.mark.parametrize(
    ("fixture", "quarters"),
    [
        ("satisfaction", [D(85), None, None, None]),  # a range quarter needs two bounds
        ("satisfaction", [(D(80), D(85), D(90)), None, None, None]),
        ("response_time", [(D(14), D(15)), None, None, None]),  # one value, not a range
    ],
)
def test_a_malformed_quarterly_target_is_refused_on_its_field(request, fixture, quarters):
    subject = request.getfixturevalue(fixture)
    bounds = {"low": D(80), "high": D(90)} if subject.polarity == "range" else {"value": D(15)}
    error = refused(indicator=subject, year=AGREEMENT_YEAR, quarters=quarters, **bounds)

    assert "TW I:" in error.message_dict["quarterly_targets"][0]
