"""How long the annual closing takes for 10,000 employees (goal: under 60 s on PostgreSQL).

``kinerja.evaluations.services.annual_close`` makes final every annual rating whose objection
period is over, computes the credit points of functional positions and checks every unit's
distribution against its organisation predicate (issue 5, "Cost").

Each database (PostgreSQL when one answers, then SQLite) is a fresh, migrated scratch
database, filled and measured in a child process of this script (Django is set up once per
process). The setup, not timed as the closing: a region of 5 agencies × 20 units, each unit
with a head and five staff positions (two Pelaksana, three functional of various jenjang);
``BENCH_EMPLOYEES`` (default 10,000) employees with an approved plan for 2026 and its annual
evaluation, stored with ``bulk_create``: the predicates a realistic mix (15 % Sangat Baik,
65 % Baik, 12 % Butuh Perbaikan, 5 % Kurang/Misconduct, 3 % Sangat Kurang); 95 % received
30 days ago (due), 3 % three days ago (still open), 2 % under objection; credit points not
yet computed (the worst case: every functional position's points are written and audited);
an organisation predicate for every unit.

Then, in this order:

1. the baselines, each in a transaction rolled back afterwards, best of three: a plain
   ``SELECT`` of the rows the closing reads (the same columns and joins), and the bare bulk
   ``UPDATE`` of the same rows (the evaluations' state, then the plans' state: two
   statements);
2. ``annual_close(year=2026, by=SYSTEM)`` — the figure of the goal — with the number of statements;
3. the same again (nothing left to do), for information.

Ratio = closing ÷ bare ``UPDATE``. ``BENCH_SQLITE=0`` skips SQLite, ``BENCH_KEEP=1`` keeps the
scratch databases, ``BENCH_PROFILE=1`` prints a profile (cProfile) of the closing.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kinerja.testing.server import ScratchDatabase, is_postgres_url  # noqa: E402

EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "10000"))
AGENCIES, UNITS_PER_AGENCY = 5, 20
GOAL_SECONDS = 60.0
YEAR = 2026
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
KEEP = os.environ.get("BENCH_KEEP") == "1"
CHILD = "BENCH_ANNUAL_CLOSE_CHILD"

SB, B, BP, KM, SK = "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"
PREDICATES = [(SB, 15), (B, 65), (BP, 12), (KM, 5), (SK, 3)]
RATINGS = {SB: ("above", "above"), B: ("meets", "meets"), BP: ("below", "meets"),
           KM: ("meets", "below"), SK: ("below", "below")}  # fmt: skip
ORG_PREDICATES = [("Baik", 70), ("Istimewa", 20), ("Butuh Perbaikan", 10)]
STAFF = [("pelaksana", ""), ("pelaksana", ""), ("jf", "ahli_pertama"), ("jf", "ahli_muda"),
         ("jf", "terampil")]  # fmt: skip


# --- The parent: scratch databases, one child each ------------------------------------------------


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


def measure_in_child(database: ScratchDatabase, *, goal: bool) -> int:
    database.create()
    try:
        database.migrate()
        env = database.env(**{CHILD: "goal" if goal else "info"})
        return subprocess.run(  # this interpreter, this script
            [sys.executable, str(Path(__file__).resolve())], env=env, cwd=ROOT, check=False
        ).returncode
    finally:
        if KEEP:
            print(f"  kept database {database.name}")
        else:
            database.drop()


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="kinerja-bench-close-"))
    failed = False
    try:
        url = postgres_url()
        if url:
            database = ScratchDatabase(folder / "postgres", like=url, prefix="kinerja_bench")
            print(f"PostgreSQL ({database.name}):", flush=True)
            failed |= measure_in_child(database, goal=True) != 0
        if os.environ.get("BENCH_SQLITE", "1") != "0":
            database = ScratchDatabase(folder / "sqlite", like="")
            print(f"SQLite ({database.name}), for information:", flush=True)
            failed |= measure_in_child(database, goal=False) != 0
    finally:
        if KEEP:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


# --- The child: build, then measure ---------------------------------------------------------------


def nip(n: int) -> str:
    """A well-formed, unique NIP for the n-th employee."""
    batch, sequence = divmod(n, 999)
    year, month = 1990 + batch // 12, batch % 12 + 1
    return f"19700101{year}{month:02d}{1 + n % 2}{sequence + 1:03d}"


def build(rng: random.Random) -> dict:
    """The region, the employees, their plans and annual evaluations (bulk, untimed)."""
    from django.utils import timezone

    from kinerja.evaluations.models import Evaluation, Objection, OrgEvaluation
    from kinerja.organizations.models import Agency, Employee, Position, Region, Unit
    from kinerja.skp.models import Skp

    region = Region.objects.create(code="BENCH", name="Kota Bench", head_title="Wali Kota")
    agencies = Agency.objects.bulk_create(
        Agency(region=region, code=f"AG{a:02d}", name=f"Dinas {a}", kind="dinas")
        for a in range(1, AGENCIES + 1)
    )
    roots = Unit.objects.bulk_create(
        Unit(agency=a, code=f"{a.code}-U00", name=f"Sekretariat {a.code}") for a in agencies
    )
    units = list(roots)
    units += Unit.objects.bulk_create(
        Unit(agency=a, parent=root, code=f"{a.code}-U{u:02d}", name=f"Unit {a.code}.{u}")
        for a, root in zip(agencies, roots, strict=True)
        for u in range(1, UNITS_PER_AGENCY)
    )
    root_of = {r.agency_id: r for r in roots}
    heads = {}
    for unit in [*roots, *units[len(roots) :]]:
        is_root = unit.parent_id is None
        heads[unit.pk] = Position.objects.create(
            unit=unit, code=f"{unit.code}-HEAD", name=f"Kepala {unit.name}",
            kind="jpt" if is_root else "pengawas", level="pratama" if is_root else "",
            reports_to=None if is_root else heads[root_of[unit.agency_id].pk],
        )  # fmt: skip
    staff = Position.objects.bulk_create(
        Position(unit=u, code=f"{u.code}-S{s}", name=f"Staf {s} {u.name}", kind=kind,
                 level=level, reports_to=heads[u.pk])
        for u in units
        for s, (kind, level) in enumerate(STAFF)
    )  # fmt: skip
    head_list = list(heads.values())
    positions = head_list + staff

    def position_of(i: int):  # one holder per head position, the rest over the staff
        return head_list[i] if i < len(head_list) else staff[(i - len(head_list)) % len(staff)]

    people = Employee.objects.bulk_create(
        (
            Employee(
                nip=nip(i),
                name=f"Pegawai {i:05d}",
                status="pns",
                rank="III/a",
                unit_id=position_of(i).unit_id,
                position=position_of(i),
            )
            for i in range(EMPLOYEES)
        ),
        batch_size=2000,
    )
    holder = {}  # position → its holder
    for e in people:
        holder.setdefault(e.position_id, e)
    by_pk = {p.pk: p for p in positions}

    def rater_of(position):
        """The holder of the position above; none for an agency's head (the head of region)."""
        return holder.get(position.reports_to_id) if position.reports_to_id else None

    now = timezone.now()
    plans = Skp.objects.bulk_create(
        (
            Skp(
                employee=e,
                year=YEAR,
                position_id=e.position_id,
                position_name=by_pk[e.position_id].name,
                position_kind=by_pk[e.position_id].kind,
                position_level=by_pk[e.position_id].level,
                unit_id=e.unit_id,
                rater=rater_of(by_pk[e.position_id]),
                state="rated",
                starts_on=date(YEAR, 1, 1),
            )
            for e in people
        ),
        batch_size=2000,
    )
    names = [p for p, _w in PREDICATES]
    weights = [w for _p, w in PREDICATES]
    evaluations, objected = [], []
    for skp in plans:
        predicate = rng.choices(names, weights)[0]
        results, behaviour = RATINGS[predicate]
        roll = rng.random()
        days_ago = 3 if roll < 0.03 else 30
        state = "objected" if 0.03 <= roll < 0.05 else "rated"
        evaluations.append(
            Evaluation(
                skp=skp,
                period=str(YEAR),
                annual=True,
                results_rating=results,
                behaviour_rating=behaviour,
                predicate=predicate,
                rated_by=skp.rater or skp.employee,  # an agency head: the region's head
                rated_at=now - timedelta(days=days_ago),
                state=state,
                delivered_at=now - timedelta(days=days_ago),
                months=12,
            )
        )
    Evaluation.objects.bulk_create(evaluations, batch_size=2000)
    for evaluation in evaluations:
        if evaluation.state == "objected":
            objected.append(
                Objection(
                    evaluation=evaluation,
                    reason="Realisasi Desember belum dihitung",
                    filed_at=now - timedelta(days=20),
                    decider=evaluation.skp.rater,
                    before={"predicate": evaluation.predicate},
                )
            )
    Objection.objects.bulk_create(objected, batch_size=2000)
    Skp.objects.filter(evaluations__state="objected").update(state="objected")
    org_names = [p for p, _w in ORG_PREDICATES]
    org_weights = [w for _p, w in ORG_PREDICATES]
    OrgEvaluation.objects.bulk_create(
        OrgEvaluation(unit=u, period=str(YEAR), predicate=rng.choices(org_names, org_weights)[0])
        for u in units
    )
    return {"units": len(units), "positions": len(positions), "objected": len(objected)}


BASELINE_SELECT = """
SELECT e.id, e.period, e.state, e.predicate, e.delivered_at, e.months, e.credit_points,
       EXISTS (SELECT 1 FROM evaluations_objection o WHERE o.evaluation_id = e.id),
       e.skp_id, s.state, s.year, s.position_kind, s.position_level, p.nip, p.name, a.code
FROM evaluations_evaluation e
JOIN skp_skp s ON s.id = e.skp_id
JOIN organizations_employee p ON p.id = s.employee_id
JOIN organizations_unit u ON u.id = s.unit_id
JOIN organizations_agency a ON a.id = u.agency_id
WHERE e.annual AND s.year = %s
"""
#: The same rows the closing makes final: rated, received more than the objection period ago.
BASELINE_UPDATES = [
    "UPDATE skp_skp SET state = 'final' WHERE id IN (SELECT e.skp_id FROM evaluations_evaluation e "
    "JOIN skp_skp s ON s.id = e.skp_id WHERE e.annual AND e.state = 'rated' "
    "AND e.delivered_at < %(cutoff)s AND s.year = %(year)s)",
    "UPDATE evaluations_evaluation SET state = 'final' WHERE annual AND state = 'rated' "
    "AND delivered_at < %(cutoff)s AND skp_id IN (SELECT id FROM skp_skp WHERE year = %(year)s)",
]


class Rollback(Exception):
    pass


def best_of(action, runs: int = 3) -> tuple[float, int]:
    """(seconds of the fastest run, its row count) of ``action(cursor)`` rolled back."""
    from django.db import connection, transaction

    best, rows = float("inf"), 0
    for _ in range(runs):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                started = time.perf_counter()
                rows = action(cursor)
                best = min(best, time.perf_counter() - started)
                raise Rollback
        except Rollback:
            pass
    return best, rows


def select_rows(cursor) -> int:
    cursor.execute(BASELINE_SELECT, [YEAR])
    return len(cursor.fetchall())


def update_rows(cursor) -> int:
    from django.utils import timezone

    params = {"year": YEAR, "cutoff": timezone.now() - timedelta(days=15)}
    changed = 0
    for sql in BASELINE_UPDATES:
        cursor.execute(sql, params)
        changed += cursor.rowcount
    return changed


class Counter:
    """``connection.execute_wrapper``: how many statements, and the seconds spent in each kind
    (the statement's verb and table)."""

    def __init__(self):
        self.statements = 0
        self.seconds: dict[str, float] = {}

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            words = sql.replace('"', "").split()
            verb = words[0].upper() if words else "?"
            table = next(
                (w for w in words if w.startswith(("evaluations_", "skp_", "core_"))), ""
            ).split(".")[0]
            key = f"{verb} {table}".strip()
            self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - started

    def report(self) -> str:
        parts = sorted(self.seconds.items(), key=lambda kv: -kv[1])
        return ", ".join(f"{k} {v:.2f} s" for k, v in parts if v >= 0.01)


def child(goal: bool) -> int:
    import django

    django.setup()
    from django.db import connection

    from kinerja.core.actors import SYSTEM
    from kinerja.core.models import AuditRecord
    from kinerja.evaluations.services import annual_close

    vendor = connection.vendor
    version = (
        connection.cursor().connection.execute("select sqlite_version()").fetchone()[0]
        if vendor == "sqlite"
        else f"{connection.pg_version // 10000}.{connection.pg_version % 100}"
    )
    print(f"  {vendor} {version}, {os.cpu_count()} CPUs, {EMPLOYEES:,} employees", flush=True)
    started = time.perf_counter()
    built = build(random.Random(YEAR))
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"  setup (bulk_create, untimed for the goal): {AGENCIES} agencies, {built['units']} "
        f"units, {built['positions']} positions, {EMPLOYEES:,} employees, plans and annual "
        f"evaluations ({built['objected']} under objection) in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    select_s, selected = best_of(select_rows)
    update_s, updated = best_of(update_rows)
    print(f"  baseline plain SELECT of the {selected:,} rows read:        {select_s:8.3f} s")
    print(f"  baseline bare UPDATE of evaluations + plans ({updated:,} rows): {update_s:8.3f} s")

    audit_before = AuditRecord.objects.count()
    counter = Counter()
    profile = None
    if os.environ.get("BENCH_PROFILE") == "1":
        import cProfile

        profile = cProfile.Profile()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        if profile:
            profile.enable()
        summary = annual_close(year=YEAR, by=SYSTEM)
        if profile:
            profile.disable()
        took = time.perf_counter() - started
    audit_written = AuditRecord.objects.count() - audit_before
    print(f"  annual_close(year={YEAR}):                                  {took:8.3f} s")
    print(
        f"    {summary.evaluations:,} evaluations: {summary.finalised:,} made final, "
        f"{summary.still_open:,} still open, {summary.objected:,} under objection; credit points "
        f"{summary.credit_points_computed:,} computed ({summary.credit_points_changed:,} written); "
        f"{summary.units_checked} units checked, {summary.units_with_warnings} with warnings; "
        f"{counter.statements} SQL statements, {audit_written:,} audit records"
    )
    database = sum(counter.seconds.values())
    print(f"    in the database {database:.2f} s: {counter.report()}")
    counter = Counter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        again = annual_close(year=YEAR, by=SYSTEM)
        took_again = time.perf_counter() - started
    print(
        f"  annual_close again (nothing to do: {again.finalised} made final, "
        f"{again.credit_points_changed} written): {took_again:.3f} s, "
        f"{counter.statements} SQL statements"
    )
    print(f"  ratio closing / bare UPDATE: {took / update_s:.1f}×; / plain SELECT: "
          f"{took / select_s:.0f}×")  # fmt: skip
    if profile:
        import pstats

        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    if not goal:
        return 0
    met = took < GOAL_SECONDS
    print(
        f"  goal < {GOAL_SECONDS:.0f} s: "
        + ("met" if met else f"MISSED by {took - GOAL_SECONDS:.1f} s")
    )
    return 0 if met else 1


if __name__ == "__main__":
    mode = os.environ.get(CHILD)
    sys.exit(child(mode == "goal") if mode else main())
