"""Events through the HTTP API against the database's own bulk load (goal: ratio ≥ 0.3 on
PostgreSQL).

Builds a scratch database (PostgreSQL ``kinerja_bench_<random>`` on the server of
``DATABASE_URL`` when that names PostgreSQL, else on postgres://postgres@127.0.0.1:5432;
skipped with a message when there is none), a region with 25 units and three identical
streams, and generates ``BENCH_EVENTS`` events (default 200,000; four stages per case, a year
of times, units, officers and a small ``attributes`` object). Then, in the same run, on the
same database and the same table:

1. the baseline: the database's own bulk load of the same events into ``streams_event`` of
   another stream — PostgreSQL ``COPY … FROM STDIN`` of a prepared text buffer (the rows
   built before the clock starts), one transaction, its commit included (PostgreSQL checks
   the table's foreign keys at the commit). It runs before the API and again after it (a
   third stream), and the ratio uses the mean of the two;
2. the API: ``POST /api/v1/streams/{code}/events`` in batches of 1,000 by one client
   (``httpx``, keep-alive, bodies serialised before the clock starts) to a real
   ``gunicorn kinerja.wsgi`` (1 worker, 4 threads): authentication, validation, duplicate
   detection, the per-stream lock, the insert and the commit, every batch answered;
3. catching up: the cases follow the events asynchronously (a task after each commit). For
   the ingest measurement the server runs with django-tasks' ``DummyBackend`` (tasks are
   recorded, not run), so that the figure is the rate at which events are *taken in*; the
   merge into cases is then timed on its own (``catch_up`` in a separate process) and printed
   as events per second of catching up.

The same is done on a SQLite file for information (baseline: ``sqlite3`` ``executemany`` in
one transaction; no goal). ``BENCH_SQLITE=0`` skips it; ``BENCH_KEEP=1`` keeps the temporary
folder and the PostgreSQL database.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kinerja.testing.server import ScratchDatabase, is_postgres_url, running_server  # noqa: E402

EVENTS = int(os.environ.get("BENCH_EVENTS", "200000"))
BATCH = 1000
UNITS = 25
GOAL = 0.3
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
KEEP = os.environ.get("BENCH_KEEP") == "1"
STAGES = ["diajukan", "diverifikasi", "dicetak", "diserahkan"]
COLUMNS = (
    "stream_id, event_id, case_key, stage, at, unit_id, officer, attributes, digest, received_at"
)
DUMMY_TASKS = "django_tasks.backends.dummy.DummyBackend"

SEED = f"""
import json
from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM
from kinerja.organizations.models import Agency, Region, Unit
from kinerja.streams.models import Stream

region = Region.objects.create(code="BENCH", name="Kota Bench", head_title="Wali Kota")
agency = Agency.objects.create(region=region, code="DUKCAPIL", name="Disdukcapil", kind="dinas")
units = {{
    u.code: u.pk
    for u in Unit.objects.bulk_create(
        Unit(agency=agency, code=f"DUKCAPIL-U{{n:02d}}", name=f"Loket {{n}}")
        for n in range({UNITS})
    )
}}
streams = {{}}
for code in ("bench-api", "bench-copy", "bench-copy-2"):
    streams[code] = Stream.objects.create(
        code=code, name=code, agency=agency, stages={STAGES!r}, start_stage="diajukan",
        end_stage="diserahkan", sla_limit=8, sla_unit="working_hours",
    ).pk
stream = Stream.objects.get(code="bench-api")
token = token_create(name="bench", user=None, streams=[stream], by=SYSTEM)[1]
print(json.dumps({{"token": token, "units": units, "streams": streams}}))
"""

CATCH_UP = """
import json, time
from kinerja.streams.ingest import catch_up
from kinerja.streams.models import Case, Stream

stream = Stream.objects.get(code="bench-api")
started = time.perf_counter()
merged = catch_up(stream)
seconds = time.perf_counter() - started
cases = Case.objects.filter(stream=stream).count()
print(json.dumps({"events": merged, "seconds": seconds, "cases": cases}))
"""


# --- Data ------------------------------------------------------------------------------------


def generate(count: int) -> list[dict]:
    """``count`` events of cases with four stages each, spread over 2025."""
    first = datetime(2025, 1, 2, 1, 0, tzinfo=UTC)
    events = []
    cases = (count + 3) // 4
    for case in range(cases):
        opened = first + timedelta(seconds=case * (365 * 86400 // cases))
        unit = f"DUKCAPIL-U{case % UNITS:02d}"
        officer = f"19850312201001{1000 + case % 400:04d}"
        for stage, name in enumerate(STAGES):
            if len(events) == count:
                break
            events.append(
                {
                    "id": f"KTP-{case:08d}-{name}",
                    "case": f"KTP-{case:08d}",
                    "stage": name,
                    "at": (opened + timedelta(minutes=37 * stage)).isoformat(),
                    "unit": unit,
                    "officer": officer,
                    "attributes": {"channel": "loket" if case % 3 else "online"},
                }
            )
    return events


def rows_for(events: list[dict], stream_id: int, units: dict[str, int]) -> list[tuple]:
    """The same events as rows of ``streams_event`` (what the API would store)."""
    now = datetime.now(UTC)
    rows = []
    for e in events:
        attributes = orjson.dumps(e["attributes"], option=orjson.OPT_SORT_KEYS).decode()
        digest = hashlib.md5(e["id"].encode(), usedforsecurity=False).hexdigest()
        at = datetime.fromisoformat(e["at"])
        row = (stream_id, e["id"], e["case"], e["stage"], at, units[e["unit"]])
        rows.append((*row, e["officer"], attributes, digest, now))
    return rows


def copy_buffer(rows: list[tuple]) -> bytes:
    """The rows in COPY's text format (tab-separated; none of the values needs escaping)."""
    out = io.StringIO()
    for r in rows:
        out.write(
            f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4].isoformat()}\t{r[5]}\t{r[6]}\t{r[7]}"
            f"\t{r[8]}\t{r[9].isoformat()}\n"
        )
    return out.getvalue().encode()


# --- Measurements ----------------------------------------------------------------------------


def through_api(url: str, token: str, bodies: list[bytes]) -> tuple[float, int]:
    """Seconds to send every body, one after the other; and how many times asked to retry."""
    retries = 0
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with httpx.Client(base_url=url, headers=headers, timeout=300) as client:
        started = time.perf_counter()
        for body in bodies:
            while True:
                response = client.post("/api/v1/streams/bench-api/events", content=body)
                if response.status_code in (429, 503):
                    retries += 1
                    time.sleep(float(response.headers.get("Retry-After", "1")))
                    continue
                if response.status_code != 200 or response.json()["duplicates"]:
                    raise SystemExit(f"unexpected answer {response.status_code}: {response.text}")
                break
        return time.perf_counter() - started, retries


def postgres_copy(url: str, buffer: bytes) -> float:
    import psycopg

    # Autocommit, so that ``transaction()`` below is the real transaction and its commit — with
    # the foreign-key checks that PostgreSQL defers to it — is inside the measured time (in a
    # transaction already open, ``transaction()`` would only be a savepoint).
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")
        started = time.perf_counter()
        with (
            conn.transaction(),
            conn.cursor() as cursor,
            cursor.copy(f"COPY streams_event ({COLUMNS}) FROM STDIN") as copy,
        ):
            copy.write(buffer)
        return time.perf_counter() - started


def sqlite_executemany(path: str, rows: list[tuple]) -> float:
    # As Django stores them on SQLite: UTC text without offset.
    def text(moment: datetime) -> str:
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ")

    prepared = [(*r[:4], text(r[4]), *r[5:9], text(r[9])) for r in rows]
    conn = sqlite3.connect(path, timeout=60, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    try:
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(
            f"INSERT INTO streams_event ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
            prepared,
        )
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>10,.0f} events/s  ({seconds:7.2f} s)"


def measure(database: ScratchDatabase, events: list[dict], bodies: list[bytes]) -> dict:
    """Baseline, API, baseline again, and catch-up on one scratch database; prints and
    returns the figures. The baseline runs before and after the API (into two more streams of
    the same table) and the ratio uses their mean, so that a burst of other work on the
    machine during one of them weighs less."""
    database.migrate()
    seed = json.loads(database.django(SEED).strip().splitlines()[-1])

    def baseline(code: str) -> float:
        rows = rows_for(events, seed["streams"][code], seed["units"])
        if database.vendor == "postgresql":
            return postgres_copy(database.url, copy_buffer(rows))
        return sqlite_executemany(database.name, rows)

    if database.vendor == "postgresql":
        baseline_name = "COPY FROM STDIN (one transaction)"
    else:
        baseline_name = "sqlite3 executemany (one transaction)"
    before = baseline("bench-copy")
    options = {"KINERJA_TASKS_BACKEND": DUMMY_TASKS, "KINERJA_INGEST_REQUESTS_PER_SECOND": "100000"}
    with running_server(database, workers=1, threads=4, env=options) as server:
        api, retries = through_api(server.url, seed["token"], bodies)
    after = baseline("bench-copy-2")
    stored = {
        code: database.scalar("SELECT count(*) FROM streams_event WHERE stream_id = %s", [pk])
        for code, pk in seed["streams"].items()
    }
    if set(stored.values()) != {len(events)}:
        raise SystemExit(f"wrong number of events stored: {stored}")
    caught = json.loads(database.django(CATCH_UP).strip().splitlines()[-1])
    if caught["events"] != len(events):
        raise SystemExit(f"catch-up merged {caught['events']} events of {len(events)}")
    baseline_seconds = (before + after) / 2
    ratio = baseline_seconds / api
    print(f"  baseline: {baseline_name}")
    print(f"    {'before the API':<44} {rate(len(events), before)}")
    print(f"    {'after the API':<44} {rate(len(events), after)}")
    print(f"  {f'API, batches of {BATCH:,}, one client':<46} {rate(len(events), api)}")
    print(f"  ratio API / baseline (mean of both): {ratio:.2f}   (429/503 retries: {retries})")
    catching_up = rate(caught["events"], caught["seconds"])
    print(
        f"  {'catching up (cases from events, separately)':<46} {catching_up} → "
        f"{caught['cases']:,} cases"
    )
    return {"ratio": ratio}


def postgres_url() -> str | None:
    """The PostgreSQL server to use, or None (with the reason printed) when there is none."""
    url = os.environ.get("DATABASE_URL", "")
    url = url if is_postgres_url(url) else DEFAULT_POSTGRES
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=3).close()
    except Exception as exc:  # any reason means: no PostgreSQL here
        print(f"PostgreSQL is not available at {url} ({exc.__class__.__name__}): skipped.")
        return None
    return url


def main() -> int:
    version = subprocess.run(
        [sys.executable, "-c", "import sqlite3; print(sqlite3.sqlite_version)"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    print(f"{EVENTS:,} events, batches of {BATCH:,}; {os.cpu_count()} CPUs, SQLite {version}")
    started = time.perf_counter()
    events = generate(EVENTS)
    bodies = [orjson.dumps({"events": events[i : i + BATCH]}) for i in range(0, len(events), BATCH)]
    print(f"generated in {time.perf_counter() - started:.1f} s")
    folder = Path(tempfile.mkdtemp(prefix="kinerja-bench-ingest-"))
    failed = False
    try:
        url = postgres_url()
        if url:
            database = ScratchDatabase(folder / "postgres", like=url, prefix="kinerja_bench")
            database.create()
            try:
                print(f"PostgreSQL ({database.name}):")
                figures = measure(database, events, bodies)
                failed = figures["ratio"] < GOAL
                verdict = "met" if not failed else f"MISSED by {GOAL - figures['ratio']:.2f}"
                print(f"  goal ≥ {GOAL}: {verdict}")
            finally:
                if KEEP:
                    print(f"  kept database {database.name}")
                else:
                    database.drop()
        if os.environ.get("BENCH_SQLITE", "1") != "0":
            database = ScratchDatabase(folder / "sqlite", like="")
            database.create()
            print(f"SQLite ({database.name}), for information:")
            measure(database, events, bodies)
    finally:
        if KEEP:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
