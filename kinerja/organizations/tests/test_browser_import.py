"""The import page in a real browser: a file with a bad row is refused and the page says
exactly where; a good file is stored."""

import pytest

from kinerja.organizations.models import Employee
from kinerja.testing.browser import nav_link, sign_in

pytestmark = pytest.mark.browser

HEADER = "nip,nama,status,golongan,kode_unit,kode_jabatan,email,aktif\n"


def upload(page, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    nav_link(page, "Impor").click()
    page.wait_for_url("**/impor/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.locator("#import-upload button[type=submit]").click()
    page.wait_for_url("**/impor/*-*/")
    page.locator("#job-result").wait_for()


def test_an_import_with_a_bad_nip_names_the_row_and_column_and_stores_nothing(
    cast_live, page, tmp_path
):
    sign_in(page, cast_live.pengelola)
    before = Employee.objects.count()
    rows = (
        HEADER
        + "199001012015012007,Nur Aisyah,PNS,III/b,DINKES-PKM-PLAJU,DINKES-PKM-PLAJU-PERAWAT,,ya\n"
        + "19900101201501200,Rahmat Hidayat,PNS,III/a,DINKES-PKM-PLAJU,,,ya\n"
    )
    upload(page, tmp_path, "pegawai.csv", rows)

    assert "Tidak ada yang disimpan" in page.locator("#job-result").inner_text()
    errors = page.locator("#job-errors")
    assert errors.is_visible()
    text = errors.inner_text()
    assert "nip" in text
    assert "3" in errors.locator("tbody tr").first.inner_text()  # the row as in the spreadsheet
    assert "18 angka" in text
    assert Employee.objects.count() == before


def test_a_good_file_is_stored_and_counted(cast_live, page, tmp_path):
    sign_in(page, cast_live.pengelola)
    rows = (
        HEADER
        + "199001012015012007,Nur Aisyah,PNS,III/b,DINKES-PKM-PLAJU,DINKES-PKM-PLAJU-PERAWAT,,ya\n"
    )
    upload(page, tmp_path, "pegawai.csv", rows)

    assert page.locator("#job-status").get_attribute("data-job-status") == "succeeded"
    assert page.locator("#job-counts").is_visible()
    assert Employee.objects.filter(nip="199001012015012007").exists()
