"""Alerts on service data (streams/alerts.py): each metric, comparison and window; a breach
notifies the unit head once (in the app and by e-mail), ends when the condition stops holding,
and a later breach notifies again; who the unit head is; the hook after a catch-up."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache

from kinerja.core.actors import SYSTEM
from kinerja.core.models import Notification
from kinerja.organizations.models import ActingOfficial, Employee
from kinerja.streams.alerts import (
    evaluate_alerts,
    evaluate_alerts_throttled,
    rule_verdict,
    unit_heads,
)
from kinerja.streams.ingest import Validator, store
from kinerja.streams.models import AlertBreach, AlertMetric, AlertRule
from kinerja.streams.services import alert_rule_save
from kinerja.streams.tasks import catch_up_task

from .service_data import ZONE, case_events, local, make_stream, send

# Wednesday 11 March 2026, 10:00 WIB: complete days are Tuesday the 10th and before; this week
# runs from Monday the 9th.
WEDNESDAY = date(2026, 3, 11)
NOW = datetime.combine(WEDNESDAY, time(10, 0), ZONE)
MONDAY, TUESDAY = date(2026, 3, 9), date(2026, 3, 10)
FRIDAY_BEFORE = date(2026, 3, 6)


def completed_on(day: date, minutes: list[float], *, prefix: str, unit=None) -> list[dict]:
    """Cases that start at 09:00 and 13:00 … of ``day`` and take ``minutes`` each."""
    events = []
    for i, duration in enumerate(minutes):
        start = local(day, 8 + i, 0)
        events += case_events(f"{prefix}-{day:%m%d}-{i}", start, duration, unit=unit)
    return events


@pytest.fixture
def stream(cast):
    stream = make_stream(cast.dinkes)  # service level: 15 minutes
    events = completed_on(FRIDAY_BEFORE, [5, 5, 5], prefix="ok")
    events += completed_on(MONDAY, [10, 20, 30], prefix="bad")
    events += completed_on(TUESDAY, [10, 20, 30], prefix="bad")
    # two cases started on Monday and never completed: open at the end of every day since
    events += case_events("open-1", local(MONDAY, 9), None)
    events += case_events("open-2", local(MONDAY, 10), None)
    # this morning, before 10:00: counts for "this week", not for complete days
    events += completed_on(WEDNESDAY, [40], prefix="today")
    send(stream, events)
    return stream


def rule(stream, **values) -> AlertRule:
    defaults = {
        "name": "Respon lambat",
        "metric": "p90_duration",
        "comparison": "above",
        "threshold": Decimal(15),
        "window": "day",
        "consecutive": 2,
        "unit": None,
        "active": True,
    }
    return alert_rule_save(stream=stream, values={**defaults, **values}, by=SYSTEM)


# Monday and Tuesday: durations 10, 20, 30 minutes (median 20, p90 28, 1 of 3 within 15
# minutes = 33.33 %), two open cases; the Friday before: 5, 5, 5 (p90 5, 100 %); this week so
# far adds a 40-minute case (median 20, p90 34 over seven cases, 2 of 7 within = 28.57 %).
RULES = [
    ("p90_duration", "above", "15", "day", 2, True),
    ("p90_duration", "above", "28", "day", 2, False),  # strictly above
    ("p90_duration", "above", "15", "day", 3, False),  # the Friday before was fine
    ("p90_duration", "below", "15", "day", 2, False),
    ("median_duration", "above", "19.5", "day", 2, True),
    ("median_duration", "below", "20.5", "day", 1, True),
    ("median_duration", "below", "15", "day", 2, False),
    ("within_sla_pct", "below", "50", "day", 2, True),
    ("within_sla_pct", "above", "50", "day", 2, False),
    ("within_sla_pct", "below", "34", "day", 1, True),
    ("open_cases", "above", "1", "day", 2, True),
    ("open_cases", "above", "2", "day", 2, False),
    ("open_cases", "below", "3", "day", 1, True),
    ("p90_duration", "above", "33", "week", 1, True),  # this week so far: 34 with today's
    ("p90_duration", "above", "35", "week", 1, False),
    ("within_sla_pct", "below", "30", "week", 1, True),  # 28.57 %
    ("within_sla_pct", "below", "90", "week", 2, False),  # last week: 100 %
    ("median_duration", "below", "15", "week", 1, False),
    ("open_cases", "above", "1", "week", 1, True),
    ("open_cases", "above", "5", "week", 1, False),
]


@pytest.mark.parametrize(("metric", "comparison", "threshold", "window", "running", "holds"), RULES)
def test_each_metric_comparison_and_window_is_judged_exactly(
    stream, metric, comparison, threshold, window, running, holds
):
    subject = rule(
        stream,
        metric=metric,
        comparison=comparison,
        threshold=Decimal(threshold),
        window=window,
        consecutive=running,
    )
    verdict = rule_verdict(subject, NOW)
    assert verdict.holds is holds
    assert len(verdict.periods) == running


def test_a_day_window_looks_at_complete_days_and_a_week_window_at_this_week_so_far(stream):
    days = rule_verdict(rule(stream, consecutive=2), NOW)
    assert [label for label, _value in days.periods] == ["2026-03-09", "2026-03-10"]
    assert [value for _label, value in days.periods] == [Decimal(28), Decimal(28)]
    weeks = rule_verdict(rule(stream, window="week", consecutive=2), NOW)
    assert [label for label, _value in weeks.periods] == ["2026-03-02", "2026-03-09"]
    assert weeks.periods[-1][1] == Decimal(34)


def test_days_without_cases_neither_make_nor_break_a_run(cast):
    stream = make_stream(cast.dinkes)
    send(
        stream,
        completed_on(FRIDAY_BEFORE, [30], prefix="f") + completed_on(MONDAY, [30], prefix="m"),
    )
    # Tuesday 10:00: the complete days are Monday and before; the weekend had no case
    verdict = rule_verdict(rule(stream), datetime.combine(TUESDAY, time(10), ZONE))
    assert verdict.holds
    assert [label for label, _value in verdict.periods] == ["2026-03-06", "2026-03-09"]


def test_durations_are_compared_in_the_streams_service_level_unit(cast):
    stream = make_stream(cast.dinkes, sla_limit="0.25", sla_unit="hours")
    send(stream, completed_on(MONDAY, [10, 20, 30], prefix="m"))
    # p90 = 28 minutes = 0.4667 hours
    assert rule_verdict(rule(stream, threshold=Decimal("0.46"), consecutive=1), NOW).holds
    assert not rule_verdict(rule(stream, threshold=Decimal("0.47"), consecutive=1), NOW).holds


def test_a_unit_rule_counts_only_that_units_cases(cast):
    stream = make_stream(cast.dinkes)
    events = completed_on(MONDAY, [30, 30], prefix="pkm", unit="DINKES-PKM-PLAJU")
    events += completed_on(MONDAY, [5, 5, 5, 5, 5, 5], prefix="yankes", unit="DINKES-YANKES")
    send(stream, events)
    whole = rule(stream, metric="median_duration", consecutive=1)
    pkm = rule(stream, metric="median_duration", consecutive=1, unit=cast.units["pkm"])
    assert not rule_verdict(whole, NOW).holds
    assert rule_verdict(pkm, NOW).holds


# --- Breaches and notifications ------------------------------------------------------------------


def with_email(employee: Employee, address: str) -> Employee:
    employee.email = address
    employee.save()
    return employee


def test_two_days_running_opens_one_breach_and_tells_the_unit_head_once(cast, stream):
    with_email(cast.employees["head"], "kadis@dinkes.example")
    subject = rule(stream)

    first = evaluate_alerts(stream, NOW)
    again = evaluate_alerts(stream, NOW + timedelta(minutes=5))

    assert len(first.opened) == 1 and not again.opened and not again.closed
    breach = AlertBreach.objects.get(rule=subject)
    assert breach.ended_at is None and breach.notified_at == NOW
    assert breach.periods == ["2026-03-09", "2026-03-10"] and breach.value == Decimal(28)
    notes = Notification.objects.filter(recipient=cast.head)
    assert notes.count() == 1
    assert notes.get().link.startswith(f"/layanan/aliran/{stream.code}/")
    # Written in the head's language (Indonesian by default) and formats: Indonesian dates,
    # each value with its unit
    assert "09/03/2026: 28 menit, 10/03/2026: 28 menit" in notes.get().body
    assert [m.to for m in mail.outbox] == [["kadis@dinkes.example"]]
    assert not Notification.objects.exclude(recipient=cast.head).exists()


def test_the_breach_ends_when_the_condition_stops_and_a_new_breach_notifies_again(cast, stream):
    with_email(cast.employees["head"], "kadis@dinkes.example")
    subject = rule(stream)
    evaluate_alerts(stream, NOW)
    # Wednesday and Thursday go well: on Friday the last two complete days are fine
    send(
        stream,
        completed_on(WEDNESDAY, [5, 5], prefix="ok")
        + completed_on(date(2026, 3, 12), [5, 5, 5], prefix="ok"),
    )
    friday = datetime.combine(date(2026, 3, 13), time(10), ZONE)
    ended = evaluate_alerts(stream, friday)
    assert len(ended.closed) == 1
    assert AlertBreach.objects.get(rule=subject).ended_at == friday
    # Friday and the next Monday go badly (the weekend has no case): a new breach
    send(
        stream,
        completed_on(date(2026, 3, 13), [30, 30, 30, 30, 30, 30], prefix="late")
        + completed_on(date(2026, 3, 16), [30], prefix="late"),
    )
    tuesday = datetime.combine(date(2026, 3, 17), time(10), ZONE)
    reopened = evaluate_alerts(stream, tuesday)

    assert len(reopened.opened) == 1
    assert AlertBreach.objects.filter(rule=subject).count() == 2
    assert AlertBreach.objects.filter(rule=subject, ended_at=None).count() == 1
    assert Notification.objects.filter(recipient=cast.head).count() == 2
    assert len(mail.outbox) == 2


def test_a_unit_rule_tells_the_head_of_that_unit_by_mail_and_in_the_app(cast):
    stream = make_stream(cast.dinkes)
    send(stream, completed_on(MONDAY, [30, 30], prefix="pkm", unit="DINKES-PKM-PLAJU"))
    with_email(cast.employees["rater"], "kapus@pkm.example")
    with_email(cast.employees["head"], "kadis@dinkes.example")
    rule(stream, consecutive=1, unit=cast.units["pkm"])

    evaluate_alerts(stream, NOW)

    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [cast.rater.pk]
    assert [m.to for m in mail.outbox] == [["kapus@pkm.example"]]
    assert "DINKES-PKM-PLAJU" in Notification.objects.get().link


def test_a_head_without_an_e_mail_address_is_still_told_in_the_app(cast, stream):
    rule(stream)
    evaluate_alerts(stream, NOW)
    assert Notification.objects.filter(recipient=cast.head).count() == 1
    assert mail.outbox == []


def test_an_inactive_rule_is_not_evaluated_and_deactivating_ends_its_breach(cast, stream):
    subject = rule(stream)
    evaluate_alerts(stream, NOW)
    alert_rule_save(stream=stream, values={"active": False}, by=cast.admin, rule=subject)

    assert AlertBreach.objects.get(rule=subject).ended_at is not None
    assert evaluate_alerts(stream, NOW).rules == 0
    assert AlertBreach.objects.filter(rule=subject).count() == 1


# --- Who leads a unit ---------------------------------------------------------------------------


def plt(cast, position: str, employee: str) -> None:
    ActingOfficial.objects.create(
        position=cast.positions[position],
        employee=cast.employees[employee],
        kind="plt",
        reason="SK 800/1/2026",
        starts_on=WEDNESDAY,
    )


def vacate(cast, employee: str) -> None:
    person = cast.employees[employee]
    person.position = None
    person.save()


HEADS = [
    # the rule's unit, changes to the organisation, who is told
    ("pkm", None, "rater"),  # Kepala Puskesmas (Pengawas)
    ("yankes", None, "rater_superior"),  # Kepala Bidang (Administrator), not the analyst
    ("dinkes", None, "head"),  # Kepala Dinas (JPT)
    (None, None, "head"),  # the whole stream: the agency head
    ("pkm", "acting", "colleague"),  # a Plt in the Kepala Puskesmas position
    ("pkm", "vacant", "rater_superior"),  # nobody there: up to the parent unit
    ("dukcapil", None, "other_head"),  # a unit of another agency: its own head
]


@pytest.mark.parametrize(("unit", "change", "told"), HEADS)
def test_the_unit_head_is_the_holder_or_acting_official_of_its_most_senior_position(
    cast, unit, change, told
):
    if change == "acting":
        plt(cast, "kapus", "colleague")
    if change == "vacant":
        vacate(cast, "rater")
    stream = make_stream(cast.dinkes)
    heads = unit_heads(unit=cast.units[unit] if unit else None, stream=stream)
    assert heads == [cast.employees[told]]


def test_an_agency_without_a_head_tells_nobody_and_the_breach_says_so(cast, stream):
    cast.dinkes.head_position = None
    cast.dinkes.save()
    rule(stream)
    outcome = evaluate_alerts(stream, NOW)
    assert len(outcome.opened) == 1
    assert outcome.opened[0].notified_at is None
    assert not Notification.objects.exists() and mail.outbox == []


# --- When it runs ---------------------------------------------------------------------------------


def test_the_catch_up_task_evaluates_the_rules_at_most_once_a_minute(cast):
    cache.clear()
    stream = make_stream(cast.dinkes)
    rule(stream, consecutive=1, window="week", metric="open_cases", threshold=Decimal(0))
    # stored, not yet merged into cases: the task merges them, then evaluates
    store(stream, Validator(stream).clean_all(case_events("x", local(date.today()), None)))  # noqa: DTZ011

    catch_up_task.call(stream.pk)
    assert AlertBreach.objects.filter(ended_at=None).count() == 1
    assert Notification.objects.filter(recipient=cast.head).count() == 1

    AlertBreach.objects.update(ended_at=NOW)  # as if it had ended
    catch_up_task.call(stream.pk)  # within the minute: not evaluated again
    assert not AlertBreach.objects.filter(ended_at=None).exists()

    cache.clear()  # a minute later
    catch_up_task.call(stream.pk)
    assert AlertBreach.objects.filter(ended_at=None).count() == 1


def test_a_stream_without_active_rules_is_not_evaluated(cast):
    cache.clear()
    stream = make_stream(cast.dinkes)
    assert evaluate_alerts_throttled(stream) is None


def test_a_head_who_chose_english_reads_the_alert_in_english_with_the_unit_of_each_value(
    cast, stream
):
    cast.head.language = "en"
    cast.head.save(update_fields=["language"])
    subject = rule(stream, metric=AlertMetric.WITHIN_SLA_PCT, comparison="below", threshold=90)
    evaluate_alerts(stream, NOW)
    assert AlertBreach.objects.filter(rule=subject).exists()
    note = Notification.objects.get(recipient=cast.head)
    assert note.title.startswith("Alert: ")
    assert re.search(r"09/03/2026: [0-9.]+ %, 10/03/2026: [0-9.]+ %\. You are told once", note.body)
