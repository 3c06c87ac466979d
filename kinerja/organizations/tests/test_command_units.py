"""``kinerja units import|export FILE``: a dataset command reads only its sheet of a workbook
(the export round trip of every dataset command is in test_command_employees.py)."""

from __future__ import annotations

from kinerja.organizations import tabular
from kinerja.organizations.models import Unit
from kinerja.organizations.tests.support import counts, run


def test_a_dataset_command_reads_only_its_sheet_of_a_workbook(cast, tmp_path):
    tables = {
        "units": [
            {
                "kode": "DINKES-GIZI",
                "nama": "Seksi Gizi",
                "kode_instansi": "DINKES",
                "kode_induk": "",
            }
        ],
        "employees": [{"nip": "123", "nama": "Never read", "status": "PNS"}],
    }
    path = tmp_path / "campur.xlsx"
    path.write_bytes(tabular.write_xlsx(tables))
    out, _err = run("units", "import", str(path))
    assert counts(out, "Unit") == (1, 0, 0)
    assert "Pegawai" not in out
    assert Unit.objects.filter(code="DINKES-GIZI").exists()
