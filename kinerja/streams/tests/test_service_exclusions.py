"""Excluding a case from the metrics, and ending the exclusion (services.exclusion_*)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.core.models import AuditRecord
from kinerja.streams import permissions, services
from kinerja.streams.ingest import Validator, catch_up, store
from kinerja.streams.metrics import MetricsQuery, compute
from kinerja.streams.models import Case, CaseExclusion, Stream

T0 = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)  # Monday 08:00 WIB


def event(case: str, stage: str, minutes: int) -> dict:
    return {
        "id": f"{case}-{stage}",
        "case": case,
        "stage": stage,
        "at": (T0 + timedelta(minutes=minutes)).isoformat(),
    }


def make_stream(agency, code: str = "gawat-darurat") -> Stream:
    return Stream.objects.create(
        code=code,
        name="Penanganan kegawatdaruratan",
        agency=agency,
        stages=["diterima", "tiba"],
        start_stage="diterima",
        end_stage="tiba",
        sla_limit=15,
        sla_unit="minutes",
    )


def send(stream: Stream, events: list[dict], *, merge: bool = True) -> None:
    store(stream, Validator(stream).clean_all(events))
    stream.refresh_from_db()
    if merge:
        catch_up(stream)


@pytest.fixture
def stream(cast) -> Stream:
    stream = make_stream(cast.dinkes)
    send(
        stream,
        [
            event("A", "diterima", 0),
            event("A", "tiba", 10),
            event("B", "diterima", 0),
            event("B", "tiba", 40),
        ],
    )
    return stream


def figures(stream: Stream) -> dict:
    catch_up(stream)
    return compute(MetricsQuery(stream=stream, start=date(2026, 1, 1), end=date(2026, 1, 31)))


def test_an_excluded_case_counts_only_in_excluded_cases(cast, stream):
    before = figures(stream)
    assert (before["cases_started"], before["within_sla_pct"]) == (2, 50.0)
    services.exclusion_add(stream=stream, case_key="B", reason="Ambulans mogok", by=cast.admin)
    after = figures(stream)
    assert after["cases_started"] == 1
    assert after["cases_completed"] == 1
    assert after["within_sla_pct"] == 100.0
    assert after["excluded_cases"] == 1


def test_excluding_records_the_reason_who_and_the_audit(cast, stream):
    exclusion = services.exclusion_add(
        stream=stream, case_key=" B ", reason="  Ambulans   mogok ", by=cast.pengelola
    )
    assert (exclusion.case_key, exclusion.reason) == ("B", "Ambulans mogok")
    assert exclusion.created_by == cast.pengelola
    assert Case.objects.get(stream=stream, case_key="B").excluded is True
    record = AuditRecord.objects.get(object_type="streams.caseexclusion", action="create")
    assert record.object_id == "gawat-darurat/B"
    assert record.after == {"case": "B", "reason": "Ambulans mogok"}
    assert record.agency_code == "DINKES"


def test_ending_an_exclusion_counts_the_case_again(cast, stream):
    exclusion = services.exclusion_add(stream=stream, case_key="B", reason="uji", by=cast.admin)
    services.exclusion_end(exclusion=exclusion, by=cast.pengelola)
    exclusion.refresh_from_db()
    assert exclusion.ended_at is not None and exclusion.ended_by == cast.pengelola
    assert Case.objects.get(stream=stream, case_key="B").excluded is False
    assert figures(stream)["cases_started"] == 2
    assert AuditRecord.objects.filter(object_type="streams.caseexclusion", action="end").exists()


def test_a_case_can_be_excluded_again_after_its_exclusion_ended(cast, stream):
    first = services.exclusion_add(stream=stream, case_key="B", reason="uji", by=cast.admin)
    services.exclusion_end(exclusion=first, by=cast.admin)
    services.exclusion_add(stream=stream, case_key="B", reason="lagi", by=cast.admin)
    assert CaseExclusion.objects.filter(stream=stream, case_key="B").count() == 2
    assert Case.objects.get(stream=stream, case_key="B").excluded is True


def test_ending_an_exclusion_twice_is_refused(cast, stream):
    exclusion = services.exclusion_add(stream=stream, case_key="B", reason="uji", by=cast.admin)
    services.exclusion_end(exclusion=exclusion, by=cast.admin)
    with pytest.raises(ValidationError):
        services.exclusion_end(exclusion=exclusion, by=cast.admin)


def test_excluding_a_case_twice_is_refused(cast, stream):
    services.exclusion_add(stream=stream, case_key="B", reason="uji", by=cast.admin)
    with pytest.raises(ValidationError) as refused:
        services.exclusion_add(stream=stream, case_key="B", reason="lagi", by=cast.admin)
    assert "case_key" in refused.value.message_dict


@pytest.mark.parametrize(
    ("case_key", "reason", "field"),
    [
        ("Z", "uji", "case_key"),
        ("", "uji", "case_key"),
        ("x" * 129, "uji", "case_key"),
        ("B", "", "reason"),
        ("B", "   ", "reason"),
        ("B", "x" * 301, "reason"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_changes_nothing(
    cast, stream, case_key, reason, field
):
    records = AuditRecord.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.exclusion_add(stream=stream, case_key=case_key, reason=reason, by=cast.admin)
    assert field in refused.value.message_dict
    assert not CaseExclusion.objects.exists()
    assert not Case.objects.filter(excluded=True).exists()
    assert AuditRecord.objects.count() == records


def test_a_case_whose_events_are_not_merged_yet_can_be_excluded(cast, stream):
    send(stream, [event("C", "diterima", 5)], merge=False)
    services.exclusion_add(stream=stream, case_key="C", reason="uji", by=cast.admin)
    assert Case.objects.get(stream=stream, case_key="C").excluded is True


def test_an_excluded_case_stays_excluded_when_more_of_its_events_arrive(cast, stream):
    send(stream, [event("C", "diterima", 5)])
    services.exclusion_add(stream=stream, case_key="C", reason="uji", by=cast.admin)
    send(stream, [event("C", "tiba", 9)])
    case = Case.objects.get(stream=stream, case_key="C")
    assert case.excluded is True and case.completed_at is not None


def test_a_case_of_another_stream_is_not_found(cast, stream):
    other = make_stream(cast.dinkes, code="lain")
    send(other, [event("Q", "diterima", 0)])
    with pytest.raises(ValidationError):
        services.exclusion_add(stream=stream, case_key="Q", reason="uji", by=cast.admin)


@pytest.mark.parametrize(
    ("persona", "agency", "allowed"),
    [
        ("admin", "dinkes", True),
        ("pengelola", "dinkes", True),
        ("pengelola", "dukcapil", False),
        ("auditor", "dinkes", False),
        ("head", "dinkes", False),
        ("rater", "dinkes", False),
        ("employee", "dinkes", False),
        ("outsider", "dinkes", False),
        ("outsider", "dukcapil", False),
    ],
)
def test_who_may_exclude_and_end(cast, persona, agency, allowed):
    stream = make_stream(getattr(cast, agency), code=f"s-{agency}")
    send(stream, [event("A", "diterima", 0)])
    user = getattr(cast, persona)
    assert permissions.may_manage_stream(user, stream) is allowed
    if allowed:
        exclusion = services.exclusion_add(stream=stream, case_key="A", reason="uji", by=user)
        services.exclusion_end(exclusion=exclusion, by=user)
    else:
        with pytest.raises(PermissionDenied):
            services.exclusion_add(stream=stream, case_key="A", reason="uji", by=user)
        exclusion = services.exclusion_add(stream=stream, case_key="A", reason="uji", by=cast.admin)
        with pytest.raises(PermissionDenied):
            services.exclusion_end(exclusion=exclusion, by=user)
        assert Case.objects.get(stream=stream, case_key="A").excluded is True
