"""``kinerja skp [--as USER] remind [--date YYYY-MM-DD] [--agency CODE] [--no-mail]``: the daily
run of the deadline reminders, what it prints, and precise refusals."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from kinerja.core.models import Notification
from kinerja.evaluations.models import Reminder
from kinerja.organizations.models import Employee

pytestmark = pytest.mark.django_db


def run(*args, actor: str | None = None) -> str:
    out = StringIO()
    before = ["--as", actor] if actor else []  # an option of the command, before the action
    call_command("skp", *before, "remind", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def addressed(cast):
    Employee.objects.filter(pk=cast.employees["employee"].pk).update(email="siti@example.go.id")
    return cast


def test_remind_sends_what_is_due_and_says_so(addressed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--date", "2026-01-24")
    assert output == (
        "Reminders of 24/01/2026: 8 employee(s) about their plan, 0 rater(s) about plans to "
        "approve, 0 about ratings; 8 in-app notification(s), 1 e-mail(s).\n"
    )
    assert Notification.objects.count() == 8
    assert [m.to for m in mail.outbox] == [["siti@example.go.id"]]


def test_remind_twice_sends_nothing_the_second_time(addressed):
    run("--date", "2026-01-24")
    assert "0 employee(s) about their plan" in run("--date", "2026-01-24")
    assert Notification.objects.count() == 8


def test_remind_outside_any_window_sends_nothing(cast):
    assert "0 employee(s) about their plan, 0 rater(s)" in run("--date", "2026-02-20")
    assert not Reminder.objects.exists()


def test_remind_of_one_agency(cast):
    assert "2 employee(s) about their plan" in run("--date", "2026-01-24", "--agency", "dukcapil")


def test_remind_without_mail_notifies_in_the_app_only(
    addressed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--date", "2026-01-24", "--no-mail")
    assert "8 in-app notification(s), 0 e-mail(s)" in output
    assert mail.outbox == []


def test_remind_says_who_could_not_be_reached(cast):
    Employee.objects.create(
        nip="198503122010011901", name="Budi Santoso", status="pns", unit=cast.units["pkm"],
        position=cast.positions["perawat"],
    )  # fmt: skip
    output = run("--date", "2026-01-24")
    assert "1 reminder(s) not sent: the person has neither an account nor an e-mail address." in (
        output
    )


def test_remind_without_a_date_uses_today(cast):
    assert run().startswith("Reminders of ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "24/01/2026"], "Write the date as YYYY-MM-DD, e.g. 2026-01-24"),
        (["--date", "2026-02-30"], "Write the date as YYYY-MM-DD"),
        (["--agency", "NOPE"], "No agency with the code 'NOPE'."),
    ],
)
def test_bad_input_is_refused_precisely_and_sends_nothing(cast, args, message):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value)
    assert not Notification.objects.exists()


def test_someone_who_may_not_send_them_is_refused_with_the_reason(cast):
    with pytest.raises(CommandError) as error:
        run("--date", "2026-01-24", actor=cast.rater.username)
    assert "Only the region's administrator sends the reminders" in str(error.value)
    assert not Notification.objects.exists()


def test_an_agencys_performance_administrator_sends_their_agencys(cast):
    output = run("--date", "2026-01-24", "--agency", "DINKES", actor=cast.pengelola.username)
    assert "6 employee(s) about their plan" in output
