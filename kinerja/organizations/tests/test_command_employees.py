"""``kinerja employees import|export FILE`` — and the export round trip of the dataset commands
units, positions and agencies, which share its code."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from kinerja.core.models import AuditRecord, Channel
from kinerja.organizations import tabular
from kinerja.organizations.models import Employee
from kinerja.organizations.tests.support import HEADER, counts, fail, run
from kinerja.testing.factories import make_nip


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_an_export_imported_again_changes_nothing(cast, tmp_path, suffix):
    path = tmp_path / f"organisasi.{suffix}"
    run("employees", "export", str(path))
    records = AuditRecord.objects.count()
    stamps = dict(Employee.objects.values_list("nip", "updated_at"))
    out, err = run("employees", "import", str(path))
    assert counts(out, "Pegawai") == (0, 0, 8)
    if suffix == "xlsx":
        assert counts(out, "Instansi") == (0, 0, 2)
        assert counts(out, "Unit") == (0, 0, 4)
        assert counts(out, "Jabatan") == (0, 0, 7)
    assert err == ""
    assert AuditRecord.objects.count() == records
    assert dict(Employee.objects.values_list("nip", "updated_at")) == stamps


def test_the_workbook_export_holds_every_sheet_and_the_csv_the_employees(cast, tmp_path):
    run("employees", "export", str(tmp_path / "a.xlsx"))
    workbook = load_workbook(tmp_path / "a.xlsx")
    assert workbook.sheetnames == ["Instansi", "Unit", "Jabatan", "Pegawai", "Petunjuk"]
    assert workbook["Pegawai"].max_row == 9
    run("employees", "export", str(tmp_path / "a.csv"))
    rows = tabular.read_csv((tmp_path / "a.csv").read_bytes()).rows
    assert set(rows) == {"employees"} and len(rows["employees"]) == 8


def test_an_export_can_be_limited_to_agencies(cast, tmp_path):
    path = tmp_path / "dukcapil.xlsx"
    run("employees", "export", str(path), "--agency", "dukcapil")
    rows = tabular.read_xlsx(path.read_bytes()).rows
    assert [r.values["kode"] for r in rows["agencies"]] == ["DUKCAPIL"]
    assert {r.values["nip"] for r in rows["employees"]} == {
        cast.employees["other_head"].nip,
        cast.employees["outsider"].nip,
    }
    _err, message = fail("employees", "export", str(path), "--agency", "NOPE")
    assert "NOPE" in message


def test_an_import_reports_what_it_created_updated_and_left_alone(cast, tmp_path):
    employee, colleague = cast.employees["employee"], cast.employees["colleague"]
    path = tmp_path / "pegawai.csv"
    path.write_text(
        HEADER
        + f"{make_nip(1)},Pegawai Baru,PNS,III/a,DINKES-PKM-PLAJU-PERAWAT\n"
        + f"{employee.nip},Siti Aminah,PNS,III/b,DINKES-PKM-PLAJU-PERAWAT\n"
        + f'{colleague.nip},"{colleague.name}",PNS,III/a,DINKES-PKM-PLAJU-PERAWAT\n'
    )
    out, _err = run("employees", "import", str(path))
    assert counts(out, "Pegawai") == (1, 1, 1)
    assert Employee.objects.get(nip=make_nip(1)).unit.code == "DINKES-PKM-PLAJU"
    assert Employee.objects.get(pk=employee.pk).rank == "III/b"


def test_a_bad_nip_stores_nothing_and_names_sheet_row_and_column(cast, tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_text(
        HEADER
        + f"{make_nip(1)},Pegawai Baru,PNS,III/a,DINKES-PKM-PLAJU-PERAWAT\n"
        + f"{cast.employees['employee'].nip},Renamed,PNS,III/a,DINKES-PKM-PLAJU-PERAWAT\n"
        + "\n"
        + "198503122010011000,Pegawai Salah,PNS,III/a,DINKES-PKM-PLAJU-PERAWAT\n"
    )
    records = AuditRecord.objects.count()
    err, message = fail("employees", "import", str(path))
    [line] = err.strip().splitlines()
    assert re.match(r"^Pegawai\D+5\D+nip: ", line)
    assert "1" in message
    assert not Employee.objects.filter(nip=make_nip(1)).exists()
    assert not Employee.objects.filter(name="Renamed").exists()
    assert AuditRecord.objects.count() == records


def test_a_nip_stored_as_a_number_in_a_workbook_stores_nothing(cast, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Pegawai"
    sheet.append(["nip", "nama", "status", "kode_jabatan"])
    sheet.append([make_nip(1), "Pegawai Teks", "PNS", "DINKES-PKM-PLAJU-PERAWAT"])
    sheet.append([int(make_nip(2)), "Pegawai Angka", "PNS", "DINKES-PKM-PLAJU-PERAWAT"])
    path = tmp_path / "pegawai.xlsx"
    workbook.save(path)
    err, _message = fail("employees", "import", str(path))
    assert re.match(r"^Pegawai\D+3\D+nip: ", err)
    assert not Employee.objects.filter(name__startswith="Pegawai ").exists()


def test_a_dry_run_prints_what_would_change_and_stores_nothing(cast, tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_text(HEADER + f"{make_nip(1)},Pegawai Baru,PNS,III/a,DINKES-PKM-PLAJU-PERAWAT\n")
    records = AuditRecord.objects.count()
    out, _err = run("employees", "import", str(path), "--dry-run")
    assert counts(out, "Pegawai") == (1, 0, 0)
    assert make_nip(1) in out
    assert not Employee.objects.filter(nip=make_nip(1)).exists()
    assert AuditRecord.objects.count() == records


def test_a_workbook_imports_every_sheet_together(cast, tmp_path):
    tables = {
        "units": [
            {
                "kode": "DINKES-GIZI",
                "nama": "Seksi Gizi",
                "kode_instansi": "DINKES",
                "kode_induk": "DINKES",
            }
        ],
        "positions": [
            {
                "kode": "DINKES-GIZI-NUTRISIONIS",
                "nama": "Nutrisionis",
                "jenis": "jf",
                "jenjang": "ahli_pertama",
                "kode_unit": "DINKES-GIZI",
                "kode_atasan": "DINKES-KABID-YANKES",
            }
        ],
        "employees": [
            {
                "nip": make_nip(1),
                "nama": "Pegawai Gizi",
                "status": "PNS",
                "golongan": "III/a",
                "kode_unit": "",
                "kode_jabatan": "DINKES-GIZI-NUTRISIONIS",
                "email": "",
                "aktif": "ya",
            }
        ],
    }
    path = tmp_path / "gizi.xlsx"
    path.write_bytes(tabular.write_xlsx(tables))
    out, _err = run("employees", "import", str(path))
    assert counts(out, "Unit") == (1, 0, 0)
    assert counts(out, "Jabatan") == (1, 0, 0)
    assert counts(out, "Pegawai") == (1, 0, 0)
    nutritionist = Employee.objects.get(nip=make_nip(1))
    assert nutritionist.rater_chain.rater == cast.employees["rater_superior"]


def test_changes_are_recorded_through_the_import_door(cast, tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_text(HEADER + f"{make_nip(1)},Pegawai Baru,PNS,III/a,DINKES-PKM-PLAJU-PERAWAT\n")
    run("employees", "import", str(path))
    record = AuditRecord.objects.get(object_id=make_nip(1))
    assert (record.channel, record.actor) == (Channel.IMPORT, None)
    assert record.actor_label.startswith("console") and "pegawai.csv" in record.actor_label
    path.write_text(HEADER + f"{make_nip(2)},Pegawai Dua,PNS,III/a,DINKES-PKM-PLAJU-PERAWAT\n")
    run("employees", "import", str(path), "--as", "admin")
    record = AuditRecord.objects.get(object_id=make_nip(2))
    assert (record.channel, record.actor) == (Channel.IMPORT, cast.admin)


@pytest.mark.parametrize(
    ("command", "sheet", "count"),
    [("units", "Unit", 4), ("positions", "Jabatan", 7), ("agencies", "Instansi", 2)],
)
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_units_positions_and_agencies_have_their_own_commands(
    cast, tmp_path, command, sheet, count, suffix
):
    path = tmp_path / f"{command}.{suffix}"
    run(command, "export", str(path))
    if suffix == "xlsx":
        assert load_workbook(path).sheetnames == [sheet, "Petunjuk"]
    out, _err = run(command, "import", str(path))
    assert counts(out, sheet) == (0, 0, count)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pegawai.txt", b"nip,nama,status\n"),
        ("pegawai.csv", b"nip,nama\n1,2\n"),
        ("pegawai.csv", b"\xff\xfe\x00"),
    ],
)
def test_a_file_that_cannot_be_read_exits_with_an_error(cast, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    err, _message = fail("employees", "import", str(path))
    assert err.strip()


def test_a_missing_file_exits_with_an_error(cast, tmp_path):
    _err, message = fail("employees", "import", str(tmp_path / "nope.csv"))
    assert "nope.csv" in message


def test_progress_bars_appear_only_when_asked_for_outside_a_terminal(cast, tmp_path):
    path = tmp_path / "pegawai.csv"
    run("employees", "export", str(path))
    _out, err = run("employees", "import", str(path))
    assert err == ""
    _out, err = run("employees", "import", str(path), "--progress")
    assert "validating" in err and "rows" in err


def test_a_command_as_a_pengelola_changes_and_exports_only_their_agency(cast, tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_text(HEADER + f"{make_nip(1)},Pegawai Baru,PNS,III/a,DUKCAPIL-OPERATOR\n")
    err, message = fail("employees", "import", str(path), "--as", cast.pengelola.username)
    assert "Pegawai, row 2, column nip" in err
    assert "1 error" in message
    assert not Employee.objects.filter(nip=make_nip(1)).exists()
    out, _err = run("employees", "export", str(tmp_path / "a.csv"), "--as", cast.pengelola.username)
    assert "Pegawai: 6 rows" in out
    _err, message = fail(
        "employees", "export", str(tmp_path / "b.csv"), "--agency", "DUKCAPIL", "--as",
        cast.pengelola.username,
    )  # fmt: skip
    assert "DUKCAPIL" in message
