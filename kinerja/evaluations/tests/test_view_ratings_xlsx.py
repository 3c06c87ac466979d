"""The XLSX export of a unit's ratings (``evaluations:ratings_xlsx``): one row per evaluation with
the period, ratings, predicate, credit points and objection; one period or the year; user text
kept as text while numbers stay numbers; rights, bad parameters, cost."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from kinerja.evaluations import documents
from kinerja.organizations.models import Employee
from kinerja.skp.documents import column_titles
from kinerja.skp.tests.support import (
    FORMULA,
    PKM,
    RATINGS,
    UnitDownloadRights,
    rated_plan,
    sheet,
    title,
)
from kinerja.testing.language import english

pytestmark = pytest.mark.django_db


def by_header(rows: list[list], columns) -> list[dict]:
    header = rows[0]
    assert header == column_titles(columns)
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


@pytest.fixture
def rated(cast):
    return rated_plan(cast)


# --- Ratings ---------------------------------------------------------------------------------


def test_the_ratings_export_has_one_row_per_evaluation(client_for, cast, rated):
    response = client_for(cast.pengelola).get(RATINGS, {"unit": PKM, "year": 2026})
    assert response["Content-Disposition"] == (
        'attachment; filename="penilaian-DINKES-PKM-PLAJU-2026.xlsx"'
    )
    rows = by_header(sheet(response, "Penilaian"), documents.RATING_COLUMNS)
    assert [r[title("Period code")] for r in rows] == ["2026-Q1", "2026"]
    quarter, annual = rows
    assert quarter["NIP"] == cast.employees["employee"].nip
    assert quarter[title("Period")] == "Triwulan I 2026"
    assert quarter[title("Results rating")] == "Sesuai Ekspektasi"
    assert quarter[title("Behaviour rating")] == "Di Atas Ekspektasi"
    assert quarter[title("Suggested results rating")] == "Sesuai Ekspektasi"
    assert quarter[title("Mean achievement (%)")] == 105
    assert quarter[title("Predicate")] == "Baik"
    assert quarter[title("State")] == "Dinilai"
    assert isinstance(quarter[title("Rated on")], datetime)
    assert quarter[title("Credit points")] == 1.25  # the ledger: 3 months Baik as Terampil
    assert quarter[title("Objection")] in ("", None)
    assert annual[title("Period")] == "Tahunan 2026"
    assert annual[title("Predicate")] == "Baik"
    assert annual[title("State")] == "Final"
    assert annual[title("Months")] == 12
    assert annual[title("Credit points")] == 5
    assert annual[title("Objection")] == "Diterima (predikat diubah)"
    assert annual[title("Predicate before the objection")] == "Butuh Perbaikan"


def test_the_ratings_export_takes_one_period(client_for, cast, rated):
    response = client_for(cast.head).get(RATINGS, {"unit": PKM, "period": "2026-q1"})
    assert 'filename="penilaian-DINKES-PKM-PLAJU-2026-Q1.xlsx"' in response["Content-Disposition"]
    rows = by_header(sheet(response, "Penilaian"), documents.RATING_COLUMNS)
    assert [r[title("Period code")] for r in rows] == ["2026-Q1"]


def test_a_formula_in_a_name_comes_out_as_text_and_numbers_stay_numbers(client_for, cast, rated):
    Employee.objects.filter(pk=cast.employees["employee"].pk).update(name=FORMULA)
    response = client_for(cast.pengelola).get(RATINGS, {"unit": PKM, "year": 2026})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header, quarter, annual = list(workbook["Penilaian"].iter_rows(min_row=1, max_row=3))
    cells = {h.value: c for h, c in zip(header, quarter, strict=True)}
    name = cells[title("Name")]
    assert (name.data_type, name.value) == ("s", FORMULA)
    mean = cells[title("Mean achievement (%)")]
    assert (mean.data_type, mean.value) == ("n", 105)
    points = {h.value: c for h, c in zip(header, annual, strict=True)}[title("Credit points")]
    assert (points.data_type, points.value) == ("n", 5)


# --- Rights and parameters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "message"),
    [
        (RATINGS, {"unit": PKM, "year": "20x6"}, "The year must be a number"),
        (RATINGS, {"unit": PKM, "period": "2026-Q5"}, "The quarter must be 1–4"),
        (RATINGS, {"unit": PKM, "period": "TW1"}, "Write the period as YYYY"),
        (RATINGS, {"unit": PKM, "year": 2025, "period": "2026-Q1"}, "does not lie in 2025"),
        (RATINGS, {"unit": "NOPE", "year": "x"}, "The year must be a number"),
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


# --- Cost ------------------------------------------------------------------------------------


class TestRatingsDownloadRights(UnitDownloadRights):
    url = RATINGS
    sheet_title = "Penilaian"
    rows_of_four_plans = 4
