"""``kinerja positions import|export FILE``: positions from a CSV file or the sheet Jabatan of a
workbook, with the rights of the ``--as`` user (the export round trip of every dataset command is
in test_command_employees.py)."""

from __future__ import annotations

from kinerja.core.models import AuditRecord, Channel
from kinerja.organizations import tabular
from kinerja.organizations.models import Position
from kinerja.organizations.tests.support import counts, fail, run

POSITIONS = "kode,nama,jenis,jenjang,kode_unit,kode_atasan\n"
BIDAN = (
    "DINKES-PKM-PLAJU-BIDAN,Bidan Terampil,jf,terampil,DINKES-PKM-PLAJU,DINKES-PKM-PLAJU-KEPALA\n"
)


def test_a_new_position_is_stored_under_its_unit_and_recorded_through_the_import_door(
    cast, tmp_path
):
    path = tmp_path / "jabatan.csv"
    path.write_text(POSITIONS + BIDAN)
    out, err = run("positions", "import", str(path), "--as", cast.admin.username)
    assert counts(out, "Jabatan") == (1, 0, 0)
    assert err == ""
    position = Position.objects.get(code="DINKES-PKM-PLAJU-BIDAN")
    assert position.unit == cast.units["pkm"]
    assert position.reports_to == cast.positions["kapus"]
    record = AuditRecord.objects.get(object_id="DINKES-PKM-PLAJU-BIDAN")
    assert (record.channel, record.actor) == (Channel.IMPORT, cast.admin)


def test_the_positions_export_holds_the_positions_of_the_users_agency_only(cast, tmp_path):
    path = tmp_path / "jabatan.csv"
    out, _err = run("positions", "export", str(path), "--as", cast.pengelola.username)
    codes = {row.values["kode"] for row in tabular.read_csv(path.read_bytes()).rows["positions"]}
    assert codes == set(
        Position.objects.filter(unit__agency__code="DINKES").values_list("code", flat=True)
    )
    assert "DUKCAPIL-OPERATOR" not in codes
    assert f"Jabatan: {len(codes)} rows" in out


def test_a_performance_administrator_may_not_add_a_position_to_another_agency(cast, tmp_path):
    path = tmp_path / "jabatan.csv"
    path.write_text(POSITIONS + "DUKCAPIL-ARSIPARIS,Arsiparis,pelaksana,,DUKCAPIL,\n")
    err, message = fail("positions", "import", str(path), "--as", cast.pengelola.username)
    assert "Jabatan, row 2, column kode" in err
    assert "1 error" in message
    assert not Position.objects.filter(code="DUKCAPIL-ARSIPARIS").exists()


def test_an_employee_without_import_rights_changes_nothing(cast, tmp_path):
    path = tmp_path / "jabatan.csv"
    path.write_text(POSITIONS + BIDAN)
    err, message = fail("positions", "import", str(path), "--as", cast.outsider.username)
    assert "Jabatan, row 2, column kode" in err
    assert "nothing was stored" in message
    assert not Position.objects.filter(code="DINKES-PKM-PLAJU-BIDAN").exists()
