"""How long ``kinerja employees import`` takes for 10,000 employees on SQLite (goal: < 60 s).

Builds a fresh SQLite database in a temporary folder, loads a region of 5 agencies, 100 units
and 600 positions, generates 10,000 employees with valid NIPs, writes them to an XLSX and a
CSV file and times, in this process (``call_command``):

1. importing the XLSX into the empty table (every row created, audited, raters computed);
2. exporting the whole workbook and importing it again (nothing changes);
3. importing the CSV into the emptied table;
4. the baseline: the database's own bulk load of the same rows into the same table
   (``sqlite3`` ``executemany`` in one transaction), so that the ratio says what the
   validation, the audit trail and the rater chains cost on this machine.

``BENCH_EMPLOYEES`` changes the number of employees; ``BENCH_KEEP=1`` keeps the temporary
folder (database and files) for a look afterwards.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMPLOYEES = int(os.environ.get("BENCH_EMPLOYEES", "10000"))
AGENCIES, UNITS_PER_AGENCY, STAFF_POSITIONS_PER_UNIT = 5, 20, 5
GOAL_SECONDS = 60.0


def setup_django(folder: Path) -> Path:
    database = folder / "bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kinerja.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["KINERJA_VAR_DIR"] = str(folder / "var")
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return database


def structure() -> dict[str, list[dict[str, str]]]:
    """5 agencies × 20 units (a root and 19 below it) × 6 positions (a head and 5 staff)."""
    agencies, units, positions = [], [], []
    for a in range(1, AGENCIES + 1):
        agency = f"AG{a:02d}"
        agencies.append(
            {
                "kode": agency,
                "nama": f"Dinas {a}",
                "jenis": "dinas",
                "kode_jabatan_pimpinan": f"{agency}-U00-HEAD",
            }
        )
        for u in range(UNITS_PER_AGENCY):
            unit = f"{agency}-U{u:02d}"
            units.append(
                {
                    "kode": unit,
                    "nama": f"Unit {a}.{u}",
                    "kode_instansi": agency,
                    "kode_induk": "" if u == 0 else f"{agency}-U00",
                }
            )
            head = f"{unit}-HEAD"
            positions.append(
                {
                    "kode": head,
                    "nama": f"Kepala {unit}",
                    "jenis": "jpt" if u == 0 else "pengawas",
                    "jenjang": "pratama" if u == 0 else "",
                    "kode_unit": unit,
                    "kode_atasan": "" if u == 0 else f"{agency}-U00-HEAD",
                }
            )
            for s in range(STAFF_POSITIONS_PER_UNIT):
                functional = s >= 3
                positions.append(
                    {
                        "kode": f"{unit}-S{s}",
                        "nama": f"Staf {s} {unit}",
                        "jenis": "jf" if functional else "pelaksana",
                        "jenjang": "ahli_pertama" if functional else "",
                        "kode_unit": unit,
                        "kode_atasan": head,
                    }
                )
    return {"agencies": agencies, "units": units, "positions": positions}


def employees(positions: list[dict[str, str]], count: int) -> list[dict[str, str]]:
    """One holder per head position, the rest spread over the staff positions; valid NIPs."""
    rng = random.Random(2026)  # deterministic
    heads = [p for p in positions if p["kode"].endswith("-HEAD")]
    staff = [p for p in positions if not p["kode"].endswith("-HEAD")]
    seen: set[str] = set()
    rows = []
    for i in range(count):
        while True:
            birth = date(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28))
            year = birth.year + rng.randint(20, 26)
            sex = rng.choice("12")
            month, sequence = rng.randint(1, 12), rng.randint(1, 999)
            nip = f"{birth:%Y%m%d}{min(year, 2024)}{month:02d}{sex}{sequence:03d}"
            if nip not in seen:
                seen.add(nip)
                break
        position = heads[i] if i < len(heads) else staff[i % len(staff)]
        pppk = i % 7 == 0
        rows.append(
            {
                "nip": nip,
                "nama": f"Pegawai {i:05d}",
                "status": "PPPK" if pppk else "PNS",
                "golongan": "IX"
                if pppk
                else rng.choice(["II/c", "III/a", "III/b", "III/c", "IV/a"]),
                "kode_unit": position["kode_unit"],
                "kode_jabatan": position["kode"],
                "email": f"pegawai{i:05d}@example.go.id",
                "aktif": "ya",
            }
        )
    return rows


def timed(label: str, results: list, action) -> float:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    results.append((label, seconds))
    print(f"  {label:<52} {seconds:8.2f} s", flush=True)
    return seconds


def command(*args: str) -> str:
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def empty_employees() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM organizations_raterchain")
        cursor.execute("DELETE FROM organizations_employee")


def baseline(database: Path, rows: list[dict[str, str]]) -> None:
    """The same rows into the same table with the database's own bulk insert."""
    from django.db import connection

    from kinerja.organizations.models import Position, Unit

    unit_ids = dict(Unit.objects.values_list("code", "pk"))
    position_ids = dict(Position.objects.values_list("code", "pk"))
    connection.close()
    now = datetime.now(UTC).isoformat()
    values = [
        (
            r["nip"],
            r["nama"],
            r["status"].lower(),
            r["golongan"],
            unit_ids[r["kode_unit"]],
            position_ids[r["kode_jabatan"]],
            r["email"],
            True,
            now,
        )
        for r in rows
    ]
    raw = sqlite3.connect(database)
    try:
        with raw:  # one transaction
            raw.executemany(
                "INSERT INTO organizations_employee "
                "(nip, name, status, rank, unit_id, position_id, email, active, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
    finally:
        raw.close()


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="kinerja-bench-"))
    try:
        return run(folder)
    finally:
        if os.environ.get("BENCH_KEEP"):
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path) -> int:
    database = setup_django(folder)

    from kinerja.core.actors import SYSTEM
    from kinerja.organizations import tabular
    from kinerja.organizations.changeset import Row, apply_rows
    from kinerja.organizations.models import Employee
    from kinerja.organizations.services import region_set

    print(
        f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}, {EMPLOYEES} employees"
    )
    print(f"database: {database}")
    region_set(code="BENCH", name="Pemerintah Kota Bench", head_title="Wali Kota", by=SYSTEM)
    tables = structure()
    results: list[tuple[str, float]] = []
    outcome = None

    def load_structure():
        nonlocal outcome
        rows = {k: [Row(i + 2, v) for i, v in enumerate(t)] for k, t in tables.items()}
        outcome = apply_rows(rows=rows, by=SYSTEM)

    timed(
        f"structure: {AGENCIES} agencies, {len(tables['units'])} units, "
        f"{len(tables['positions'])} positions",
        results,
        load_structure,
    )
    assert outcome is not None and outcome.ok, outcome.errors[:5]

    people = employees(tables["positions"], EMPLOYEES)
    xlsx_path, csv_path, export_path = (
        folder / n for n in ("pegawai.xlsx", "pegawai.csv", "ekspor.xlsx")
    )
    timed(
        "write the XLSX and CSV files",
        results,
        lambda: (
            xlsx_path.write_bytes(tabular.write_xlsx({"employees": people})),
            csv_path.write_bytes(tabular.write_csv("employees", people)),
        ),
    )

    t_xlsx = timed(
        "kinerja employees import pegawai.xlsx (all new)",
        results,
        lambda: command("employees", "import", str(xlsx_path)),
    )
    assert Employee.objects.count() == EMPLOYEES
    timed(
        "kinerja employees export ekspor.xlsx (whole workbook)",
        results,
        lambda: command("employees", "export", str(export_path)),
    )
    output = {}
    t_again = timed(
        "kinerja employees import ekspor.xlsx (no changes)",
        results,
        lambda: output.update(text=command("employees", "import", str(export_path))),
    )
    assert f"0 created, 0 updated, {EMPLOYEES} unchanged" in output["text"], output["text"]

    empty_employees()
    t_csv = timed(
        "kinerja employees import pegawai.csv (all new)",
        results,
        lambda: command("employees", "import", str(csv_path)),
    )
    assert Employee.objects.count() == EMPLOYEES

    empty_employees()
    t_base = timed(
        "baseline: sqlite3 executemany, one transaction",
        results,
        lambda: baseline(database, people),
    )

    print()
    print(f"  ratio XLSX import / baseline: {t_xlsx / t_base:8.0f}×")
    print(f"  ratio CSV import / baseline:  {t_csv / t_base:8.0f}×")
    worst = max(t_xlsx, t_csv, t_again)
    verdict = "met" if worst < GOAL_SECONDS else "MISSED"
    print(
        f"  goal: every import of {EMPLOYEES} employees under {GOAL_SECONDS:.0f} s: {verdict} "
        f"(slowest {worst:.1f} s)"
    )
    return 0 if worst < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
