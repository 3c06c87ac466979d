"""``realisation_record`` and ``realisation_verify``: monthly values, corrections that keep
the history, and verification by the owner's superior."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord, Notification
from kinerja.strategy import services
from kinerja.strategy.models import Realisation, RealisationState
from kinerja.strategy.tests.support import also_pengelola

pytestmark = pytest.mark.django_db

YEAR = 2025  # a year that lies wholly in the past


def indicator(cast, code="IKU-01", **values):
    fields = {
        "code": code,
        "name": f"Indikator {code}",
        "unit_of_measure": "menit",
        "polarity": "lower_is_better",
        "aggregation": "average",
        "owner_position": cast.positions["perawat"],
        **values,
    }
    return services.indicator_save(by=SYSTEM, agency=cast.dinkes, values=fields)


@pytest.fixture
def response_time(cast):
    return indicator(cast)


def record(subject, month=3, value=D("14.5"), year=YEAR, by=SYSTEM, **kwargs):
    return services.realisation_record(
        by=by, indicator=subject, year=year, month=month, value=value, **kwargs
    )


def realisation_records():
    return AuditRecord.objects.filter(object_type="strategy.realisation").order_by("seq")


def next_month(today):
    return (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)


# --- Recording --------------------------------------------------------------------------------


def test_a_value_is_recorded_with_its_narrative_and_waits_for_verification(cast, response_time):
    realisation = record(
        response_time,
        note=" dari log PSC 119 ",
        supporting="Jadwal piket baru",
        hindering="Ambulans di bengkel",
        by=cast.employee,
    )

    assert (realisation.year, realisation.month, realisation.value) == (YEAR, 3, D("14.5"))
    assert realisation.note == "dari log PSC 119"
    assert (realisation.supporting, realisation.hindering) == (
        "Jadwal piket baru",
        "Ambulans di bengkel",
    )
    assert realisation.state == RealisationState.SUBMITTED
    assert realisation.entered_by == cast.employee
    audit = realisation_records().get()
    assert (audit.action, audit.object_id, audit.agency_code) == (
        "create", f"DINKES/IKU-01/{YEAR}-03", "DINKES",
    )  # fmt: skip
    assert audit.before is None
    assert D(audit.after["value"]) == D("14.5")


MONTHS = [
    ("monthly", month, True) for month in range(1, 13)
] + [
    ("quarterly", month, month in {3, 6, 9, 12}) for month in range(1, 13)
] + [
    ("yearly", month, month == 12) for month in range(1, 13)
]  # fmt: skip


@pytest.mark.parametrize(("period_type", "month", "accepted"), MONTHS)
def test_each_kind_of_indicator_reports_in_its_own_months(cast, period_type, month, accepted):
    subject = indicator(cast, period_type=period_type)

    if accepted:
        assert record(subject, month=month).month == month
    else:
        with pytest.raises(ValidationError) as caught:
            record(subject, month=month)
        assert "period" in caught.value.message_dict
        assert not Realisation.objects.exists()


def test_the_current_month_may_be_recorded_but_not_the_next(response_time):
    today = timezone.localdate()
    year, month = next_month(today)

    assert record(response_time, year=today.year, month=today.month).pk
    with pytest.raises(ValidationError) as caught:
        record(response_time, year=year, month=month)

    assert "period" in caught.value.message_dict
    assert not Realisation.objects.filter(year=year, month=month).exists()


def test_a_later_year_is_the_future_too(response_time):
    with pytest.raises(ValidationError) as caught:
        record(response_time, year=timezone.localdate().year + 1, month=1)

    assert "period" in caught.value.message_dict


def test_a_formula_indicator_is_computed_never_entered(cast, response_time):
    ratio = services.indicator_save(
        by=SYSTEM,
        agency=cast.dinkes,
        values={
            "code": "IKU-05",
            "name": "Rasio",
            "unit_of_measure": "%",
            "polarity": "higher_is_better",
            "aggregation": "average",
            "data_source": "formula",
            "formula": "{IKU-01} * 2",
        },
    )

    with pytest.raises(ValidationError):
        record(ratio)

    assert not Realisation.objects.exists()


def test_an_inactive_indicator_takes_no_values(cast):
    subject = indicator(cast, active=False)

    with pytest.raises(ValidationError):
        record(subject)

    assert not Realisation.objects.exists()


@pytest.mark.parametrize("again", [D("14.5"), D("14.50"), D("14.5000")])
def test_the_same_value_again_changes_nothing(cast, response_time, again):
    first = record(response_time, note="log", by=cast.employee)
    count = AuditRecord.objects.count()

    second = record(response_time, value=again, note=" log ", by=cast.colleague)

    assert second.pk == first.pk
    assert Realisation.objects.count() == 1
    assert AuditRecord.objects.count() == count
    assert Realisation.objects.get().entered_by == cast.employee


def test_a_different_value_is_a_correction_that_keeps_the_earlier_one(cast, response_time):
    first = record(response_time, value=D("18"), note="log", by=cast.employee)

    correction = record(response_time, value=D("16.25"), note="dihitung ulang", by=cast.colleague)

    assert correction.pk != first.pk
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert first.value == D(18)
    history = Realisation.objects.filter(indicator=response_time, year=YEAR, month=3)
    assert history.count() == 2
    current = Realisation.objects.current().get(indicator=response_time, year=YEAR, month=3)
    assert (current.pk, current.value, current.state) == (
        correction.pk, D("16.25"), RealisationState.SUBMITTED,
    )  # fmt: skip
    audit = realisation_records().last()
    assert audit.action == "correct"
    assert D(audit.before["value"]) == D(18) and D(audit.after["value"]) == D("16.25")
    assert (audit.before["note"], audit.after["note"]) == ("log", "dihitung ulang")


def test_a_correction_of_a_verified_value_waits_for_verification_again(cast, response_time):
    first = record(response_time, value=D(18), by=cast.employee)
    services.realisation_verify(realisation=first, by=cast.rater, accept=True)

    correction = record(response_time, value=D(17), by=cast.employee)

    assert correction.state == RealisationState.SUBMITTED
    first.refresh_from_db()
    assert first.state == RealisationState.VERIFIED and first.superseded_at is not None


def test_each_month_keeps_its_own_value(response_time):
    for month, value in [(1, D(20)), (2, D(18)), (3, D(16))]:
        record(response_time, month=month, value=value)

    assert list(Realisation.objects.current().order_by("month").values_list("month", "value")) == [
        (1, D(20)),
        (2, D(18)),
        (3, D(16)),
    ]


# --- Verifying ---------------------------------------------------------------------------------


def test_accepting_a_value_verifies_it_and_is_on_record(cast, response_time):
    realisation = record(response_time, by=cast.employee)

    verified = services.realisation_verify(realisation=realisation, by=cast.rater, accept=True)

    assert verified.state == RealisationState.VERIFIED
    assert verified.verified_by == cast.rater
    assert verified.verified_at is not None
    audit = realisation_records().last()
    assert (audit.action, audit.before, audit.after) == (
        "verify", {"state": "submitted"}, {"state": "verified"},
    )  # fmt: skip


@pytest.mark.parametrize("note", ["", "  "])
def test_returning_a_value_needs_a_reason(cast, response_time, note):
    realisation = record(response_time, by=cast.employee)

    with pytest.raises(ValidationError) as caught:
        services.realisation_verify(realisation=realisation, by=cast.rater, accept=False, note=note)

    assert "note" in caught.value.message_dict
    realisation.refresh_from_db()
    assert realisation.state == RealisationState.SUBMITTED
    assert realisation.verified_by is None


def test_a_returned_value_carries_the_reason_and_a_correction_answers_it(cast, response_time):
    realisation = record(response_time, value=D(18), by=cast.employee)

    returned = services.realisation_verify(
        realisation=realisation, by=cast.rater, accept=False, note=" Lampirkan log PSC "
    )
    correction = record(response_time, value=D(17), by=cast.employee)

    assert returned.state == RealisationState.RETURNED
    assert returned.verification_note == "Lampirkan log PSC"
    audit = AuditRecord.objects.filter(action="return").get()
    assert audit.note == "Lampirkan log PSC"
    assert correction.state == RealisationState.SUBMITTED
    services.realisation_verify(realisation=correction, by=cast.rater, accept=True)


def test_a_superseded_value_cannot_be_verified(cast, response_time):
    first = record(response_time, value=D(18), by=cast.employee)
    record(response_time, value=D(17), by=cast.employee)
    count = AuditRecord.objects.count()

    with pytest.raises(ValidationError):
        services.realisation_verify(realisation=first, by=cast.rater, accept=True)

    first.refresh_from_db()
    assert first.state == RealisationState.SUBMITTED
    assert AuditRecord.objects.count() == count


@pytest.mark.parametrize("accept", [True, False])
def test_a_value_is_verified_or_returned_only_once(cast, response_time, accept):
    realisation = record(response_time, by=cast.employee)
    services.realisation_verify(realisation=realisation, by=cast.rater, accept=accept, note="x")

    with pytest.raises(ValidationError):
        services.realisation_verify(realisation=realisation, by=cast.rater, accept=True)

    realisation.refresh_from_db()
    expected = RealisationState.VERIFIED if accept else RealisationState.RETURNED
    assert realisation.state == expected


def test_a_returned_value_sent_again_unchanged_goes_back_to_the_verifier(cast, response_time):
    realisation = record(response_time, value=D(18), by=cast.employee)
    services.realisation_verify(realisation=realisation, by=cast.rater, accept=False, note="Cek")

    again = record(response_time, value=D(18), by=cast.employee)

    assert again.pk != realisation.pk
    assert again.state == RealisationState.SUBMITTED
    realisation.refresh_from_db()
    assert realisation.superseded_at is not None


@pytest.mark.parametrize(("value", "field"), [(D("12.34567"), "value"), (D("1e17"), "value")])
def test_a_value_that_does_not_fit_is_refused_on_its_field(response_time, value, field):
    with pytest.raises(ValidationError) as refusal:
        record(response_time, value=value)

    assert field in refusal.value.message_dict


# --- Who is told ------------------------------------------------------------------------------


def test_the_verifier_is_told_once_while_the_notice_is_unread(cast, response_time):
    link = f"/kinerja-organisasi/indikator/{response_time.pk}/?year={YEAR}"
    record(response_time, month=3, by=cast.employee)
    record(response_time, month=4, by=cast.employee)
    notices = Notification.objects.filter(link=link)
    assert [n.recipient for n in notices] == [cast.rater]  # the holder's rater, once
    notices.update(read_at=timezone.now())
    record(response_time, month=5, by=cast.employee)
    assert Notification.objects.filter(link=link, read_at__isnull=True).count() == 1


def test_the_person_who_entered_the_value_is_not_told(cast):
    headless = indicator(cast, "IKU-02", owner_position=None)  # the agency head verifies
    also_pengelola(cast, cast.head)  # and may enter values too
    record(headless, by=cast.head)
    assert not Notification.objects.filter(link__contains=f"/indikator/{headless.pk}/")
    record(headless, month=4, by=cast.pengelola)
    recipients = Notification.objects.filter(link__contains=f"/indikator/{headless.pk}/")
    assert [n.recipient for n in recipients] == [cast.head]
