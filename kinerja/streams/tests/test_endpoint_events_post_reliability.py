"""Reliability of taking in events, against a real server process (issue 4, "Reliability").

A real ``gunicorn kinerja.wsgi`` (two workers, four threads each) serves a database of its
own — a SQLite file, or a scratch PostgreSQL database when the run uses PostgreSQL — with
tasks run inline, as in the embedded set-up. The tests talk HTTP to it and read the database
directly:

* a batch is stored whole or not at all when the workers are killed (SIGKILL) mid-request;
* resending stores nothing twice;
* 16 concurrent senders lose nothing and duplicate nothing;
* malformed and hostile bodies get 4xx, never 5xx, and the server stays up.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import orjson
import pytest

from kinerja.testing.server import ScratchDatabase, Server, running_server, scratch_database

STAGES = ["diajukan", "diverifikasi", "dicetak", "diserahkan"]
UNITS = ["REL-LOKET-1", "REL-LOKET-2", "REL-LOKET-3"]
NIP = "198503122010011002"
MAX_BYTES = 5 * 1024 * 1024
RATE = 30  # batches per second per token in the server under test: some 429s, not many
# Each edge-of-the-calendar time gets a stream of its own: a stored time the database cannot
# give back would break every later reading of that stream.
STREAMS = ("rel-kill", "rel-resend", "rel-many", "rel-hostile", *(f"rel-far-{n}" for n in range(3)))
JANUARY = {"start": "2026-01-01", "end": "2026-01-31"}

SEED = f"""
import json
from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.organizations.models import Agency, Region, Unit
from kinerja.streams.models import Stream

region = Region.objects.create(code="REL", name="Kota Uji", head_title="Wali Kota")
agency = Agency.objects.create(region=region, code="REL-DUKCAPIL", name="Dinas Uji", kind="dinas")
for code in {UNITS!r}:
    Unit.objects.create(agency=agency, code=code, name=code)
tokens = {{}}
for code in {STREAMS!r}:
    stream = Stream.objects.create(
        code=code, name=code, agency=agency, stages={STAGES!r}, start_stage="diajukan",
        end_stage="diserahkan", sla_limit=8, sla_unit="hours",
    )
    tokens[code] = token_create(name=code, user=None, streams=[stream], by=SYSTEM)[1]
print(json.dumps(tokens))
"""


@dataclass
class Site:
    database: ScratchDatabase
    server: Server
    tokens: dict[str, str]

    def post(self, stream: str, content: bytes, *, headers=None, client=None, timeout=120):
        """POST a body to a stream's events, retrying on 429/503 after ``Retry-After``."""
        sender = client or httpx
        for _attempt in range(100):
            response = sender.post(
                f"{self.server.url}/api/v1/streams/{stream}/events",
                content=content,
                headers={
                    "Authorization": f"Bearer {self.tokens[stream]}",
                    "Content-Type": "application/json",
                    **(headers or {}),
                },
                timeout=timeout,
            )
            if response.status_code not in (429, 503):
                return response
            time.sleep(float(response.headers.get("Retry-After", "1")))
        raise AssertionError("the server kept asking to retry")

    def send(self, stream: str, events: list[dict], **options) -> httpx.Response:
        return self.post(stream, orjson.dumps({"events": events}), **options)

    def metrics(self, stream: str, **params) -> httpx.Response:
        return httpx.get(
            f"{self.server.url}/api/v1/streams/{stream}/metrics",
            params={**JANUARY, **params},
            headers={"Authorization": f"Bearer {self.tokens[stream]}"},
            timeout=120,
        )

    def stream_id(self, code: str) -> int:
        return self.database.scalar("SELECT id FROM streams_stream WHERE code = %s", [code])

    def stored(self, stream: str, prefix: str = "") -> int:
        """How many events of ``stream`` are stored, of those whose id starts with ``prefix``."""
        return self.database.scalar(
            "SELECT count(*) FROM streams_event WHERE stream_id = %s AND event_id LIKE %s",
            [self.stream_id(stream), f"{prefix}%"],
        )

    def event_ids(self, stream: str) -> list[str]:
        rows = self.database.query(
            "SELECT event_id FROM streams_event WHERE stream_id = %s", [self.stream_id(stream)]
        )
        return [row[0] for row in rows]

    def case_events(self, stream: str) -> int:
        """Events merged into the stream's cases (each event counts in its case once)."""
        return self.database.scalar(
            "SELECT coalesce(sum(events), 0) FROM streams_case WHERE stream_id = %s",
            [self.stream_id(stream)],
        )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    with scratch_database(tmp_path_factory.mktemp("reliability")) as database:
        tokens = json.loads(database.django(SEED).strip().splitlines()[-1])
        options = {"KINERJA_INGEST_REQUESTS_PER_SECOND": str(RATE)}
        with running_server(database, workers=2, threads=4, env=options) as server:
            yield Site(database, server, tokens)


def events_for(prefix: str, count: int, *, day: int = 5) -> list[dict]:
    """``count`` events, four per case (every stage, in order, ten minutes apart), with ids
    ``prefix:N`` and cases ``prefix/N``; every case starts and completes in January 2026."""
    first = datetime(2026, 1, day, 1, 0, tzinfo=UTC)
    events = []
    for i in range(count):
        case, stage = divmod(i, 4)
        at = first + timedelta(seconds=case * 7, minutes=stage * 10)
        events.append(
            {
                "id": f"{prefix}:{i}",
                "case": f"{prefix}/{case}",
                "stage": STAGES[stage],
                "at": at.isoformat(),
                "unit": UNITS[case % len(UNITS)],
                "officer": NIP,
                "attributes": {"channel": "loket", "n": i},
            }
        )
    return events


def valid_event(name: str) -> dict:
    return {
        "id": name,
        "case": name,
        "stage": "diajukan",
        "at": "2026-01-05T08:15:00+07:00",
        "unit": UNITS[0],
    }


# --- Whole or nothing, even when the server is killed -------------------------------------------

BATCH = 5000
# When to kill, as a share of the time a whole request takes here: from reading the body to
# after the commit (the catch-up of the cases runs in the request, after the commit).
KILL_AFTER = (0.15, 0.35, 0.55, 0.75, 0.95, 1.15)


def _post_in_background(site: Site, stream: str, body: bytes) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def send():
        try:
            outcome["response"] = site.post(stream, body)
        except httpx.HTTPError as exc:  # the connection died with the worker
            outcome["error"] = exc

    thread = threading.Thread(target=send)
    thread.start()
    return thread, outcome


def test_a_batch_is_stored_whole_or_not_at_all_when_the_server_is_killed_mid_request(site):
    stream = "rel-kill"
    # How long a whole request of 5,000 events takes here (the mean of two).
    took = []
    for warm in ("warm1", "warm2"):
        started = time.perf_counter()
        response = site.send(stream, events_for(warm, BATCH))
        took.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
    whole = sum(took) / len(took)

    found = {}
    interrupted = 0
    for attempt, fraction in enumerate(KILL_AFTER):
        prefix = f"kill{attempt}"
        thread, outcome = _post_in_background(
            site, stream, orjson.dumps({"events": events_for(prefix, BATCH)})
        )
        time.sleep(whole * fraction)
        killed = site.server.kill_workers()
        thread.join(180)
        site.server.restarted(killed)
        interrupted += "error" in outcome
        found[prefix] = site.stored(stream, f"{prefix}:")

        assert found[prefix] in (0, BATCH), f"{found[prefix]} of {BATCH} stored after {fraction}"
    # At least one kill landed inside a request, or the test proved nothing.
    assert interrupted >= 1

    for prefix, before in found.items():
        response = site.send(stream, events_for(prefix, BATCH))

        assert response.status_code == 200, response.text
        assert response.json() == {"accepted": BATCH, "duplicates": before}
        assert site.stored(stream, f"{prefix}:") == BATCH
    # The cases caught up with every event, the killed catch-ups included.
    total = BATCH * (2 + len(KILL_AFTER))
    figures = site.metrics(stream)
    assert figures.status_code == 200, figures.text
    assert figures.json()["cases_started"] == total // 4
    assert figures.json()["cases_completed"] == total // 4
    assert site.stored(stream) == total
    assert site.case_events(stream) == total


# --- Resending ----------------------------------------------------------------------------------


def test_resending_the_same_batch_stores_nothing_twice(site):
    stream = "rel-resend"
    events = events_for("again", 1000)

    first = site.send(stream, events)
    second = site.send(stream, events)
    # Half known, half new: only the new half is stored.
    mixed = site.send(stream, events[500:] + events_for("more", 500))

    assert first.json() == {"accepted": 1000, "duplicates": 0}
    assert second.json() == {"accepted": 1000, "duplicates": 1000}
    assert mixed.json() == {"accepted": 1000, "duplicates": 500}
    assert site.stored(stream) == 1500
    assert sorted(site.event_ids(stream)) == sorted(
        e["id"] for e in events + events_for("more", 500)
    )
    assert site.metrics(stream).json()["cases_started"] == 1500 // 4
    assert site.case_events(stream) == 1500


def test_the_same_id_with_other_content_is_refused_and_stores_nothing(site):
    stream = "rel-resend"
    before = site.stored(stream)
    changed = events_for("again", 4)
    changed[2]["at"] = "2026-01-06T08:00:00+07:00"
    batch = changed + events_for("fresh", 4)

    response = site.send(stream, batch)

    assert response.status_code == 422
    assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [(2, "id")]
    assert site.stored(stream) == before
    assert site.stored(stream, "fresh:") == 0


# --- Many senders at once -----------------------------------------------------------------------

SENDERS = 16
BATCHES_PER_SENDER = 6
OWN_EVENTS = 200  # per batch, distinct
SHARED = events_for("shared", 200)  # the same events sent by many senders, same content
SHARED_PER_BATCH = 25


def test_sixteen_concurrent_senders_lose_nothing_and_duplicate_nothing(site):
    stream = "rel-many"
    sent: list[list[str]] = [[] for _ in range(SENDERS)]
    answers: list[list[dict]] = [[] for _ in range(SENDERS)]
    failures: list[BaseException] = []
    gate = threading.Barrier(SENDERS)

    def sender(number: int) -> None:
        try:
            with httpx.Client() as client:
                gate.wait()
                for b in range(BATCHES_PER_SENDER):
                    offset = (number * 37 + b * SHARED_PER_BATCH) % len(SHARED)
                    shared = (SHARED + SHARED)[offset : offset + SHARED_PER_BATCH]
                    own = events_for(f"s{number}b{b}", OWN_EVENTS, day=1 + number)
                    batch = own + shared
                    batch.reverse()  # the order of arrival must not matter
                    response = site.send(stream, batch, client=client)
                    assert response.status_code == 200, response.text
                    sent[number].extend(e["id"] for e in batch)
                    answers[number].append(response.json())
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)

    assert not failures, failures
    every = [event_id for ids in sent for event_id in ids]
    distinct = set(every)
    stored = site.event_ids(stream)
    assert len(stored) == len(distinct)
    assert set(stored) == distinct
    flat = [answer for per_sender in answers for answer in per_sender]
    assert sum(a["accepted"] for a in flat) == len(every)
    assert sum(a["accepted"] - a["duplicates"] for a in flat) == len(distinct)
    # The cases hold every event once, whichever sender's batch brought it.
    cases = SENDERS * BATCHES_PER_SENDER * OWN_EVENTS // 4 + len(SHARED) // 4
    figures = site.metrics(stream).json()
    assert figures["cases_started"] == cases
    assert figures["cases_completed"] == cases
    assert site.case_events(stream) == len(distinct)


# --- Malformed and hostile bodies ---------------------------------------------------------------


def _body(*events: dict) -> bytes:
    return orjson.dumps({"events": list(events)})


_bad = itertools.count()


def _with(**fields) -> bytes:
    """One event with ``fields`` changed, of an id no other row uses."""
    return _body({**valid_event(f"bad{next(_bad)}"), **fields})


def _padded(size: int) -> bytes:
    """A valid one-event batch padded with whitespace to exactly ``size`` bytes."""
    body = _body(valid_event("padded"))
    return body[:-1] + b" " * (size - len(body)) + body[-1:]


NESTED = 200_000
HOSTILE = [
    # (name, body, extra headers, expected status)
    ("a number as id", _with(id=12345), {}, 422),
    ("a float as id", _with(id=1e10), {}, 422),
    ("a list as case", _with(case=["a"]), {}, 422),
    ("an object as stage", _with(stage={"a": 1}), {}, 422),
    ("a number as time", _with(at=1767578100), {}, 422),
    ("a number as unit", _with(unit=7), {}, 422),
    ("a number as officer", _with(officer=198503122010011002), {}, 422),
    ("a list as attributes", _with(attributes=[1, 2]), {}, 422),
    ("true as the event", _body(True), {}, 422),  # type: ignore[arg-type]
    ("events as an object", b'{"events": {"id": "x"}}', {}, 422),
    ("a list as the body", b"[]", {}, 422),
    ("a string as the body", b'"events"', {}, 422),
    ("null as the body", b"null", {}, 422),
    ("a 5 MB id", _with(id="x" * 5_000_000), {}, 422),
    ("a 5 MB case", _with(case="x" * 5_000_000), {}, 422),
    ("a 5 MB time", _with(at="2" * 5_000_000), {}, 422),
    ("a 4 MB attribute", _with(attributes={"a": "x" * 4_000_000}), {}, 422),
    ("200,000 nested lists", b'{"events": [' + b"[" * NESTED + b"]" * NESTED + b"]}", {}, 422),
    (
        "200,000 nested objects in attributes",
        b'{"events": [{"id": "bad", "case": "bad", "stage": "diajukan", '
        b'"at": "2026-01-05T08:15:00Z", "attributes": '
        + b'{"a": ' * NESTED
        + b"1"
        + b"}" * NESTED
        + b"}]}",
        {},
        422,
    ),
    ("invalid UTF-8", _with(id="caf\u00e9").replace("é".encode(), b"\xe9"), {}, 422),
    ("a lone surrogate", _with(id="x").replace(b'"x"', b'"\\ud800"'), {}, 422),
    ("a naive time", _with(at="2026-01-05T08:15:00"), {}, 422),
    ("a naive time with a space", _with(at="2026-01-05 08:15:00"), {}, 422),
    ("a date without time", _with(at="2026-01-05"), {}, 422),
    ("an offset beyond a day", _with(at="2026-01-05T08:15:00+25:00"), {}, 422),
    ("a month 13", _with(at="2026-13-05T08:15:00Z"), {}, 422),
    ("digits of another script", _with(at="２０２６-01-05T08:15:00Z"), {}, 422),
    ("a form body", b"events=%5B%5D", {"Content-Type": "application/x-www-form-urlencoded"}, 422),
    (
        "a multipart body",
        b'--xx\r\nContent-Disposition: form-data; name="events"; filename="e.json"\r\n\r\n'
        + _body(valid_event("multi"))
        + b"\r\n--xx--\r\n",
        {"Content-Type": "multipart/form-data; boundary=xx"},
        422,
    ),
    ("an XML body", b"<events><event id='x'/></events>", {"Content-Type": "application/xml"}, 422),
    ("an empty body", b"", {}, 422),
    ("a body of 5 MiB + 1 byte", _padded(MAX_BYTES + 1), {}, 413),
    ("5,001 events", _body(*[valid_event(f"many{i}") for i in range(5001)]), {}, 413),
    ("a gzip body", gzip.compress(_body(valid_event("gz"))), {"Content-Encoding": "gzip"}, 422),
    ("a gzip body, no header", gzip.compress(_body(valid_event("gz"))), {}, 422),
    ("a key that is not a string", b'{"events": [{1: "x"}]}', {}, 422),
    ("a number beyond a double", _with(attributes={"a": 1}).replace(b"1}", b"1e400}"), {}, 422),
    ("NaN", _with(attributes={"a": 1}).replace(b"1}", b"NaN}"), {}, 422),
    ("trailing garbage", _body(valid_event("trail")) + b"}}", {}, 422),
    ("a BOM", b"\xef\xbb\xbf" + _body(valid_event("bom")), {}, 422),
]
NUL = [
    ("a NUL in the id", _with(id="a\u0000b")),
    ("a NUL in the case", _with(case="a\u0000b")),
    ("a NUL in an attribute", _with(attributes={"note": "a\u0000b"})),
    ("a NUL in an attribute's name", _with(attributes={"a\u0000b": 1})),
]
FAR_TIMES = [
    ("year 1 east of UTC", "0001-01-01T00:00:00+01:00"),  # before year 1 in UTC
    ("year 9999 west of UTC", "9999-12-31T23:59:59-01:00"),  # year 10000 in UTC
    ("the last second of 9999 in UTC", "9999-12-31T23:59:59Z"),  # year 10000 in Jakarta
]


def _assert_refused_and_still_serving(site: Site, name: str, before: int) -> None:
    """Nothing of the refused body was stored, and the server still serves."""
    stream = "rel-hostile"
    assert site.stored(stream) == before
    # The server stays up: a valid batch right after is stored, and so are the metrics read.
    check = f"ok-{abs(hash(name))}-{time.monotonic_ns()}"
    after = site.send(stream, [valid_event(check)])
    assert after.status_code == 200, after.text
    assert after.json() == {"accepted": 1, "duplicates": 0}
    assert site.metrics(stream).status_code == 200


@pytest.mark.parametrize(
    ("name", "body", "headers", "status"), HOSTILE, ids=[row[0] for row in HOSTILE]
)
def test_a_malformed_or_hostile_body_gets_a_4xx_and_the_server_stays_up(
    site, name, body, headers, status
):
    before = site.stored("rel-hostile")

    response = site.post("rel-hostile", body, headers=headers)

    assert response.status_code == status, f"{response.status_code}: {response.text[:300]}"
    if status == 422:
        assert response.json()["errors"]
    else:
        assert response.json()["error"]
    _assert_refused_and_still_serving(site, name, before)


@pytest.mark.parametrize(("name", "body"), NUL, ids=[row[0] for row in NUL])
def test_a_nul_character_in_a_string_gets_422(site, name, body):
    before = site.stored("rel-hostile")

    response = site.post("rel-hostile", body)

    assert response.status_code == 422, f"{response.status_code}: {response.text[:300]}"
    _assert_refused_and_still_serving(site, name, before)


@pytest.mark.parametrize(
    ("stream", "at"),
    [(f"rel-far-{n}", at) for n, (_name, at) in enumerate(FAR_TIMES)],
    ids=[row[0] for row in FAR_TIMES],
)
def test_a_time_at_the_edge_of_the_calendar_gets_a_4xx_and_breaks_no_reading(site, stream, at):
    response = site.post(stream, _with(at=at))

    assert 400 <= response.status_code < 500, f"{response.status_code}: {response.text[:300]}"
    assert site.stored(stream) == 0
    assert site.metrics(stream).status_code == 200


def test_a_body_of_exactly_5_mib_is_not_too_large(site):
    response = site.post("rel-hostile", _padded(MAX_BYTES))

    assert response.status_code == 200, response.text
    assert response.json() == {"accepted": 1, "duplicates": 0}


def test_a_chunked_body_without_a_length_gets_a_4xx(site):
    before = site.stored("rel-hostile")

    def chunks():
        yield b'{"events": ['
        for _ in range(700):  # beyond 5 MiB in all
            yield b" " * 8192

    response = httpx.post(
        f"{site.server.url}/api/v1/streams/rel-hostile/events",
        content=chunks(),
        headers={"Authorization": f"Bearer {site.tokens['rel-hostile']}"},
        timeout=120,
    )

    assert 400 <= response.status_code < 500, response.status_code
    _assert_refused_and_still_serving(site, "chunked", before)


def test_the_tests_ran_against_the_database_of_this_run(site):
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert site.database.vendor == expected
