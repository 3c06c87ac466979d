"""Deadline reminders (``evaluations.services.reminders_send``): each kind — the plan, plans to
approve, periods to rate — is sent once, within the days before its deadline and never after
it, only to those who still have something to do; in the app and by e-mail after the commit."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils.translation import override

from kinerja.accounts.models import User
from kinerja.core.actors import SYSTEM
from kinerja.core.models import AuditRecord, Notification
from kinerja.evaluations import services as evaluations
from kinerja.evaluations.models import Reminder
from kinerja.evaluations.services import reminders_send
from kinerja.organizations.models import Employee
from kinerja.skp import services
from kinerja.skp.models import SkpCalendar
from kinerja.skp.tests.factories import approved_plan
from kinerja.testing.factories import make_nip

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
EVERYONE = {"head", "rater_superior", "rater", "employee", "colleague", "pengelola", "other_head",
            "outsider"}  # fmt: skip


@pytest.fixture(autouse=True)
def _english(settings, cast):
    """The texts follow each reader's language (the region's for people without an account);
    English here, to read them in the tests."""
    settings.LANGUAGE_CODE = "en"
    User.objects.update(language="en")


def titles(cast, who: str, contains: str = "") -> list[str]:
    return list(
        Notification.objects.filter(recipient=cast.users[who], title__contains=contains)
        .order_by("pk")
        .values_list("title", flat=True)
    )


def submitted_plan(cast, who: str):
    user = cast.users[who]
    skp = services.skp_create(
        employee=cast.employees[who], year=2026, approach="kuantitatif", by=user
    )
    services.rhk_add(
        skp=skp, by=user, kind="utama", text="Tersusunnya laporan kepegawaian", supports=None,
        indicators=[
            {"aspect": "kuantitas", "text": "Jumlah laporan", "target": "12", "unit": "laporan"}
        ],
    )  # fmt: skip
    services.skp_submit(skp=skp, by=user)
    return skp


# --- The plan ---------------------------------------------------------------------------------


def test_employees_whose_plan_has_not_reached_the_rater_are_reminded_before_the_deadline(cast):
    approved_plan(cast, "employee")  # done
    submitted_plan(cast, "pengelola")  # done: the rater's turn
    services.skp_create(employee=cast.employees["colleague"], year=2026, approach="kuantitatif",
                        by=cast.colleague)  # fmt: skip

    outcome = reminders_send(by=SYSTEM, today=date(2026, 1, 24))  # 7 days before 31 January

    reminded = {k for k in EVERYONE if titles(cast, k, "must be approved by 31/01/2026")}
    assert reminded == EVERYONE - {"employee", "pengelola"}
    assert outcome.plan == 6
    assert titles(cast, "head", "Your 2026 plan") == [
        "Your 2026 plan (SKP) must be approved by 31/01/2026"
    ]
    bodies = dict(
        Notification.objects.filter(title__contains="must be approved").values_list(
            "recipient__username", "body"
        )
    )
    assert bodies[cast.colleague.username].startswith("Your 2026 plan is still a draft.")
    assert bodies[cast.head.username].startswith("You have no plan for 2026 yet.")


def test_a_returned_plan_is_reminded_with_its_own_words(cast):
    skp = submitted_plan(cast, "employee")
    services.skp_return(skp=skp, by=cast.rater, reason="Target belum terukur")
    reminders_send(by=SYSTEM, today=date(2026, 1, 30))
    body = Notification.objects.get(recipient=cast.employee, title__contains="must be").body
    assert body.startswith("Your rater returned your 2026 plan.")


def test_each_reminder_is_sent_once_however_often_it_runs(cast):
    first = reminders_send(by=SYSTEM, today=date(2026, 1, 24))
    second = reminders_send(by=SYSTEM, today=date(2026, 1, 24))
    third = reminders_send(by=SYSTEM, today=date(2026, 1, 25))
    assert (first.plan, second.plan, third.plan) == (8, 0, 0)
    assert len(titles(cast, "employee", "must be approved")) == 1
    assert Reminder.objects.filter(key__startswith="skp-plan:2026:").count() == 8


@pytest.mark.parametrize(
    ("today", "sent"),
    [
        (date(2026, 1, 23), 0),  # eight days before: too early
        (date(2026, 1, 24), 8),
        (date(2026, 1, 31), 8),  # the deadline itself
        (date(2026, 2, 1), 0),  # after the deadline: never
        (date(2025, 12, 28), 0),
    ],
)
def test_the_plan_is_reminded_only_in_the_days_before_its_deadline(cast, today, sent):
    assert reminders_send(by=SYSTEM, today=today).plan == sent


def test_the_calendar_of_the_year_sets_the_deadline_and_the_days(cast):
    SkpCalendar.objects.create(valid_from=2026, plan_deadline_month=2, plan_deadline_day=15,
                               reminder_days=3)  # fmt: skip
    assert reminders_send(by=SYSTEM, today=date(2026, 2, 11)).plan == 0
    assert reminders_send(by=SYSTEM, today=date(2026, 2, 12)).plan == 8
    assert titles(cast, "employee", "must be approved by 15/02/2026")


def test_one_agency_only(cast):
    outcome = reminders_send(by=SYSTEM, today=date(2026, 1, 24), agency=cast.dukcapil)
    assert outcome.plan == 2
    assert titles(cast, "outsider", "must be approved") and titles(cast, "other_head", "must be")
    assert not titles(cast, "employee", "must be approved")


# --- Plans to approve -------------------------------------------------------------------------


def test_a_rater_is_reminded_of_plans_awaiting_approval_once_per_plan(cast):
    submitted_plan(cast, "pengelola")  # rated by the head of the Bidang (rater_superior)
    first = reminders_send(by=SYSTEM, today=date(2026, 1, 25))
    assert titles(cast, "rater_superior", "await") == ["1 plan for 2026 awaits your approval"]
    note = Notification.objects.get(recipient=cast.rater_superior, title__contains="awaits")
    assert note.body == "Approve or return them before 31/01/2026. Waiting: Yusuf Hidayat, S.E."

    submitted_plan(cast, "rater")  # a second plan for the same rater, later
    second = reminders_send(by=SYSTEM, today=date(2026, 1, 26))
    third = reminders_send(by=SYSTEM, today=date(2026, 1, 27))
    assert (first.approve, second.approve, third.approve) == (1, 1, 0)
    latest = Notification.objects.filter(recipient=cast.rater_superior, title__contains="awaits")
    assert latest.latest("pk").body.endswith("Waiting: dr. Ahmad Fauzi")


def _link(cast, who: str, contains: str) -> str:
    note = Notification.objects.filter(recipient=cast.users[who], title__contains=contains)
    return note.latest("pk").link


def test_each_reminder_leads_to_its_task_or_to_the_worklist(cast):
    draft = services.skp_create(
        employee=cast.employees["colleague"], year=2026, approach="kuantitatif", by=cast.colleague
    )
    one = submitted_plan(cast, "pengelola")
    reminders_send(by=SYSTEM, today=date(2026, 1, 25))
    assert _link(cast, "colleague", "must be approved") == f"/skp/{draft.pk}/"  # her draft
    assert _link(cast, "outsider", "must be approved") == "/kinerja-saya/mulai/"  # no plan yet
    assert _link(cast, "rater_superior", "await") == f"/skp/{one.pk}/"  # the one plan
    submitted_plan(cast, "rater")
    Notification.objects.all().delete()
    # both plans wait (as if the first were not reminded yet): one message lists them, and
    # leads to the worklist
    Reminder.objects.filter(key=f"skp-approve:{one.pk}").delete()
    reminders_send(by=SYSTEM, today=date(2026, 1, 26))
    assert _link(cast, "rater_superior", "await") == "/tugas/"


def test_a_reminder_to_rate_one_plan_leads_to_its_rating_page(cast):
    skp = approved_plan(cast, "employee")
    reminders_send(by=SYSTEM, today=date(2026, 4, 1))
    assert _link(cast, "rater", "to rate") == f"/penilaian/skp/{skp.pk}/2026-Q1/"
    approved_plan(cast, "colleague")
    Reminder.objects.all().delete()
    reminders_send(by=SYSTEM, today=date(2026, 4, 2))
    assert _link(cast, "rater", "to rate") == "/tugas/"


def test_approved_plans_and_plans_after_the_deadline_remind_nobody(cast):
    approved_plan(cast, "employee")
    submitted_plan(cast, "pengelola")
    assert reminders_send(by=SYSTEM, today=date(2026, 2, 2)).approve == 0
    assert not titles(cast, "rater", "await")  # the employee's plan is approved


# --- Periods to rate --------------------------------------------------------------------------


def test_a_rater_is_reminded_of_the_quarter_not_yet_rated(cast):
    approved_plan(cast, "employee")
    rated = approved_plan(cast, "colleague")
    evaluations.evaluation_rate(
        skp=rated, by=cast.rater, period="2026-Q1", results_rating="meets",
        behaviour_rating="meets", now=datetime(2026, 4, 1, 9, tzinfo=WIB),
    )  # fmt: skip
    outcome = reminders_send(by=SYSTEM, today=date(2026, 4, 1))  # TW I is due by 5 April
    assert outcome.rate == 1
    assert titles(cast, "rater", "to rate") == ["1 employee to rate for TW I 2026"]
    body = Notification.objects.get(recipient=cast.rater, title__contains="to rate").body
    assert body == "Rate them before 05/04/2026. Not rated yet: Siti Aminah, A.Md.Kep"
    assert reminders_send(by=SYSTEM, today=date(2026, 4, 2)).rate == 0


@pytest.mark.parametrize(
    ("today", "sent"),
    [
        (date(2026, 3, 28), 0),
        (date(2026, 3, 29), 0),  # within 7 days of the deadline, but the quarter still runs
        (date(2026, 3, 31), 0),
        (date(2026, 4, 1), 1),  # open for rating from the day after it ends
        (date(2026, 4, 5), 1),
        (date(2026, 4, 6), 0),
    ],
)
def test_the_quarter_is_reminded_only_while_open_before_its_deadline(cast, today, sent):
    approved_plan(cast, "employee")
    assert reminders_send(by=SYSTEM, today=today).rate == sent


def test_the_period_follows_the_agencys_rhythm(cast):
    approved_plan(cast, "employee")
    evaluations.rhythm_set(agency=cast.dinkes, year=2026, rhythm="monthly", by=cast.pengelola)
    reminders_send(
        by=SYSTEM, today=date(2026, 5, 2)
    )  # April is due by 5 May; no quarter ends in April
    assert titles(cast, "rater", "to rate") == ["1 employee to rate for 04/2026"]


def test_the_annual_rating_is_reminded_before_its_deadline(cast):
    approved_plan(cast, "employee")
    reminders_send(
        by=SYSTEM, today=date(2027, 1, 28)
    )  # the annual evaluation of 2026 is due by 31/01/2027
    assert titles(cast, "rater", "to rate") == ["1 employee to rate for 2026"]
    assert reminders_send(by=SYSTEM, today=date(2027, 2, 1)).rate == 0


# --- How they are sent ------------------------------------------------------------------------


def test_e_mail_goes_after_the_commit_to_those_with_an_address(
    cast, django_capture_on_commit_callbacks
):
    Employee.objects.filter(pk=cast.employees["employee"].pk).update(email="siti@example.go.id")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outcome = reminders_send(by=SYSTEM, today=date(2026, 1, 24))
    assert outcome.mails == 1
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert message.to == ["siti@example.go.id"]
    assert message.subject == "Your 2026 plan (SKP) must be approved by 31/01/2026"
    assert message.body.endswith("\n\n/kinerja-saya/mulai/")  # no plan yet: the page to start one


def test_no_e_mail_when_asked_for_none(cast, django_capture_on_commit_callbacks):
    Employee.objects.filter(pk=cast.employees["employee"].pk).update(email="siti@example.go.id")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = reminders_send(by=SYSTEM, today=date(2026, 1, 24), mail=False)
    assert (outcome.mails, mail.outbox, outcome.plan) == (0, [], 8)


def test_someone_without_account_or_address_is_reminded_once_they_have_one(cast):
    nobody = Employee.objects.create(
        nip=make_nip(900), name="Budi Santoso", status="pns", unit=cast.units["pkm"],
        position=cast.positions["perawat"],
    )  # fmt: skip
    outcome = reminders_send(by=SYSTEM, today=date(2026, 1, 24))
    assert (outcome.plan, outcome.skipped) == (8, 1)
    assert not Reminder.objects.filter(key=f"skp-plan:2026:{nobody.pk}").exists()
    Employee.objects.filter(pk=nobody.pk).update(email="budi@example.go.id")
    assert reminders_send(by=SYSTEM, today=date(2026, 1, 25)).plan == 1


def test_the_texts_are_in_the_regions_language_whatever_language_is_active(cast):
    with override("id"):
        reminders_send(by=SYSTEM, today=date(2026, 1, 24))
    assert titles(cast, "employee") == ["Your 2026 plan (SKP) must be approved by 31/01/2026"]


def test_a_reminder_another_run_recorded_a_moment_ago_is_not_sent_again(cast, monkeypatch):
    from kinerja.evaluations import reminders

    monkeypatch.setattr(reminders, "_sent", lambda prefix: set())  # as if it ran concurrently
    Reminder.objects.create(key=f"skp-plan:2026:{cast.employees['employee'].pk}")
    outcome = reminders_send(by=SYSTEM, today=date(2026, 1, 24))
    assert outcome.plan == 7
    assert not titles(cast, "employee")
    assert titles(cast, "colleague", "must be approved")


# --- Who may send them --------------------------------------------------------------------------


def test_the_regions_administrator_sends_them_as_the_daily_run_does(cast):
    assert reminders_send(by=cast.admin, today=date(2026, 1, 24)).plan == 8


@pytest.mark.parametrize("who", ["pengelola", "head", "rater", "employee", "auditor"])
def test_nobody_else_sends_the_regions_and_nothing_is_recorded(cast, who):
    with pytest.raises(PermissionDenied):
        reminders_send(by=cast.users[who], today=date(2026, 1, 24))
    assert not Reminder.objects.exists()
    assert not Notification.objects.exists()


def test_an_agencys_performance_administrator_sends_their_own_agencys(cast):
    with pytest.raises(PermissionDenied):
        reminders_send(by=cast.pengelola, today=date(2026, 1, 24), agency=cast.dukcapil)
    assert reminders_send(by=cast.pengelola, today=date(2026, 1, 24), agency=cast.dinkes).plan == 6


def test_a_run_that_sends_anything_is_in_the_audit_trail_with_its_counts(cast):
    reminders_send(by=SYSTEM, today=date(2026, 1, 24))
    record = AuditRecord.objects.get(action="remind")
    assert record.object_id == "2026-01-24"
    assert (record.after["plan"], record.after["notifications"]) == (8, 8)
    reminders_send(by=SYSTEM, today=date(2026, 1, 25))  # nothing left to send: nothing recorded
    assert AuditRecord.objects.filter(action="remind").count() == 1


def test_each_reader_gets_the_reminder_in_their_own_language(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "id"  # the region's language
    User.objects.filter(pk=cast.colleague.pk).update(language="id")
    cast.colleague.employee.email = "colleague@dinkes.example"
    cast.colleague.employee.save(update_fields=["email"])
    services.skp_create(employee=cast.employees["colleague"], year=2026, approach="kuantitatif",
                        by=cast.colleague)  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(by=SYSTEM, today=date(2026, 1, 24))

    assert titles(cast, "head", "Your 2026 plan") == [
        "Your 2026 plan (SKP) must be approved by 31/01/2026"
    ]
    [own] = titles(cast, "colleague")
    with override("id"):
        assert "31/01/2026" in own and "Your 2026 plan" not in own
    [message] = [m for m in mail.outbox if m.to == ["colleague@dinkes.example"]]
    assert message.subject == own
