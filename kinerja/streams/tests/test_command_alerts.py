"""``kinerja alerts check [--stream CODE]``: evaluates the rules for cron; a second run while
the condition still holds notifies nobody again."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kinerja.core.actors import SYSTEM
from kinerja.core.models import Notification
from kinerja.streams.models import AlertBreach
from kinerja.streams.services import alert_rule_save

from .service_data import case_events, local, make_stream, send


def run(*args) -> str:
    out = StringIO()
    call_command("alerts", "check", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def streams(cast):
    yesterday = timezone.localdate() - timedelta(days=1)
    slow = make_stream(cast.dinkes, "gawat-darurat")
    send(slow, case_events("a", local(yesterday, 9), 45))
    other = make_stream(cast.dinkes, "rujukan")
    send(other, case_events("b", local(yesterday, 9), 45))
    for stream in (slow, other):
        alert_rule_save(
            stream=stream,
            values={
                "name": "Lambat",
                "metric": "median_duration",
                "comparison": "above",
                "threshold": Decimal(15),
                "window": "day",
                "consecutive": 1,
                "unit": None,
                "active": True,
            },
            by=SYSTEM,
        )
    return slow, other


def test_check_evaluates_every_stream_with_rules_and_says_what_it_did(cast, streams):
    output = run()
    assert "gawat-darurat: 1 rule(s), 1 opened, 0 ended, 0 e-mail(s)" in output
    assert "rujukan: 1 rule(s), 1 opened" in output
    assert Notification.objects.filter(recipient=cast.head).count() == 2


def test_check_of_one_stream_leaves_the_others_alone(streams):
    run("--stream", "rujukan")
    assert list(AlertBreach.objects.values_list("rule__stream__code", flat=True)) == ["rujukan"]


def test_a_second_check_notifies_nobody_again(cast, streams):
    run()
    output = run()
    assert "0 opened" in output and "1 opened" not in output
    assert Notification.objects.count() == 2


def test_an_unknown_stream_is_an_error(streams):
    with pytest.raises(CommandError, match="nope"):
        run("--stream", "nope")


def test_without_rules_it_says_so(cast):
    assert "No active alert rule" in run()
