"""Metrics of one unit and one month at 1 million events (10 million with ``BENCH_BIG=1``):
goal p95 ≤ 100 ms end to end through the API, and the database's share ≤ 2× the bare SQL.

PostgreSQL only (``DATABASE_URL`` when it names PostgreSQL, else
postgres://postgres@127.0.0.1:5432; skipped with a message when there is none). Steps:

1. A scratch database ``kinerja_bench_<random>``, migrated; a region, 25 units with four
   officers each, the stream ``ktp-el`` (SLA 8 working hours) and a service token.
2. A year (2025) of cases generated straight into the tables with ``COPY``, in the order
   they are filed: four events per case (three for the 4 % still open), 0.2 % inconsistent
   (completion before start), 0.1 % excluded (with their ``CaseExclusion``), 25 units. The
   ``Case`` rows are derived from their events by the product's own rule
   (``kinerja.streams.cases.fold`` and ``figures`` with the working calendar), exactly what
   ``catch_up`` would store; the stream's watermarks are set so that the API's catch-up finds
   nothing to do. Two worker processes generate while this one copies; the indexes are built
   after the load with their own definitions (see ``load``). Then ``VACUUM ANALYZE``.
3. ``REQUESTS`` (50) times, after 5 unmeasured warm-ups, for one unit and one month:
   * end to end: ``GET /api/v1/streams/ktp-el/metrics?start=…&end=…&unit=…`` through a real
     ``gunicorn kinerja.wsgi`` (1 worker, 4 threads) with ``httpx``;
   * the database's share of that path: ``catch_up`` + ``compute()`` in this process, every
     SQL statement timed with ``connection.execute_wrapper``;
   * the bare SQL: one statement computing the same figures straight from ``streams_case``
     (below, ``BARE_SQL``), timed with psycopg — and checked to give the same numbers. It is
     parsed and planned on every run, as each of the product's statements is (the ratio
     compares the work, not plan caching); the same as a prepared statement is shown too.
4. p50/p95 of each, the ratios, and ``EXPLAIN (ANALYZE, BUFFERS)`` of the slowest product
   query and of the bare SQL, so that a miss says why.

``BENCH_EVENTS`` sets the number of events directly; ``BENCH_KEEP=1`` keeps the database.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kinerja.testing.server import ScratchDatabase, is_postgres_url, running_server  # noqa: E402

BIG = os.environ.get("BENCH_BIG") == "1"
EVENTS = int(os.environ.get("BENCH_EVENTS", "10000000" if BIG else "1000000"))
KEEP = os.environ.get("BENCH_KEEP") == "1"
REQUESTS = 50
WARM_UP = 5
UNITS = 25
OFFICERS_PER_UNIT = 4
CHUNK = 20_000  # cases generated and copied at a time
GOAL_P95_MS = 100.0
GOAL_DB_SHARE = 2.0
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
STAGES = ["diajukan", "diverifikasi", "dicetak", "diserahkan"]
UNIT_MEASURED = 7  # DUKCAPIL-U07
MONTH = (date(2025, 6, 1), date(2025, 6, 30))
ZONE = ZoneInfo("Asia/Jakarta")

EVENT_COLUMNS = (
    "stream_id, event_id, case_key, stage, at, unit_id, officer, attributes, digest, received_at"
)
CASE_COLUMNS = (
    "stream_id, case_key, unit_id, officer, unit_event_at, unit_event_id, officer_event_at, "
    "officer_event_id, started_at, started_on, completed_at, completed_on, duration_ms, sla_ms, "
    "within_sla, inconsistent, excluded, events"
)

# The same figures as the API, for one unit and a range of days, straight from the cases.
BARE_SQL = """
SELECT s.started, s.excluded, s.inconsistent, d.completed, d.within, d.median, d.p90,
       d.total_ms, o.open_at_end
FROM (
    SELECT count(*) FILTER (WHERE NOT excluded) AS started,
           count(*) FILTER (WHERE excluded) AS excluded,
           count(*) FILTER (WHERE NOT excluded AND inconsistent) AS inconsistent
    FROM streams_case
    WHERE stream_id = %(stream)s AND unit_id = %(unit)s AND started_at IS NOT NULL
      AND started_on BETWEEN %(start)s AND %(end)s
) s, (
    SELECT count(*) AS completed,
           count(*) FILTER (WHERE within_sla) AS within,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_ms) AS p90,
           sum(duration_ms) AS total_ms
    FROM streams_case
    WHERE stream_id = %(stream)s AND unit_id = %(unit)s AND started_at IS NOT NULL
      AND NOT excluded AND NOT inconsistent
      AND completed_on BETWEEN %(start)s AND %(end)s
) d, (
    SELECT count(*) AS open_at_end
    FROM streams_case
    WHERE stream_id = %(stream)s AND unit_id = %(unit)s AND started_at IS NOT NULL
      AND NOT excluded AND NOT inconsistent
      AND started_on <= %(end)s AND (completed_on IS NULL OR completed_on > %(end)s)
) o
"""


# --- Set-up -----------------------------------------------------------------------------------


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    url = url if is_postgres_url(url) else DEFAULT_POSTGRES
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=3).close()
    except Exception as exc:  # any reason means: no PostgreSQL here
        print(f"PostgreSQL is not available at {url} ({exc.__class__.__name__}): skipped.")
        return None
    return url


def setup_django(database: ScratchDatabase) -> None:
    os.environ.update(
        {
            k: v
            for k, v in database.env().items()
            if k.startswith(("DJANGO", "DATABASE", "KINERJA", "LOG_LEVEL"))
        }
    )
    import django

    django.setup()


def seed():
    from kinerja.accounts.services import token_create
    from kinerja.core.actors import SYSTEM
    from kinerja.organizations.models import Agency, Region, Unit
    from kinerja.streams.models import Stream

    region = Region.objects.create(code="BENCH", name="Kota Bench", head_title="Wali Kota")
    agency = Agency.objects.create(region=region, code="DUKCAPIL", name="Disdukcapil", kind="dinas")
    units = Unit.objects.bulk_create(
        Unit(agency=agency, code=f"DUKCAPIL-U{n:02d}", name=f"Loket {n}") for n in range(UNITS)
    )
    stream = Stream.objects.create(
        code="ktp-el",
        name="Penerbitan KTP-el",
        agency=agency,
        stages=STAGES,
        start_stage="diajukan",
        end_stage="diserahkan",
        sla_limit=8,
        sla_unit="working_hours",
    )
    token = token_create(name="bench", user=None, streams=[stream], by=SYSTEM)[1]
    return stream, [u.pk for u in units], token


# Which cases are special is fixed by their number, so that the number of events of the
# first n cases is known in advance (and every chunk can be generated on its own).
OPEN_EVERY, OPEN_AT = 25, 24  # 4 % still open: three events, not handed over yet
INCONSISTENT_EVERY, INCONSISTENT_AT = 500, 250  # 0.2 %: handed over before it was filed
EXCLUDED_EVERY, EXCLUDED_AT = 1000, 123  # 0.1 %: excluded by an administrator
SEED = 20250601


def events_before(cases: int) -> int:
    """Events of the cases numbered 0 … cases − 1 (four each, three for the open ones)."""
    return 4 * cases - (cases + OPEN_EVERY - 1 - OPEN_AT) // OPEN_EVERY


def case_count(events: int) -> int:
    """How many cases make ``events`` events (the last one possibly cut short)."""
    cases = events // 4
    while events_before(cases) < events:
        cases += 1
    return cases


def _case_plan(rng: random.Random, number: int, total: int, units: list[int]):
    """One case: its events as (event id, stage, at, unit id, officer), excluded or not.

    Cases are numbered in the order they are filed: case ``number`` of ``total`` is filed on
    day ``number × 365 / total`` of 2025 (at weekends little happens: most of those move to
    the Friday before), at a random time of the working day, so that the tables are in
    roughly the order a year of real traffic would leave them."""
    day = date(2025, 1, 1) + timedelta(days=number * 365 // total)
    if day.weekday() >= 5 and rng.random() < 0.9:
        day -= timedelta(days=day.weekday() - 4)
    opened = datetime.combine(day, datetime.min.time(), ZONE) + timedelta(
        minutes=rng.randrange(8 * 60, 15 * 60 + 30)
    )
    total_time = timedelta(minutes=max(5.0, rng.lognormvariate(math.log(240), 0.9)))
    unit_index = rng.randrange(len(units))
    officer = f"19850312201001{unit_index * OFFICERS_PER_UNIT + rng.randrange(4) + 1000:04d}"
    times = [opened, opened + total_time * 0.2, opened + total_time * 0.6, opened + total_time]
    if number % INCONSISTENT_EVERY == INCONSISTENT_AT:
        times[3] = opened - timedelta(hours=1)
    stages = STAGES[:3] if number % OPEN_EVERY == OPEN_AT else STAGES
    key = f"KTP-{number:09d}"
    events = [
        (f"{key}-{stage}", stage, at.astimezone(UTC), units[unit_index], officer)
        for stage, at in zip(stages, times, strict=False)
    ]
    return key, events, number % EXCLUDED_EVERY == EXCLUDED_AT


def _text(value) -> str:
    """A value in COPY's text format (none of the generated texts needs escaping)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


# What the workers that generate the data need; set before they are forked.
_PLAN: dict = {}


def _generate(chunk: tuple[int, int, int]) -> tuple[bytes, bytes, bytes, int]:
    """COPY text of the events, cases and exclusions of cases ``first`` … ``last`` − 1 (the
    last one cut to ``last_events`` events); and how many events. Runs in a worker process."""
    from kinerja.streams.cases import EventFacts, figures, fold

    first, last, last_events = chunk
    plan = _PLAN
    stream_id, units, total = plan["stream_id"], plan["units"], plan["total"]
    rule, calendar, zone, now = plan["rule"], plan["calendar"], plan["zone"], plan["now"]
    rng = random.Random(SEED * 1_000_003 + first)
    attributes = '{"channel": "loket"}'
    events, cases, exclusions = [], [], []
    count = 0
    for number in range(first, last):
        key, planned, excluded = _case_plan(rng, number, total, units)
        if number == last - 1:
            planned = planned[:last_events]
        state = fold([EventFacts(*e) for e in planned], rule)
        derived = figures(state, rule, calendar, zone)
        for event_id, stage, at, unit_id, officer in planned:
            digest = hashlib.md5(event_id.encode(), usedforsecurity=False).hexdigest()
            events.append(
                f"{stream_id}\t{event_id}\t{key}\t{stage}\t{at.isoformat()}\t{unit_id}"
                f"\t{officer}\t{attributes}\t{digest}\t{now}\n"
            )
        count += len(planned)
        row = (
            stream_id,
            key,
            state.unit_id,
            state.officer,
            *(state.unit_event or (None, "")),
            *(state.officer_event or (None, "")),
            state.started_at,
            derived.started_on,
            state.completed_at,
            derived.completed_on,
            derived.duration_ms,
            derived.sla_ms,
            derived.within_sla,
            derived.inconsistent,
            excluded,
            state.events,
        )
        cases.append("\t".join(_text(v) for v in row) + "\n")
        if excluded:
            exclusions.append(f"{stream_id}\t{key}\tbench: printer out of order\t{now}\n")
    return (
        "".join(events).encode(),
        "".join(cases).encode(),
        "".join(exclusions).encode(),
        count,
    )


def _secondary_indexes(conn, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes of ``tables`` that back no constraint."""
    return conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.schemaname = 'public' AND i.tablename = ANY(%s) AND NOT EXISTS ("
        "  SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [list(tables)],
    ).fetchall()


def load(stream, units: list[int], url: str, count: int) -> tuple[int, int]:
    """Generate and COPY ``count`` events and their cases; (events, cases).

    The data are generated by two worker processes while this one copies them in. As a bulk
    load does (pg_restore), the indexes that back no constraint are dropped first and built
    again at the end with the very same definitions, and the foreign keys are not checked
    row by row (``session_replication_role = replica``; the generated rows are valid)."""
    import multiprocessing

    import psycopg
    from django.conf import settings

    from kinerja.core.work_calendar import load_calendar
    from kinerja.streams.ingest import stream_rule

    total = case_count(count)
    _PLAN.update(
        stream_id=stream.pk,
        units=units,
        total=total,
        rule=stream_rule(stream),
        calendar=load_calendar(),
        zone=ZoneInfo(settings.TIME_ZONE),
        now=datetime.now(UTC).isoformat(),
    )
    chunks = []
    for first in range(0, total, CHUNK):
        last = min(first + CHUNK, total)
        last_events = count - events_before(last - 1) if last == total else 4
        chunks.append((first, last, last_events))
    tables = ("streams_event", "streams_case")
    events = 0
    with psycopg.connect(url, autocommit=True) as conn:
        indexes = _secondary_indexes(conn, tables)
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        # A superuser's setting; without it the foreign keys are checked, more slowly.
        with contextlib.suppress(psycopg.errors.InsufficientPrivilege):
            conn.execute("SET session_replication_role = replica")
        context = multiprocessing.get_context("fork")
        with context.Pool(2) as pool:
            pending = []
            for chunk in chunks:  # at most four chunks generated ahead of the copying
                pending.append(pool.apply_async(_generate, (chunk,)))
                if len(pending) < 4:
                    continue
                events += _copy(conn, pending.pop(0).get())
                _progress(events)
            for result in pending:
                events += _copy(conn, result.get())
                _progress(events)
        conn.execute("SET session_replication_role = DEFAULT")
        print(f"  {events:,} events, {total:,} cases copied; building the indexes", flush=True)
        conn.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            conn.execute(definition)
        # Every event is in its case: the API's catch-up has nothing to do.
        conn.execute(
            "UPDATE streams_stream SET last_event_pk = m, cases_through_pk = m "
            "FROM (SELECT max(id) AS m FROM streams_event) e WHERE id = %s",
            [stream.pk],
        )
        conn.execute("VACUUM ANALYZE streams_event")
        conn.execute("VACUUM ANALYZE streams_case")
        conn.execute("VACUUM ANALYZE streams_caseexclusion")
    return events, total


def _progress(events: int) -> None:
    if sys.stdout.isatty():
        print(f"  {events:>12,} events", end="\r", flush=True)


def _copy(conn, generated: tuple[bytes, bytes, bytes, int]) -> int:
    event_rows, case_rows, exclusions, count = generated
    with conn.transaction(), conn.cursor() as cursor:
        with cursor.copy(f"COPY streams_event ({EVENT_COLUMNS}) FROM STDIN") as copy:
            copy.write(event_rows)
        with cursor.copy(f"COPY streams_case ({CASE_COLUMNS}) FROM STDIN") as copy:
            copy.write(case_rows)
        with cursor.copy(
            "COPY streams_caseexclusion (stream_id, case_key, reason, created_at) FROM STDIN"
        ) as copy:
            copy.write(exclusions)
    return count


# --- Measurements -------------------------------------------------------------------------------


def ms(seconds: float) -> float:
    return seconds * 1000.0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def end_to_end(url: str, token: str, params: dict) -> tuple[list[float], dict]:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as client:
        timings = []
        answer = {}
        for n in range(WARM_UP + REQUESTS):
            started = time.perf_counter()
            response = client.get("/api/v1/streams/ktp-el/metrics", params=params, timeout=120)
            took = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"metrics answered {response.status_code}: {response.text}")
            answer = response.json()
            if n >= WARM_UP:
                timings.append(ms(took))
    return timings, answer


class SqlTimer:
    """``connection.execute_wrapper``: the time of every statement, with its text."""

    def __init__(self):
        self.statements: list[tuple[float, str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((ms(time.perf_counter() - started), sql, params))

    @property
    def total(self) -> float:
        return sum(s[0] for s in self.statements)


def in_process(stream, unit_id: int, unit_code: str) -> tuple[list[float], list[float], list]:
    """(database ms per request, whole ms per request, each statement's median ms with its
    SQL and parameters)."""
    from django.db import connection

    from kinerja.streams.ingest import catch_up
    from kinerja.streams.metrics import MetricsQuery, compute

    database, whole, timers = [], [], []
    query = MetricsQuery(
        stream=stream, start=MONTH[0], end=MONTH[1], unit_id=unit_id, unit_code=unit_code
    )
    for n in range(WARM_UP + REQUESTS):
        timer = SqlTimer()
        started = time.perf_counter()
        with connection.execute_wrapper(timer):
            catch_up(stream)  # as the API does first
            compute(query)
        took = time.perf_counter() - started
        if n >= WARM_UP:
            database.append(timer.total)
            whole.append(ms(took))
            timers.append(timer)
    # Every request runs the same statements in the same order.
    statements = [
        (statistics.median(t.statements[i][0] for t in timers), sql, params)
        for i, (_took, sql, params) in enumerate(timers[-1].statements)
    ]
    return database, whole, statements


def bare(url: str, params: dict, *, prepared: bool = False) -> tuple[list[float], tuple]:
    """Milliseconds of each run of ``BARE_SQL`` and its row. Not ``prepared``: parsed and
    planned every time, as the product's statements are (Django sends each one afresh);
    ``prepared``: a prepared statement, planned once (for information)."""
    import psycopg

    timings = []
    row = ()
    threshold = 0 if prepared else None
    with psycopg.connect(url, autocommit=True, prepare_threshold=threshold) as conn:
        for n in range(WARM_UP + REQUESTS):
            started = time.perf_counter()
            row = conn.execute(BARE_SQL, params).fetchone()
            if n >= WARM_UP:
                timings.append(ms(time.perf_counter() - started))
    return timings, row


def same_figures(api: dict, row: tuple) -> list[str]:
    """What differs between the API's answer and the bare SQL's row (nothing, one hopes)."""
    started, excluded, inconsistent, completed, within, median, p90, total_ms, open_ = row
    expected = {
        "cases_started": started,
        "excluded_cases": excluded,
        "inconsistent_cases": inconsistent,
        "cases_completed": completed,
        "open_cases_at_end": open_,
        "within_sla_pct": round(within * 100 / completed, 2) if completed else None,
    }
    differences = [f"{k}: API {api[k]} ≠ SQL {v}" for k, v in expected.items() if api[k] != v]
    if completed:
        durations = api["duration_seconds"]
        for name, value in (("median", median), ("p90", p90), ("mean", total_ms / completed)):
            seconds = float(value) / 1000
            if abs(durations[name] - seconds) > 0.001:
                differences.append(f"{name}: API {durations[name]} ≠ SQL {seconds:.3f}")
    return differences


def explain(url: str, sql: str, params) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params).fetchall()
    return "\n".join(f"      {r[0]}" for r in rows)


def summary(name: str, values: list[float]) -> str:
    return f"  {name:<48} p50 {statistics.median(values):7.1f} ms   p95 {p95(values):7.1f} ms"


def main() -> int:
    url = postgres_url()
    if url is None:
        return 0
    if not BIG:
        print("(10 million events: BENCH_BIG=1 .venv/bin/python bench/bench_metrics.py)")
    folder = Path(tempfile.mkdtemp(prefix="kinerja-bench-metrics-"))
    database = ScratchDatabase(folder, like=url, prefix="kinerja_bench")
    database.create()
    try:
        database.migrate()
        setup_django(database)
        stream, units, token = seed()
        print(f"PostgreSQL ({database.name}), {os.cpu_count()} CPUs")
        started = time.perf_counter()
        events, cases = load(stream, units, database.url, EVENTS)
        print(
            f"loaded {events:,} events, {cases:,} cases, {UNITS} units, 2025, in "
            f"{time.perf_counter() - started:.0f} s"
        )
        unit_id, unit_code = units[UNIT_MEASURED], f"DUKCAPIL-U{UNIT_MEASURED:02d}"
        params = {"start": MONTH[0].isoformat(), "end": MONTH[1].isoformat(), "unit": unit_code}
        with running_server(database, workers=1, threads=4) as server:
            api, answer = end_to_end(server.url, token, params)
        print(
            f"one unit ({unit_code}), one month ({MONTH[0]:%B %Y}): "
            f"{answer['cases_started']:,} cases started, {answer['cases_completed']:,} completed, "
            f"{answer['open_cases_at_end']:,} open at the end; {REQUESTS} requests each"
        )
        database_ms, compute_ms, statements = in_process(stream, unit_id, unit_code)
        bare_params = {"stream": stream.pk, "unit": unit_id, "start": MONTH[0], "end": MONTH[1]}
        bare_ms, row = bare(database.url, bare_params)
        prepared_ms, _row = bare(database.url, bare_params, prepared=True)
        differences = same_figures(answer, row)
        print(summary("end to end through the API (httpx → gunicorn)", api))
        print(summary("catch_up + compute() in process", compute_ms))
        print(summary(f"  of which SQL ({len(statements)} statements)", database_ms))
        print(summary("bare SQL (one statement, planned each time)", bare_ms))
        print(summary("  the same as a prepared statement", prepared_ms))
        share = p95(database_ms) / p95(bare_ms)
        e2e_ok = p95(api) <= GOAL_P95_MS
        share_ok = share <= GOAL_DB_SHARE
        print(
            f"  goal p95 end to end ≤ {GOAL_P95_MS:.0f} ms: "
            + ("met" if e2e_ok else f"MISSED by {p95(api) - GOAL_P95_MS:.1f} ms")
        )
        print(
            f"  database share / bare SQL (p95): {share:.2f}× — goal ≤ {GOAL_DB_SHARE:.0f}×: "
            + ("met" if share_ok else f"MISSED by {share - GOAL_DB_SHARE:.2f}×")
        )
        print(
            "  (against the prepared statement: "
            f"{p95(database_ms) / p95(prepared_ms):.2f}×, for information)"
        )
        print("  the product's statements of one request (median ms):")
        for took, sql, _params in sorted(statements, key=lambda s: -s[0]):
            print(f"    {took:7.2f}  {' '.join(sql.split())[:150]}")
        slowest = max(statements, key=lambda s: s[0])
        print("  EXPLAIN ANALYZE of the slowest product statement:")
        print(explain(database.url, slowest[1], slowest[2]))
        print("  EXPLAIN ANALYZE of the bare SQL:")
        print(explain(database.url, BARE_SQL, bare_params))
        if differences:
            print("  the API and the bare SQL disagree: " + "; ".join(differences))
            return 1
        print("  the API's figures equal the bare SQL's")
        return 0 if e2e_ok and share_ok else 1
    finally:
        from django.db import connections

        connections.close_all()
        if KEEP:
            print(f"kept database {database.name} and {folder}")
        else:
            database.drop()
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
