"""The XLSX export of a unit's plans (``skp:plans_xlsx``): one row per IKI with numbers
and dates typed, user text kept as text (a formula typed into an RHK is never run), rights,
bad parameters, cost. The ratings export:
``kinerja/evaluations/tests/test_view_ratings_xlsx.py``."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from kinerja.skp import documents
from kinerja.skp.tests.factories import approved_plan
from kinerja.testing.language import english

from .support import FORMULA, PKM, PLANS, UnitDownloadRights, rated_plan, sheet, title

pytestmark = pytest.mark.django_db


EMPLOYEE_TEXT = "Terlaksananya asuhan keperawatan pasien rawat jalan"


def by_header(rows: list[list], columns) -> list[dict]:
    header = rows[0]
    assert header == documents.column_titles(columns)
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


@pytest.fixture
def rated(cast):
    return rated_plan(cast)


# --- Plans -----------------------------------------------------------------------------------


def test_the_plans_export_has_one_row_per_iki_with_numbers_and_dates(client_for, cast):
    skp = approved_plan(cast)
    response = client_for(cast.rater).get(PLANS, {"unit": PKM, "year": 2026})
    assert response["Content-Disposition"] == (
        'attachment; filename="rencana-skp-DINKES-PKM-PLAJU-2026.xlsx"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = by_header(sheet(response, "Rencana SKP"), documents.PLAN_COLUMNS)
    mine = [r for r in rows if r["NIP"] == cast.employees["employee"].nip]
    assert len(mine) == 2
    first, second = mine
    assert first[title("Name")] == "Siti Aminah, A.Md.Kep"
    assert first[title("Position")] == "Perawat Terampil"
    assert first[title("State")] == "Disetujui"
    assert first[title("Group")] == "Utama"
    assert first[title("Result no.")] == 1
    assert first[title("Work result (RHK)")] == EMPLOYEE_TEXT
    assert first[title("Aspect")] == "Kuantitas"
    assert first[title("Target")] == 1200
    assert first[title("Unit of measure")] == "pasien"
    assert isinstance(first[title("Starts on")], datetime)
    assert first[title("Starts on")].date() == date(2026, 1, 1)
    assert second[title("Aspect")] == "Kualitas"
    assert second[title("Target")] is None
    assert (second[title("Target from")], second[title("Target to")]) == (80, 90)
    assert skp.pk  # the plan the rows came from


def test_the_plans_export_names_the_supported_result_and_keeps_plans_without_results(
    client_for, cast
):
    from kinerja.skp import services

    leader = approved_plan(cast, "rater")
    approved_plan(cast, supports=leader.results.get())
    services.skp_create(employee=cast.employees["colleague"], year=2026, by=cast.colleague)
    rows = by_header(
        sheet(client_for(cast.head).get(PLANS, {"unit": "DINKES", "year": "2026"}), "Rencana SKP"),
        documents.PLAN_COLUMNS,
    )
    employee = [r for r in rows if r["NIP"] == cast.employees["employee"].nip]
    assert {r[title("Leader's result supported / agency indicator")] for r in employee} == {
        EMPLOYEE_TEXT
    }
    colleague = [r for r in rows if r["NIP"] == cast.employees["colleague"].nip]
    assert len(colleague) == 1
    assert colleague[0][title("State")] == "Draft"
    assert colleague[0][title("Work result (RHK)")] in ("", None)
    assert {r["NIP"] for r in rows} == {
        cast.employees[k].nip for k in ("employee", "colleague", "rater")
    }


def test_main_results_come_before_additional_ones_whatever_the_order_they_were_added(
    client_for, cast
):
    from kinerja.skp import services

    skp = services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    for kind, text in (("tambahan", "Laporan posyandu"), ("utama", "Asuhan keperawatan")):
        services.rhk_add(
            skp=skp, by=cast.employee, kind=kind, text=text,
            indicators=[{"aspect": "kuantitas", "text": "Jumlah", "target": "3", "unit": "kali"}],
        )  # fmt: skip
    rows = by_header(
        sheet(client_for(cast.employee).get(PLANS, {"unit": PKM, "year": 2026}), "Rencana SKP"),
        documents.PLAN_COLUMNS,
    )
    assert [(r[title("Group")], r[title("Work result (RHK)")]) for r in rows] == [
        ("Utama", "Asuhan keperawatan"),
        ("Tambahan", "Laporan posyandu"),
    ]


def test_a_year_without_plans_gives_only_the_header(client_for, cast):
    approved_plan(cast)
    rows = sheet(client_for(cast.head).get(PLANS, {"unit": PKM, "year": 2025}), "Rencana SKP")
    assert rows == [documents.column_titles(documents.PLAN_COLUMNS)]


def test_a_colleague_gets_only_the_plans_they_may_see(client_for, cast):
    approved_plan(cast)
    approved_plan(cast, "colleague")
    rows = sheet(client_for(cast.colleague).get(PLANS, {"unit": PKM, "year": 2026}), "Rencana SKP")
    assert {row[0] for row in rows[1:]} == {cast.employees["colleague"].nip}


def test_a_formula_typed_into_a_result_comes_out_as_text_and_numbers_stay_numbers(client_for, cast):
    from kinerja.skp import services

    skp = services.skp_create(employee=cast.employees["employee"], year=2026, by=cast.employee)
    services.rhk_add(
        skp=skp, by=cast.employee, kind="utama", text=FORMULA,
        indicators=[{"aspect": "kuantitas", "text": "+62 dilayani", "target": "1200",
                     "unit": "@pasien"}],
    )  # fmt: skip
    response = client_for(cast.employee).get(PLANS, {"unit": PKM, "year": 2026})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, row = list(workbook["Rencana SKP"].iter_rows(min_row=1, max_row=2))
    cells = {h.value: c for h, c in zip(header, row, strict=True)}
    for column, typed in (
        ("Work result (RHK)", FORMULA),
        ("Individual performance indicator (IKI)", "+62 dilayani"),
        ("Unit of measure", "@pasien"),
    ):
        cell = cells[title(column)]
        assert (cell.data_type, cell.value) == ("s", typed), column
    target = cells[title("Target")]
    assert (target.data_type, target.value) == ("n", 1200)
    assert cells[title("Result no.")].value == 1


# --- Rights and parameters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "message"),
    [
        (PLANS, {"year": 2026}, "Choose a unit by its code"),
        (PLANS, {"unit": PKM, "year": "dua ribu"}, "The year must be a number"),
        (PLANS, {"unit": PKM, "year": "1999"}, "The year must lie between 2000 and 2100"),
    ],
)
def test_bad_parameters_get_a_400_page_that_says_what_to_write(
    client_for, cast, url, params, message
):
    client = client_for(cast.admin)
    english(client)
    response = client.get(url, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_file_names_are_plain_ascii():
    assert documents.safe_filename('rencana skp/ÜNIT"x', "xlsx") == "rencana-skp-NIT-x.xlsx"
    assert re.fullmatch(r"[A-Za-z0-9._-]+", documents.safe_filename("ÄÖ", "pdf"))


class TestPlansDownloadRights(UnitDownloadRights):
    url = PLANS
    sheet_title = "Rencana SKP"
    rows_of_four_plans = 8
