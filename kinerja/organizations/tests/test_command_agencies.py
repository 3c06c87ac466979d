"""``kinerja agencies import|export FILE``: agencies from a CSV file or the sheet Instansi of a
workbook; only the regional administrator changes them (the export round trip of every dataset
command is in test_command_employees.py)."""

from __future__ import annotations

from kinerja.core.models import AuditRecord, Channel
from kinerja.organizations import tabular
from kinerja.organizations.models import Agency
from kinerja.organizations.tests.support import counts, fail, run

AGENCIES = "kode,nama,jenis,kode_jabatan_pimpinan\n"


def test_a_regional_administrator_adds_an_agency_through_the_import_door(cast, tmp_path):
    path = tmp_path / "instansi.csv"
    path.write_text(AGENCIES + "BAPPEDA,Badan Perencanaan Pembangunan Daerah,badan,\n")
    out, err = run("agencies", "import", str(path), "--as", cast.admin.username)
    assert counts(out, "Instansi") == (1, 0, 0)
    assert err == ""
    assert Agency.objects.get(code="BAPPEDA").name == "Badan Perencanaan Pembangunan Daerah"
    record = AuditRecord.objects.get(object_id="BAPPEDA")
    assert (record.channel, record.actor) == (Channel.IMPORT, cast.admin)


def test_the_agencies_export_holds_every_agency_or_the_chosen_ones(cast, tmp_path):
    run("agencies", "export", str(tmp_path / "semua.csv"))
    rows = tabular.read_csv((tmp_path / "semua.csv").read_bytes()).rows["agencies"]
    assert [row.values["kode"] for row in rows] == ["DINKES", "DUKCAPIL"]
    run("agencies", "export", str(tmp_path / "dinkes.csv"), "--agency", "dinkes")
    rows = tabular.read_csv((tmp_path / "dinkes.csv").read_bytes()).rows["agencies"]
    assert [row.values["kode"] for row in rows] == ["DINKES"]


def test_a_performance_administrator_may_not_rename_their_agency(cast, tmp_path):
    path = tmp_path / "instansi.csv"
    path.write_text(AGENCIES + "DINKES,Dinas Kesehatan Kota,dinas,DINKES-KADIS\n")
    err, message = fail("agencies", "import", str(path), "--as", cast.pengelola.username)
    assert "Instansi, row 2, column kode" in err
    assert "nothing was stored" in message
    assert Agency.objects.get(code="DINKES").name == "Dinas Kesehatan"
