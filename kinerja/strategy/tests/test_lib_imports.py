"""Reading, checking and storing the indicator workbook (``kinerja.strategy.imports``): cells
as exact numbers and periods; new indicators, targets and values stored through the operations,
a changed value as a correction, a column left out kept; Indonesian words read as the stored
choices; a dry run stores nothing; every wrong row named by sheet, row and column, and nothing
stored; a file that is no workbook, or too big, refused as a whole."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pytest

from kinerja.core.models import AuditRecord, Channel
from kinerja.core.numbers import NumberError
from kinerja.strategy import imports
from kinerja.strategy.imports import cell_decimal
from kinerja.strategy.models import (
    Indicator,
    IndicatorTarget,
    QuarterTarget,
    Realisation,
    RealisationState,
)

from .workbook_support import (
    INDICATOR_HEADER,
    REALISATION_HEADER,
    YEAR,
    build_performance,
    run_import,
    workbook_bytes,
)


def where(outcome) -> set[tuple[str, int | None, str]]:
    return {(e.sheet, e.row, e.column) for e in outcome.errors}


# --- Cells -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (0.1, D("0.1")),  # a float cell: no binary noise
        (0.30000000000000004, D("0.3")),  # computed in Excel: rounded to four decimals
        (12.0, D("12")),
        (83.33333333333333, D("83.3333")),
        (1234567.25, D("1234567.25")),
        (-2.5, D("-2.5")),
        (7, D("7")),
        ("12,5", D("12.5")),  # the Indonesian decimal comma
        ("12.5", D("12.5")),
        (" 14,25 ", D("14.25")),
        ("", None),
        (None, None),
    ],
)
def test_a_number_cell_becomes_an_exact_decimal(cell, expected):
    value = cell_decimal(cell)
    assert value == expected
    if expected is not None:
        assert str(value) == str(expected)


@pytest.mark.parametrize(
    "cell",
    # A date cell comes from the reader as a naive datetime, as Excel keeps it.
    ["dua belas", "12,5,1", "1.2345678", date(2026, 3, 1), datetime(2026, 3, 1, 0, 0)],  # noqa: DTZ001
)
def test_a_cell_that_is_no_number_is_refused(cell):
    with pytest.raises(NumberError):
        cell_decimal(cell)


def test_a_float_cell_of_point_one_is_stored_as_exactly_point_one(performance, cast):
    data = workbook_bytes(
        {
            "Realisasi": [
                REALISATION_HEADER,
                ["DINKES", "IKU-03", f"{YEAR}-02", 0.1, ""],
                ["DINKES", "IKU-03", f"{YEAR}-03", 0.30000000000000004, ""],
            ]
        }
    )
    outcome = run_import(data, user=cast.pengelola)
    assert outcome.ok, outcome.errors
    values = dict(
        Realisation.objects.current()
        .filter(indicator=performance.occupancy)
        .values_list("month", "value")
    )
    assert values[2] == D("0.1")
    assert str(values[2]).rstrip("0") == "0.1"
    assert values[3] == D("0.3")


@pytest.mark.parametrize(
    ("cell", "month"),
    [(f"{YEAR}-05", 5), (date(YEAR, 7, 1), 7), (datetime(YEAR, 8, 1), 8)],  # noqa: DTZ001
)
def test_a_period_may_be_text_or_the_date_excel_made_of_it(performance, cast, cell, month):
    data = workbook_bytes(
        {"Realisasi": [REALISATION_HEADER, ["DINKES", "IKU-01", cell, "12,5", "x"]]}
    )
    outcome = run_import(data, user=cast.pengelola)
    assert outcome.ok, outcome.errors
    stored = Realisation.objects.current().get(indicator=performance.response, month=month)
    assert (stored.year, stored.value) == (YEAR, D("12.5"))


# --- Storing -----------------------------------------------------------------------------


def full_workbook(year: int = YEAR) -> bytes:
    return workbook_bytes(
        {
            "Indikator": [
                [*INDICATOR_HEADER, "periode", "sumber", "rumus", "kode_sasaran", "aktif"],
                [
                    "DINKES",
                    "IKU-10",
                    "Persentase  puskesmas  terakreditasi",
                    "%",
                    "semakin tinggi semakin baik",
                    "terakhir",
                    "tahunan",
                    "",
                    "",
                    "S1.1",
                    "ya",
                ],
                [
                    "dinkes",
                    "iku-11",
                    "Angka kematian ibu",
                    "per 100.000 KH",
                    "lower_is_better",
                    "sum",
                    "monthly",
                    "manual",
                    "",
                    "",
                    "",
                ],
                [
                    "DINKES",
                    "IKU-12",
                    "Rasio",
                    "%",
                    "higher_is_better",
                    "last",
                    "",
                    "rumus",
                    "{IKU-10} / {IKU-11}",
                    "",
                    "",
                ],
            ],
            "Target": [
                ["kode_instansi", "kode_indikator", "tahun", "target", "tw1", "tw2", "tw3", "tw4"],
                ["DINKES", "IKU-10", year, "87,5", None, None, None, 87.5],
                ["DINKES", "IKU-11", year, 2, 1, 0, 1, 0],
            ],
            "Realisasi": [
                [*REALISATION_HEADER, "faktor_pendukung", "faktor_penghambat"],
                ["DINKES", "IKU-10", f"{year}-12", 80, "SK akreditasi", "Pendampingan", ""],
                ["DINKES", "IKU-11", f"{year}-03", 1, "", "", "Rujukan terlambat"],
            ],
        }
    )


def test_an_import_stores_new_indicators_targets_and_values_through_the_operations(cast):
    build_performance(cast, agree=False)
    outcome = run_import(full_workbook(), user=cast.pengelola)
    assert outcome.ok, outcome.errors
    assert [(c["created"], c["updated"], c["unchanged"]) for c in outcome.summary()] == [
        (3, 0, 0),
        (2, 0, 0),
        (2, 0, 0),
    ]
    new = Indicator.objects.get(agency=cast.dinkes, code="IKU-10")
    assert new.name == "Persentase puskesmas terakreditasi"
    assert (new.polarity, new.aggregation, new.period_type) == (
        "higher_is_better",
        "last",
        "yearly",
    )
    assert new.strategic_target.code == "S1.1"
    assert Indicator.objects.get(agency=cast.dinkes, code="IKU-11").name == "Angka kematian ibu"
    assert Indicator.objects.get(agency=cast.dinkes, code="IKU-12").formula == (
        "{IKU-10} / {IKU-11}"
    )
    target = IndicatorTarget.objects.get(indicator=new, year=YEAR)
    assert target.value == D("87.5")
    assert list(target.quarters.values_list("quarter", "value")) == [(4, D("87.5"))]
    value = Realisation.objects.get(indicator=new, year=YEAR, month=12)
    assert (value.value, value.note, value.supporting) == (D(80), "SK akreditasi", "Pendampingan")
    assert value.state == RealisationState.SUBMITTED  # waits for verification
    assert value.entered_by == cast.pengelola
    records = AuditRecord.objects.filter(channel=Channel.IMPORT)
    assert records.filter(object_type="strategy.indicator").count() == 3
    assert records.filter(object_type="strategy.realisation").count() == 2
    assert set(records.values_list("actor_id", flat=True)) == {cast.pengelola.pk}


def test_a_changed_value_is_a_correction_that_keeps_the_earlier_one(performance, cast):
    data = workbook_bytes(
        {
            "Realisasi": [
                ["kode_instansi", "kode_indikator", "periode", "nilai"],
                ["DINKES", "IKU-01", f"{YEAR}-01", "14"],
            ]
        }
    )
    outcome = run_import(data, user=cast.pengelola)
    assert outcome.ok, outcome.errors
    assert outcome.summary()[0]["updated"] == 1
    history = Realisation.objects.filter(indicator=performance.response, year=YEAR, month=1)
    assert history.count() == 2
    current = history.get(superseded_at=None)
    assert current.value == D(14)
    # the texts were left out of the sheet: they stay
    assert current.note == "Rekap register IGD bulan 1"
    assert current.supporting == "Ambulans kedua siaga"


def test_a_column_left_out_keeps_the_stored_values(performance, cast):
    data = workbook_bytes(
        {
            "Indikator": [
                INDICATOR_HEADER,
                [
                    "DINKES",
                    "IKU-01",
                    "Waktu respon gawat darurat",
                    "menit",
                    "lower_is_better",
                    "average",
                ],
            ]
        }
    )
    outcome = run_import(data, user=cast.pengelola)
    assert outcome.ok, outcome.errors
    performance.response.refresh_from_db()
    assert performance.response.name == "Waktu respon gawat darurat"
    assert performance.response.strategic_target.code == "S1.1"
    assert performance.response.owner_position_id == cast.positions["kapus"].pk
    record = AuditRecord.objects.get(channel=Channel.IMPORT)
    assert set(record.after) == {"name"}


@pytest.mark.parametrize(
    ("column", "word", "field", "stored"),
    [
        ("polaritas", "Semakin Rendah Semakin Baik", "polarity", "lower_is_better"),
        ("polaritas", "rentang", "polarity", "range"),
        ("agregasi", "rata-rata", "aggregation", "average"),
        ("agregasi", "jumlah", "aggregation", "sum"),
        ("periode", "triwulanan", "period_type", "quarterly"),
        ("rumus_lebih_rendah", "kebalikan", "lower_formula", "inverse"),
        ("di_atas_rentang", "penuh", "range_above", "full"),
        ("aktif", "tidak", "active", False),
        ("aktif", "", "active", True),
    ],
)
def test_indonesian_words_are_read_as_the_stored_choices(cast, column, word, field, stored):
    base = dict(
        zip(
            INDICATOR_HEADER,
            ["DINKES", "IKU-20", "Contoh", "%", "higher_is_better", "last"],
            strict=True,
        )
    )
    base[column] = word
    data = workbook_bytes({"Indikator": [list(base), list(base.values())]})
    outcome = run_import(data, user=cast.pengelola)
    assert outcome.ok, outcome.errors
    assert getattr(Indicator.objects.get(code="IKU-20"), field) == stored


def test_a_dry_run_checks_everything_and_stores_nothing(cast):
    build_performance(cast, agree=False)
    records = AuditRecord.objects.count()
    outcome = run_import(full_workbook(), user=cast.pengelola, dry_run=True)
    assert outcome.ok, outcome.errors
    assert not outcome.applied
    assert outcome.summary()[0]["created"] == 3
    assert not Indicator.objects.filter(code="IKU-10").exists()
    assert AuditRecord.objects.count() == records


# --- Errors: row and column, and nothing stored -------------------------------------------------


BAD_ROWS = [
    pytest.param(
        "Indikator",
        [*INDICATOR_HEADER, "sumber", "rumus"],
        ["DINKES", "IKU-30", "X", "%", "naik turun", "last", "", ""],
        "polaritas",
        id="unknown-polarity",
    ),
    pytest.param(
        "Indikator",
        [*INDICATOR_HEADER, "sumber", "rumus"],
        ["DINKES", "IKU-02", "X", "%", "higher_is_better", "last", "formula", "{IKU-04} * 2"],
        "rumus",
        id="formula-cycle",
    ),
    pytest.param(
        "Indikator",
        [*INDICATOR_HEADER, "sumber", "rumus"],
        ["DINKES", "IKU-30", "X", "%", "higher_is_better", "last", "formula", "{IKU-99} + 1"],
        "rumus",
        id="formula-unknown-code",
    ),
    pytest.param(
        "Indikator",
        [*INDICATOR_HEADER, "sumber", "rumus"],
        ["DINKES", "IKU-30", "X", "%", "higher_is_better", "last", "formula", "{IKU-01} +"],
        "rumus",
        id="formula-syntax",
    ),
    pytest.param(
        "Indikator",
        [*INDICATOR_HEADER, "kode_jabatan_pemilik"],
        ["DINKES", "IKU-30", "X", "%", "higher_is_better", "last", "DUKCAPIL-OPERATOR"],
        "kode_jabatan_pemilik",
        id="owner-of-another-agency",
    ),
    pytest.param(
        "Indikator",
        INDICATOR_HEADER,
        ["DINKES", "IKU 30", "X", "%", "higher_is_better", "last"],
        "kode",
        id="bad-code",
    ),
    pytest.param(
        "Indikator",
        INDICATOR_HEADER,
        ["BAPPEDA", "IKU-30", "X", "%", "higher_is_better", "last"],
        "kode_instansi",
        id="unknown-agency",
    ),
    pytest.param(
        "Target",
        ["kode_instansi", "kode_indikator", "tahun", "target"],
        ["DINKES", "IKU-01", YEAR, "lima belas"],
        "target",
        id="not-a-number",
    ),
    pytest.param(
        "Target",
        ["kode_instansi", "kode_indikator", "tahun", "target"],
        ["DINKES", "IKU-03", YEAR, 70],
        "target",
        id="one-value-for-a-range",
    ),
    pytest.param(
        "Target",
        ["kode_instansi", "kode_indikator", "tahun", "target", "tw2_bawah"],
        ["DINKES", "IKU-01", YEAR, 15, 10],
        "tw2_bawah",
        id="bounds-for-a-plain-indicator",
    ),
    pytest.param(
        "Target",
        ["kode_instansi", "kode_indikator", "tahun", "target"],
        ["DINKES", "IKU-01", YEAR, 12],
        "tahun",
        id="agreement-already-agreed",
    ),
    pytest.param(
        "Target",
        ["kode_instansi", "kode_indikator", "tahun", "target"],
        ["DINKES", "IKU-01", "26", 12],
        "tahun",
        id="year-of-two-digits",
    ),
    pytest.param(
        "Realisasi",
        REALISATION_HEADER,
        ["DINKES", "IKU-02", f"{YEAR}-05", 60, ""],
        "periode",
        id="quarterly-indicator-in-may",
    ),
    pytest.param(
        "Realisasi",
        REALISATION_HEADER,
        ["DINKES", "IKU-01", f"{YEAR + 2}-01", 10, ""],
        "periode",
        id="future-month",
    ),
    pytest.param(
        "Realisasi",
        REALISATION_HEADER,
        ["DINKES", "IKU-01", f"{YEAR}-13", 10, ""],
        "periode",
        id="month-13",
    ),
    pytest.param(
        "Realisasi",
        REALISATION_HEADER,
        ["DINKES", "IKU-04", f"{YEAR}-03", 10, ""],
        "kode_indikator",
        id="formula-indicator",
    ),
    pytest.param(
        "Realisasi",
        REALISATION_HEADER,
        ["DINKES", "IKU-77", f"{YEAR}-03", 10, ""],
        "kode_indikator",
        id="unknown-indicator",
    ),
    pytest.param(
        "Realisasi",
        REALISATION_HEADER,
        ["DINKES", "IKU-01", f"{YEAR}-03", "", "lupa"],
        "nilai",
        id="missing-value",
    ),
]


@pytest.mark.parametrize(("sheet", "header", "bad", "column"), BAD_ROWS)
def test_a_wrong_row_is_named_by_sheet_row_and_column_and_nothing_is_stored(
    performance, cast, sheet, header, bad, column
):
    """Row 2 is good, row 3 is wrong: the good one is not stored either."""
    good = {
        "Indikator": ["DINKES", "IKU-29", "Baik", "%", "higher_is_better", "last"],
        "Target": ["DUKCAPIL", "IKU-01", YEAR, 20],
        "Realisasi": ["DINKES", "IKU-01", f"{YEAR}-05", 15, "baik"],
    }[sheet]
    good = good + [""] * (len(header) - len(good))
    data = workbook_bytes({sheet: [header, good, bad]})
    records = AuditRecord.objects.count()
    counts = (
        Indicator.objects.count(),
        IndicatorTarget.objects.count(),
        Realisation.objects.count(),
    )
    quarter_targets = QuarterTarget.objects.count()
    outcome = run_import(data, user=cast.admin)
    assert where(outcome) == {(sheet, 3, column)}
    assert not outcome.applied
    assert str(outcome.errors[0]).startswith(f"{sheet}")
    assert AuditRecord.objects.count() == records
    assert (
        Indicator.objects.count(),
        IndicatorTarget.objects.count(),
        Realisation.objects.count(),
    ) == counts
    assert QuarterTarget.objects.count() == quarter_targets


def test_every_wrong_row_of_every_sheet_is_reported_at_once(performance, cast):
    data = workbook_bytes(
        {
            "Indikator": [INDICATOR_HEADER, ["DINKES", "IKU-30", "", "%", "x", "last"]],
            "Realisasi": [
                REALISATION_HEADER,
                ["DINKES", "IKU-01", "Maret", 1, ""],
                ["DINKES", "IKU-01", f"{YEAR}-02", "1,2,3", ""],
            ],
        }
    )
    outcome = run_import(data, user=cast.admin)
    assert where(outcome) == {
        ("Indikator", 2, "nama"),
        ("Indikator", 2, "polaritas"),
        ("Realisasi", 2, "periode"),
        ("Realisasi", 3, "nilai"),
    }
    assert [e.sheet for e in outcome.errors] == ["Indikator"] * 2 + ["Realisasi"] * 2


def test_a_row_twice_in_the_file_is_an_error_of_the_second(performance, cast):
    row = ["DINKES", "IKU-01", f"{YEAR}-05", 15, ""]
    outcome = run_import(workbook_bytes({"Realisasi": [REALISATION_HEADER, row, row]}))
    assert where(outcome) == {("Realisasi", 3, "periode")}


def test_rows_of_an_agency_one_does_not_manage_are_row_errors(performance, cast):
    data = workbook_bytes(
        {
            "Realisasi": [
                REALISATION_HEADER,
                ["DINKES", "IKU-01", f"{YEAR}-05", 15, ""],
                ["DUKCAPIL", "IKU-01", f"{YEAR}-02", 21, ""],
            ]
        }
    )
    records = AuditRecord.objects.count()
    outcome = run_import(data, user=cast.pengelola)  # who manages DINKES only
    assert where(outcome) == {("Realisasi", 3, "kode_instansi")}
    assert AuditRecord.objects.count() == records
    assert not Realisation.objects.filter(month=5).exists()


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("indikator.csv", b"kode_instansi,kode\n", ".xlsx"),
        ("indikator.xlsx", b"not a zip", "Excel"),
        ("kosong.xlsx", b"", ""),
    ],
)
def test_a_file_that_is_no_workbook_is_refused_as_a_whole(name, data, fragment):
    with pytest.raises(imports.TabularError) as caught:
        imports.read_workbook(name, data)
    assert caught.value.errors
    assert caught.value.errors[0].row is None


def test_a_workbook_without_the_sheets_or_with_unknown_columns_is_refused(db):
    with pytest.raises(imports.TabularError) as caught:
        imports.read_workbook("a.xlsx", workbook_bytes({"Sheet1": [["a"], [1]]}))
    assert caught.value.errors[0].sheet == ""
    data = workbook_bytes({"Target": [["kode_instansi", "kode_indikator", "tahun", "catatan"]]})
    with pytest.raises(imports.TabularError) as caught:
        imports.read_workbook("a.xlsx", data)
    assert {(e.sheet, e.row) for e in caught.value.errors} == {("Target", 1)}


def test_a_workbook_of_too_many_rows_is_refused_as_a_whole(monkeypatch):
    monkeypatch.setattr(imports.read, "MAX_ROWS", 2)
    rows = [["DINKES", "IKU-01", f"{YEAR}-0{m}", m, ""] for m in range(1, 4)]
    with pytest.raises(imports.TabularError) as caught:
        imports.read_workbook("a.xlsx", workbook_bytes({"Realisasi": [REALISATION_HEADER, *rows]}))
    assert caught.value.errors[0].row is None


def test_row_numbers_are_those_excel_shows_even_after_empty_rows(performance, cast):
    data = workbook_bytes(
        {
            "Realisasi": [
                [],
                REALISATION_HEADER,
                ["DINKES", "IKU-01", f"{YEAR}-05", 15, ""],
                [],
                ["DINKES", "IKU-01", f"{YEAR}-06", "x", ""],
            ]
        }
    )
    outcome = run_import(data, user=cast.admin)
    assert where(outcome) == {("Realisasi", 5, "nilai")}
