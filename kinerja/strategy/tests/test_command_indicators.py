"""``kinerja indicators export|import FILE.xlsx``."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from kinerja.core.models import AuditRecord, Channel
from kinerja.strategy.models import Indicator, Realisation

from .workbook_support import REALISATION_HEADER, YEAR, workbook_bytes


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("indicators", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fail(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("indicators", *args, stdout=out, stderr=err)
    return err.getvalue(), str(caught.value)


def counts(output: str, sheet: str) -> tuple[int, int, int]:
    line = next(line for line in output.splitlines() if line.startswith(f"{sheet}:"))
    created, updated, unchanged = (int(n) for n in re.findall(r"\d+", line))
    return created, updated, unchanged


def test_an_export_imported_again_changes_nothing(performance, tmp_path):
    path = tmp_path / "indikator.xlsx"
    out, _err = run("export", str(path), "--year", str(YEAR))
    assert "Indikator: 5 rows" in out
    records = AuditRecord.objects.count()
    stamps = dict(Indicator.objects.values_list("pk", "updated_at"))
    out, err = run("import", str(path))
    assert counts(out, "Indikator") == (0, 0, 5)
    assert counts(out, "Target") == (0, 0, 5)
    assert counts(out, "Realisasi") == (0, 0, 8)
    assert err == ""
    assert AuditRecord.objects.count() == records
    assert dict(Indicator.objects.values_list("pk", "updated_at")) == stamps


def test_the_export_may_be_limited_to_some_agencies(performance, tmp_path):
    path = tmp_path / "dukcapil.xlsx"
    run("export", str(path), "--agency", "dukcapil", "--year", str(YEAR))
    workbook = load_workbook(path)
    rows = list(workbook["Indikator"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in rows] == [("DUKCAPIL", "IKU-01")]
    assert workbook.sheetnames[-1] == "Petunjuk"


def test_an_import_stores_values_through_the_command_door(performance, cast, tmp_path):
    path = tmp_path / "realisasi.xlsx"
    path.write_bytes(
        workbook_bytes(
            {"Realisasi": [REALISATION_HEADER, ["DUKCAPIL", "IKU-01", f"{YEAR}-02", "21,5", "x"]]}
        )
    )
    out, _err = run("import", str(path), "--as", "admin")
    assert counts(out, "Realisasi") == (1, 0, 0)
    value = Realisation.objects.current().get(indicator=performance.ktp, month=2)
    assert str(value.value) == "21.5000"
    assert value.entered_by == cast.admin
    record = AuditRecord.objects.get(object_type="strategy.realisation", channel=Channel.IMPORT)
    assert record.actor_id == cast.admin.pk


def test_a_dry_run_reports_and_stores_nothing(performance, tmp_path):
    path = tmp_path / "realisasi.xlsx"
    path.write_bytes(
        workbook_bytes(
            {"Realisasi": [REALISATION_HEADER, ["DUKCAPIL", "IKU-01", f"{YEAR}-02", 21, ""]]}
        )
    )
    records = AuditRecord.objects.count()
    out, _err = run("import", str(path), "--dry-run")
    assert counts(out, "Realisasi") == (1, 0, 0)
    assert not Realisation.objects.filter(indicator=performance.ktp, month=2).exists()
    assert AuditRecord.objects.count() == records


def test_errors_name_sheet_row_and_column_and_nothing_is_stored(performance, tmp_path):
    path = tmp_path / "salah.xlsx"
    path.write_bytes(
        workbook_bytes(
            {
                "Realisasi": [
                    REALISATION_HEADER,
                    ["DUKCAPIL", "IKU-01", f"{YEAR}-02", 21, ""],
                    ["DINKES", "IKU-02", f"{YEAR}-05", 60, ""],
                ]
            }
        )
    )
    records = AuditRecord.objects.count()
    err, message = fail("import", str(path))
    assert "Realisasi, row 3, column periode" in err
    assert message.startswith("1 error")
    assert AuditRecord.objects.count() == records
    assert not Realisation.objects.filter(indicator=performance.ktp, month=2).exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["export", "a.csv"], ".xlsx"),
        (["export", "a.xlsx", "--dry-run"], "--dry-run"),
        (["import", "a.xlsx", "--year", "2025"], "export only"),
        (["export", "a.xlsx", "--agency", "NOPE"], "NOPE"),
        (["export", "a.xlsx", "--year", "1999"], "2000"),
    ],
)
def test_wrong_arguments_are_refused_with_a_reason(db, tmp_path, args, fragment):
    args = [str(tmp_path / a) if a.startswith("a.") else a for a in args]
    _err, message = fail(*args)
    assert fragment in message


def test_a_missing_file_is_refused_with_a_reason(db, tmp_path):
    _err, message = fail("import", str(tmp_path / "nothing.xlsx"))
    assert "nothing.xlsx" in message


def test_an_import_as_a_pengelola_changes_only_the_agencies_they_manage(
    performance, cast, tmp_path
):
    path = tmp_path / "realisasi.xlsx"
    path.write_bytes(
        workbook_bytes(
            {"Realisasi": [REALISATION_HEADER, ["DUKCAPIL", "IKU-01", f"{YEAR}-02", 21, ""]]}
        )
    )
    err, message = fail("import", str(path), "--as", cast.pengelola.username)
    assert "DUKCAPIL" in err and "kode_instansi" in err
    assert "1 error" in message
    assert not Realisation.objects.filter(indicator=performance.ktp, month=2).exists()
