"""Peak memory of ``kinerja events import`` on a 1-million-event CSV (goal: ≤ 300 MB).

Writes a CSV of ``BENCH_EVENTS`` events (default 1,000,000; columns ``id, case, stage, at,
unit, officer, attributes``; four stages per case over 2025, 25 units) and runs
``kinerja events import --stream ktp-el FILE`` in a subprocess on a scratch PostgreSQL
database (``DATABASE_URL`` when it names PostgreSQL, else postgres://postgres@127.0.0.1:5432)
and, with ``BENCH_SQLITE=1`` or when there is no PostgreSQL, on a fresh SQLite file database
(the SQLite import of a million events takes about six minutes here). The command streams the
file in batches of 5,000, stores each whole or not at all, then brings the cases up to date
(``catch_up``) — all of it counts.

Peak memory is the child's maximum resident set size as the kernel reports it when the child
is reaped (``os.wait4``: the same figure as ``resource.getrusage(RUSAGE_CHILDREN)`` with one
child). In the same run, for the ratio: the same import of a 10,000-event file (memory that
grows with the file would show here) and an idle ``kinerja check`` (what Django and the
product take before reading a row).

``BENCH_KEEP=1`` keeps the temporary folder and the PostgreSQL database.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kinerja.testing.server import BIN, ScratchDatabase, is_postgres_url  # noqa: E402

EVENTS = int(os.environ.get("BENCH_EVENTS", "1000000"))
SMALL = 10_000
UNITS = 25
GOAL_MB = 300.0
KEEP = os.environ.get("BENCH_KEEP") == "1"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
STAGES = ["diajukan", "diverifikasi", "dicetak", "diserahkan"]

SEED = f"""
from kinerja.organizations.models import Agency, Region, Unit
from kinerja.streams.models import Stream

region = Region.objects.create(code="BENCH", name="Kota Bench", head_title="Wali Kota")
agency = Agency.objects.create(region=region, code="DUKCAPIL", name="Disdukcapil", kind="dinas")
Unit.objects.bulk_create(
    Unit(agency=agency, code=f"DUKCAPIL-U{{n:02d}}", name=f"Loket {{n}}") for n in range({UNITS})
)
for code in ("ktp-el", "ktp-el-small"):
    Stream.objects.create(
        code=code, name=code, agency=agency, stages={STAGES!r}, start_stage="diajukan",
        end_stage="diserahkan", sla_limit=8, sla_unit="working_hours",
    )
"""

COUNTS = """
from kinerja.streams.models import Case, Event, Stream

stream = Stream.objects.get(code="ktp-el")
print(Event.objects.filter(stream=stream).count(), Case.objects.filter(stream=stream).count())
"""


def write_csv(path: Path, count: int) -> None:
    """``count`` events, written a row at a time."""
    first = datetime(2025, 1, 2, 1, 0, tzinfo=UTC)
    cases = (count + 3) // 4
    step = 365 * 86400 // cases
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "case", "stage", "at", "unit", "officer", "attributes"])
        written = 0
        for case in range(cases):
            opened = first + timedelta(seconds=case * step)
            unit = f"DUKCAPIL-U{case % UNITS:02d}"
            officer = f"19850312201001{1000 + case % 400:04d}"
            channel = '{"channel": "loket"}' if case % 3 else '{"channel": "online"}'
            for n, stage in enumerate(STAGES):
                if written == count:
                    return
                at = (opened + timedelta(minutes=37 * n)).isoformat()
                key = f"KTP-{case:08d}"
                writer.writerow([f"{key}-{stage}", key, stage, at, unit, officer, channel])
                written += 1


def peak_rss(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(peak resident memory in MB, seconds, output) of a command run to its end."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        output = out.read().decode(errors="replace")
    if process.returncode:
        raise SystemExit(f"{' '.join(command[:3])} failed:\n{output[-3000:]}")
    return usage.ru_maxrss / 1024, seconds, output  # ru_maxrss is in KiB on Linux


def measure(database: ScratchDatabase, big: Path, small: Path) -> bool:
    """Import both files into a fresh database; prints the figures; True when the goal is met."""
    database.migrate()
    database.django(SEED)
    env = database.env()
    kinerja = str(BIN / "kinerja")
    idle, _, _ = peak_rss([kinerja, "check"], env)
    small_mb, small_s, _ = peak_rss(
        [kinerja, "events", "import", "--stream", "ktp-el-small", str(small)], env
    )
    big_mb, big_s, output = peak_rss(
        [kinerja, "events", "import", "--stream", "ktp-el", str(big)], env
    )
    events, cases = (int(n) for n in database.django(COUNTS).split())
    if events != EVENTS:
        raise SystemExit(f"{events} events stored of {EVENTS}:\n{output[-3000:]}")
    print(f"  idle `kinerja check`:                           {idle:7.1f} MB")
    print(
        f"  import of {SMALL:>9,} events:                     {small_mb:7.1f} MB  ({small_s:.1f} s)"
    )
    print(
        f"  import of {EVENTS:>9,} events:                     {big_mb:7.1f} MB  ({big_s:.1f} s, "
        f"{EVENTS / big_s:,.0f} events/s with the catch-up; {cases:,} cases)"
    )
    print(
        f"  ratio {EVENTS:,} / {SMALL:,} events: {big_mb / small_mb:.2f}; "
        f"above idle: {big_mb - idle:.1f} MB"
    )
    met = big_mb <= GOAL_MB
    print(
        f"  goal ≤ {GOAL_MB:.0f} MB: " + ("met" if met else f"MISSED by {big_mb - GOAL_MB:.1f} MB")
    )
    return met


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


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="kinerja-bench-import-"))
    ok = True
    try:
        big, small = folder / "events.csv", folder / "small.csv"
        started = time.perf_counter()
        write_csv(big, EVENTS)
        write_csv(small, SMALL)
        print(
            f"wrote {EVENTS:,} events ({big.stat().st_size / 1e6:.0f} MB CSV) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        url = postgres_url()
        if url:
            database = ScratchDatabase(folder / "postgres", like=url, prefix="kinerja_bench")
            database.create()
            try:
                print(f"PostgreSQL ({database.name}):")
                ok = measure(database, big, small) and ok
            finally:
                if KEEP:
                    print(f"  kept database {database.name}")
                else:
                    database.drop()
        if url is None or os.environ.get("BENCH_SQLITE") == "1":
            database = ScratchDatabase(folder / "sqlite", like="")
            database.create()
            print(f"SQLite ({database.name}):")
            ok = measure(database, big, small) and ok
        else:
            print("(SQLite as well, about six minutes more: BENCH_SQLITE=1)")
    finally:
        if KEEP:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
