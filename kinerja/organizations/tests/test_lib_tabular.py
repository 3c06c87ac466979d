"""Reading and writing CSV and XLSX files (no database needed)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from kinerja.organizations import tabular
from kinerja.organizations.columns import ORDER, SHEETS
from kinerja.organizations.tabular import TabularError, read_csv, read_file, read_xlsx

NIP = "198503122010012002"
EMPLOYEE = {
    "nip": NIP,
    "nama": "dr. Siti Aminah, M.Kes",
    "status": "PNS",
    "golongan": "III/c",
    "kode_unit": "DINKES-PKM-PLAJU",
    "kode_jabatan": "DINKES-PKM-PLAJU-DOKTER",
    "email": "siti@palembang.go.id",
    "aktif": "ya",
}


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook as Excel would save it (not write-only, numbers stay numbers)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def messages(exc: TabularError) -> str:
    return " ".join(str(e.message) for e in exc.errors)


# --- CSV -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_csv_is_read_with_any_of_the_usual_delimiters_with_or_without_bom(delimiter, bom):
    text = bom + delimiter.join(["nip", "nama", "status"]) + "\r\n"
    text += delimiter.join(
        [NIP, "Siti Aminah, A.Md" if delimiter != "," else '"Siti, A.Md"', "PNS"]
    )
    dataset = read_csv(text.encode())
    [row] = dataset.rows["employees"]
    assert row.number == 2
    assert row.values["nip"] == NIP
    assert row.values["status"] == "PNS"
    assert "," in row.values["nama"] or delimiter != ","


def test_csv_header_names_ignore_case_and_spaces():
    dataset = read_csv(f"NIP, Nama ,Status,Kode Unit\n{NIP},Siti,PNS,DINKES\n".encode())
    assert set(dataset.rows["employees"][0].values) == {"nip", "nama", "status", "kode_unit"}


def test_csv_rows_are_numbered_as_in_the_spreadsheet_and_empty_rows_skipped():
    text = f'nip,nama,status\n{NIP},"Siti\nAminah",PNS\n,,\n\n198503122010011003,Budi,PNS\n'
    rows = read_csv(text.encode()).rows["employees"]
    # The quoted line break keeps its record in one spreadsheet row.
    assert [r.number for r in rows] == [2, 5]
    assert rows[0].values["nama"] == "Siti\nAminah"


def test_a_column_left_out_is_absent_and_an_empty_cell_is_empty():
    rows = read_csv(f"nip,nama,status,email\n{NIP},Siti,PNS,\n".encode()).rows["employees"]
    assert rows[0].values["email"] == ""
    assert "golongan" not in rows[0].values


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        ("nip,nama,status\n198503122010012002,Désiré,PNS\n".encode("cp1252"), "CSV UTF-8"),
        ("nip,nama,status\n".encode("utf-16"), "CSV UTF-8"),
        (b"nip,nama,status\n\x00\x01\x02", ".csv"),
    ],
)
def test_a_csv_that_is_not_utf8_text_gets_a_precise_error(data, hint):
    with pytest.raises(TabularError) as caught:
        read_file("pegawai.csv", data)
    assert hint in messages(caught.value)


def test_the_line_of_the_first_non_utf8_character_is_named():
    data = "nip,nama,status\n198503122010012002,Siti,PNS\n198503122010011003,Désiré,PNS\n"
    with pytest.raises(TabularError) as caught:
        read_file("pegawai.csv", data.encode("latin-1"))
    assert " 3" in messages(caught.value)


def test_unknown_columns_are_named_with_the_known_ones():
    with pytest.raises(TabularError) as caught:
        read_csv(f"nip,nama,status,jabatan_lama\n{NIP},Siti,PNS,x\n".encode(), expect="employees")
    text = messages(caught.value)
    assert "jabatan_lama" in text
    assert all(name in text for name in SHEETS["employees"].column_names)
    assert caught.value.errors[0].row == 1


def test_missing_required_columns_are_named():
    with pytest.raises(TabularError) as caught:
        read_csv(f"nip,nama\n{NIP},Siti\n".encode(), expect="employees")
    assert "status" in messages(caught.value)


def test_a_column_named_twice_is_refused():
    with pytest.raises(TabularError) as caught:
        read_csv(f"nip,nama,status,Nama\n{NIP},Siti,PNS,S\n".encode(), expect="employees")
    assert [e.column for e in caught.value.errors] == ["nama"]


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("kode,nama,jenis", "agencies"),
        ("kode,nama,kode_instansi,kode_induk", "units"),
        ("kode,nama,jenis,jenjang,kode_unit", "positions"),
        ("nip,nama,status", "employees"),
    ],
)
def test_the_header_tells_which_data_a_csv_holds(header, key):
    assert set(read_csv(f"{header}\n".encode()).rows) == {key}


def test_a_header_that_fits_no_data_is_refused():
    with pytest.raises(TabularError):
        read_csv(b"foo,bar\n1,2\n")


def test_a_nip_that_excel_turned_into_a_number_in_a_csv_is_refused():
    dataset = read_csv(b"nip,nama,status\n1.98503E+17,Siti,PNS\n198503122010011003,Budi,PNS\n")
    assert [(e.sheet, e.row, e.column) for e in dataset.errors] == [("employees", 2, "nip")]
    assert [r.number for r in dataset.rows["employees"]] == [3]


def test_values_beyond_the_header_or_under_a_nameless_column_are_refused():
    dataset = read_csv(
        f"nip,nama,,status\n{NIP},Siti,x,PNS\n{NIP[:-1]}3,Budi,,PNS,extra\n".encode()
    )
    assert [(e.row, e.column) for e in dataset.errors] == [(2, ""), (3, "")]


# --- XLSX ----------------------------------------------------------------------------------------


def test_xlsx_sheets_are_matched_by_title_and_other_sheets_ignored():
    data = xlsx(
        {
            "Petunjuk": [["anything", "at", "all"]],
            "pegawai": [["nip", "nama", "status"], [NIP, "Siti", "PNS"]],
            "Units": [["kode", "nama", "kode_instansi"], ["DINKES", "Dinas Kesehatan", "DINKES"]],
            "Catatan": [["notes"]],
        }
    )
    dataset = read_xlsx(data)
    assert set(dataset.rows) == {"employees", "units"}
    assert dataset.rows["units"][0].values["kode"] == "DINKES"


def test_only_the_expected_sheet_is_read_when_asked():
    data = xlsx(
        {
            "Unit": [["kode", "nama", "kode_instansi"], ["DINKES", "Dinas Kesehatan", "DINKES"]],
            "Pegawai": [["nip", "nama", "status"], [123.0, "Siti", "PNS"]],
        }
    )
    dataset = read_xlsx(data, expect="units", only=True)
    assert set(dataset.rows) == {"units"}
    assert not dataset.errors


def test_a_missing_expected_sheet_is_named():
    data = xlsx({"Pegawai": [["nip", "nama", "status"]], "Lain": [["kode"], ["X"]]})
    with pytest.raises(TabularError) as caught:
        read_xlsx(data, expect="units", only=True)
    assert "Unit" in messages(caught.value)


@pytest.mark.parametrize(("expect", "key"), [("employees", "employees"), (None, "employees")])
def test_a_single_sheet_with_another_name_is_read_as_the_expected_data(expect, key):
    data = xlsx({"Sheet1": [["nip", "nama", "status"], [NIP, "Siti", "PNS"]], "Sheet2": []})
    assert set(read_xlsx(data, expect=expect).rows) == {key}


def test_two_unrecognised_sheets_are_refused():
    data = xlsx({"Data": [["nip", "nama", "status"]], "Lainnya": [["nip", "nama", "status"]]})
    with pytest.raises(TabularError):
        read_xlsx(data)


def test_a_nip_stored_as_a_number_in_xlsx_is_refused_never_guessed():
    data = xlsx(
        {
            "Pegawai": [
                ["nip", "nama", "status"],
                [198503122010012002, "Siti", "PNS"],
                [NIP, "Budi", "PNS"],
            ]
        }
    )
    dataset = read_xlsx(data)
    assert [(e.sheet, e.row, e.column) for e in dataset.errors] == [("employees", 2, "nip")]
    assert "Text" in dataset.errors[0].message
    assert [r.values["nip"] for r in dataset.rows["employees"]] == [NIP]


def test_xlsx_cells_become_strings():
    data = xlsx(
        {
            "Pegawai": [
                ["nip", "nama", "status", "golongan", "aktif", "email"],
                [NIP, "Siti", "PNS", 9.0, True, None],
                [NIP[:-1] + "3", 2.5, "PPPK", date(2024, 1, 2), False, ""],
            ]
        }
    )
    first, second = read_xlsx(data).rows["employees"]
    assert (first.values["golongan"], first.values["aktif"], first.values["email"]) == (
        "9",
        "ya",
        "",
    )
    assert (second.values["nama"], second.values["golongan"], second.values["aktif"]) == (
        "2.5",
        "2024-01-02",
        "tidak",
    )


def test_xlsx_rows_are_numbered_as_in_the_sheet():
    data = xlsx(
        {
            "Pegawai": [
                [],
                ["nip", "nama", "status"],
                [NIP, "Siti", "PNS"],
                [],
                [NIP[:-1] + "3", "Budi", "PNS"],
            ]
        }
    )
    assert [r.number for r in read_xlsx(data).rows["employees"]] == [3, 5]


def test_an_empty_recognised_sheet_gives_no_rows():
    data = xlsx({"Pegawai": [["nip", "nama", "status"]], "Unit": []})
    assert read_xlsx(data).rows == {"employees": [], "units": []}


# --- File checks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("pegawai.xls", b"\xd0\xcf\x11\xe0 old excel"),
        ("pegawai.txt", b"nip,nama,status\n"),
        ("pegawai", b"nip,nama,status\n"),
        ("pegawai.xlsx", b"nip,nama,status\n"),  # a CSV renamed
        ("pegawai.xlsx", b"PK\x03\x04 not really a zip"),
        ("pegawai.csv", xlsx({"Pegawai": [["nip"]]})),  # a workbook renamed
        ("pegawai.csv", b""),
    ],
)
def test_files_are_checked_by_name_and_content(name, data):
    with pytest.raises(TabularError):
        tabular.check_file(name, data)


def test_a_zip_without_office_content_types_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TabularError):
        tabular.check_file("pegawai.xlsx", out.getvalue())


def test_files_over_the_size_limit_are_refused():
    data = b"nip,nama,status\n" + b"x" * 2000
    assert tabular.check_file("a.csv", data, max_bytes=4096) == "csv"
    with pytest.raises(TabularError):
        tabular.check_file("a.csv", data, max_bytes=1024)


# --- Writing -------------------------------------------------------------------------------------


def test_csv_is_written_as_utf8_with_bom_and_commas_and_reads_back_the_same():
    records = [EMPLOYEE, EMPLOYEE | {"nip": NIP[:-1] + "3", "nama": 'Budi "B", S.E.', "email": ""}]
    data = tabular.write_csv("employees", records)
    assert data.startswith(b"\xef\xbb\xbfnip,nama,status,")
    assert b"\r\n" in data
    rows = read_csv(data).rows["employees"]
    assert [r.values for r in rows] == records


def test_xlsx_is_written_with_the_sheets_in_order_and_nips_as_text():
    tables = {key: [] for key in ORDER} | {"employees": [EMPLOYEE]}
    data = tabular.write_xlsx(tables)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Instansi", "Unit", "Jabatan", "Pegawai", "Petunjuk"]
    sheet = workbook["Pegawai"]
    assert [c.value for c in sheet[1]] == SHEETS["employees"].column_names
    assert all(c.font.b for c in sheet[1])
    nip = sheet["A2"]
    assert (nip.value, nip.data_type, nip.number_format) == (NIP, "s", "@")
    assert read_xlsx(data).rows["employees"][0].values == EMPLOYEE


def test_the_template_has_empty_data_sheets_and_explains_every_column():
    data = tabular.template_xlsx()
    workbook = load_workbook(io.BytesIO(data))
    for key in ORDER:
        sheet = workbook[SHEETS[key].title]
        assert sheet.max_row == 1
        assert [c.value for c in sheet[1]] == SHEETS[key].column_names
    explained = {
        (row[0], row[1]): (row[2], row[4])
        for row in workbook["Petunjuk"].iter_rows(values_only=True)
        if row[0] in {s.title for s in SHEETS.values()}
    }
    for sheet in SHEETS.values():
        for column in sheet.columns:
            required, example = explained[(sheet.title, column.name)]
            assert example == column.example
            assert required == (gettext("yes") if column.required else gettext("no"))
    assert workbook.active.title == "Petunjuk"
    # Uploading the template unchanged imports nothing.
    assert read_file("templat.xlsx", data).row_count == 0
