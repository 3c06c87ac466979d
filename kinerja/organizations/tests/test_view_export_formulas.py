"""The organisation exports never write a formula: text a person typed that begins like one
(``=``, ``-``, ``@`` …) is an XLSX string cell and an apostrophe-prefixed CSV field, and the
export uploaded again changes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.organizations.models import Employee, ImportJob, ImportStatus

XLSX = reverse("organizations:export", args=["xlsx"])
CSV = reverse("organizations:export", args=["csv"])
PLANTED = '=HYPERLINK("http://x.example/","klik")'
NAMES = [PLANTED, "-5 Siti Aminah", "@Dewi Lestari", "+62 Yusuf"]


@pytest.fixture
def planted(cast) -> dict[str, str]:
    """Employees of DINKES whose names begin like formulas: NIP → name."""
    keys = ["employee", "colleague", "rater", "pengelola"]
    names = {}
    for key, name in zip(keys, NAMES, strict=True):
        Employee.objects.filter(pk=cast.employees[key].pk).update(name=name)
        names[cast.employees[key].nip] = name
    return names


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        }
    }


def test_the_employees_csv_prefixes_text_that_looks_like_a_formula(cast, client_for, planted):
    response = client_for(cast.admin).get(CSV, {"data": "employees"})
    records = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, rows = records[0], records[1:]
    by_nip = {row[header.index("nip")]: row for row in rows}
    for nip, name in planted.items():
        assert by_nip[nip][header.index("nama")] == "'" + name
    # Everything else as it is: NIPs (digits), ordinary names, codes.
    assert all(nip.isdigit() for nip in by_nip)
    head = by_nip[cast.employees["head"].nip]
    assert head[header.index("nama")] == cast.employees["head"].name
    assert head[header.index("kode_unit")] == "DINKES"


def test_the_organisation_workbook_writes_such_text_as_string_cells(cast, client_for, planted):
    response = client_for(cast.admin).get(XLSX)
    sheet = load_workbook(io.BytesIO(response.content))["Pegawai"]
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    nip_at, name_at = header.index("nip"), header.index("nama")
    cells = {row[nip_at].value: row[name_at] for row in rows[1:]}
    for nip, name in planted.items():
        assert (cells[nip].value, cells[nip].data_type) == (name, "s")
    # No cell of the workbook is a formula; NIPs stay text cells formatted as Text.
    workbook = load_workbook(io.BytesIO(response.content))
    assert not [c for ws in workbook for row in ws.iter_rows() for c in row if c.data_type == "f"]
    nip_cell = rows[1][nip_at]
    assert (nip_cell.data_type, nip_cell.number_format) == ("s", "@")


@pytest.mark.parametrize(("url", "name"), [(XLSX, "a.xlsx"), (CSV, "a.csv")])
def test_such_an_export_uploaded_again_changes_nothing(
    cast, client_for, planted, storage, url, name
):
    client = client_for(cast.admin)
    exported = client.get(url).content
    client.post(reverse("organizations:import"), {"file": SimpleUploadedFile(name, exported)})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert all(c["created"] == 0 and c["updated"] == 0 for c in job.summary.values())
    assert job.summary["employees"]["unchanged"] == 8
    stored = dict(Employee.objects.filter(nip__in=planted).values_list("nip", "name"))
    assert stored == planted
