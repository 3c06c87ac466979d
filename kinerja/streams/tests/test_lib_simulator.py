"""The simulator (``kinerja.streams.simulator``): realistic events through the HTTP API.

The tests talk to the application in-process (httpx's WSGI transport: the real Django stack,
middleware and API included) with a fake clock, so that a "20-second" run takes no time; the
command's tests (test_command_simulate.py) use a real server."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from kinerja.accounts.models import ApiToken
from kinerja.accounts.services import token_create, token_revoke
from kinerja.core.actors import SYSTEM
from kinerja.streams.ingest import catch_up
from kinerja.streams.models import Case, Event, Stream
from kinerja.streams.simulator import Simulation, SimulatorError, retry_after, simulate

from .support import SIMULATOR_STAGES, simulator_stream

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 3, 11, 14, 0, tzinfo=WIB)


class FakeTime:
    """A clock that moves only when the simulator sleeps."""

    def __init__(self, start: datetime = START):
        self.start = start
        self.elapsed = 0.0
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def clock(self) -> float:
        return self.elapsed

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.elapsed += seconds

    def options(self) -> dict:
        return {"now": self.now, "clock": self.clock, "sleep": self.sleep}


@pytest.fixture
def wsgi(db):
    """A transport into this very application, inside the test's transaction."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's test client does: a request must not close the connection that holds the
    # test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield httpx.WSGITransport(app=WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def stream(cast):
    return simulator_stream(cast.dinkes)


@pytest.fixture
def token(stream):
    return token_create(name="sim", user=None, streams=[stream], by=SYSTEM)[1]


def run(transport, token, stream, fake=None, **overrides):
    fake = fake or FakeTime()
    lines: list[str] = []
    arguments = {
        "url": "http://testserver",
        "token": token,
        "stream_code": stream.code,
        "rate": 20,
        "duration": 5,
        "seed": 7,
        "zone": WIB,
        "out": lines.append,
        "transport": transport,
        **fake.options(),
        **overrides,
    }
    totals = simulate(**arguments)
    return totals, lines


def test_it_sends_rate_times_duration_events_one_batch_a_second(wsgi, stream, token):
    totals, lines = run(wsgi, token, stream, rate=20, duration=5, report_every=2)
    assert totals.sent == 100
    assert totals.batches == 5
    assert totals.accepted == 100 == Event.objects.filter(stream=stream).count()
    assert totals.duplicates == 0
    assert totals.cases == len(set(Event.objects.values_list("case_key", flat=True)))
    assert lines[0].startswith("Simulating igd")
    assert any("sent=" in line and "accepted=" in line for line in lines[1:-1])
    assert lines[-1].startswith("Done in 5.0 s: sent=100 accepted=100 duplicates=0")


def test_a_rate_below_one_a_second_sends_an_event_now_and_then(wsgi, stream, token):
    totals, _lines = run(wsgi, token, stream, rate=0.5, duration=6)
    assert totals.sent == 3


def test_cases_move_through_the_stages_in_order_with_past_times_and_some_breach_the_sla(
    wsgi, stream, token
):
    fake = FakeTime()
    totals, _lines = run(wsgi, token, stream, fake, rate=50, duration=30)
    assert totals.accepted == 1500
    ended = fake.now()
    midnight = START.replace(hour=0, minute=0)
    by_case = defaultdict(dict)
    for key, stage, at in Event.objects.values_list("case_key", "stage", "at"):
        by_case[key][stage] = at
        assert at <= ended
    for stages in by_case.values():
        assert "panggilan" in stages  # every case starts, today
        assert stages["panggilan"] >= midnight
        times = [stages[s] for s in SIMULATOR_STAGES if s in stages]
        assert times == sorted(times)
        assert list(stages) == [s for s in SIMULATOR_STAGES if s in stages] or set(stages) <= set(
            SIMULATOR_STAGES
        )
    catch_up(stream)
    cases = Case.objects.filter(stream=stream)
    assert cases.filter(within_sla=True).count() > cases.filter(within_sla=False).count() > 0
    assert cases.filter(completed_at__isnull=True).exists()  # some are still open
    assert not cases.filter(inconsistent=True).exists()
    durations = cases.filter(duration_ms__isnull=False).values_list("duration_ms", flat=True)
    assert max(durations) > 15 * 60_000 > min(durations) > 0  # minutes, around the SLA


def test_cases_are_attributed_to_the_given_units_and_officers(cast, wsgi, stream, token):
    units = [cast.units["pkm"].code, cast.units["yankes"].code]
    officers = [cast.employees["employee"].nip, cast.employees["colleague"].nip]
    run(wsgi, token, stream, units=units, officers=officers, duration=4)
    events = Event.objects.filter(stream=stream)
    assert set(events.values_list("unit__code", flat=True)) == set(units)
    assert set(events.exclude(stage="panggilan").values_list("officer", flat=True)) <= set(officers)
    assert set(events.filter(stage="panggilan").values_list("officer", flat=True)) == {""}


class Busy(httpx.BaseTransport):
    """Answers the first POSTs with the given refusals, then lets requests through."""

    def __init__(self, inner, answers):
        self.inner = inner
        self.answers = list(answers)
        self.posts = 0

    def handle_request(self, request):
        if request.method == "POST":
            self.posts += 1
            if self.answers:
                status, headers = self.answers.pop(0)
                return httpx.Response(status, headers=headers, json={"error": "busy"})
        return self.inner.handle_request(request)


def test_a_busy_server_gets_the_same_batch_again_after_retry_after(wsgi, stream, token):
    fake = FakeTime()
    busy = Busy(wsgi, [(429, {"Retry-After": "2"}), (503, {"Retry-After": "3"})])
    totals, _lines = run(busy, token, stream, fake, rate=10, duration=2)
    assert fake.sleeps[:2] == [2.0, 3.0]
    assert totals.retries == 2
    # The same first batch three times; the waits used up the two seconds of the run.
    assert busy.posts == 3
    assert totals.sent == totals.accepted == Event.objects.count() == 10
    assert totals.duplicates == 0


class LostAnswer(httpx.BaseTransport):
    """Delivers the first POST but loses its answer, as a dropped connection would."""

    def __init__(self, inner):
        self.inner = inner
        self.lost = False

    def handle_request(self, request):
        response = self.inner.handle_request(request)
        if request.method == "POST" and not self.lost:
            self.lost = True
            raise httpx.ReadError("connection reset", request=request)
        return response


def test_a_lost_answer_is_sent_again_and_counts_as_duplicates(wsgi, stream, token):
    totals, _lines = run(LostAnswer(wsgi), token, stream, rate=10, duration=1)
    assert totals.retries == 1
    assert totals.sent == 10
    assert totals.duplicates == 10  # stored the first time; the ids keep it harmless
    assert Event.objects.count() == 10


def test_an_unreachable_server_stops_the_run_after_a_few_tries(stream):
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    fake = FakeTime()
    with pytest.raises(SimulatorError, match="cannot be reached"):
        run(httpx.MockTransport(refuse), "knj_x", stream, fake)
    assert len(fake.sleeps) == 7


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("other-stream", "may not use stream 'igd'"),
        ("revoked", "401"),
        ("unknown-unit", "Unknown unit code 'NOPE'"),
        ("closed", "403"),
    ],
)
def test_a_refusal_stops_the_run_with_the_servers_reason(cast, wsgi, stream, setup, message):
    other = simulator_stream(cast.dinkes, code="lain")
    secret = token_create(
        name="t", user=None, streams=[other if setup == "other-stream" else stream], by=SYSTEM
    )[1]
    options = {}
    if setup == "revoked":
        token_revoke(token=ApiToken.objects.get(name="t"), by=SYSTEM)
    if setup == "unknown-unit":
        options["units"] = ["NOPE"]
    if setup == "closed":
        Stream.objects.filter(pk=stream.pk).update(active=False)
    with pytest.raises(SimulatorError, match=message):
        run(wsgi, secret, stream, **options)
    assert not Event.objects.exists()


def test_the_same_seed_makes_the_same_pattern(stream):
    from kinerja.streams.simulator import StreamInfo

    info = StreamInfo(
        code="igd", stages=SIMULATOR_STAGES, start="panggilan", end="tiba", sla_seconds=900
    )

    def pattern(seed):
        fake = FakeTime()
        with httpx.Client() as client:
            simulation = Simulation(
                client=client, stream_code="igd", rate=1, duration=1, seed=seed, zone=WIB,
                **fake.options(),
            )  # fmt: skip
            return [(e["stage"], e["at"]) for e in simulation.batch_for(info, fake.now(), 200)]

    assert pattern(3) == pattern(3)
    assert pattern(3) != pattern(4)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, 1.0),
        ("2", 2.0),
        ("0.5", 0.5),
        ("999", 30.0),
        ("Wed, 11 Mar 2026 07:00:05 GMT", 5.0),
        ("soon", 1.0),
    ],
)
def test_retry_after_is_read_as_seconds_or_a_date(header, seconds):
    response = httpx.Response(429, headers={"Retry-After": header} if header else {})
    assert retry_after(response, START) == seconds
