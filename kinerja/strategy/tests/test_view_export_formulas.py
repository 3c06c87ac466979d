"""The indicator workbook and the LKjIP chapter III table never write a formula: text a person
typed that begins like one is a string cell, while numbers stay numbers."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.organizations.models import Agency
from kinerja.strategy.imports.read import read_workbook
from kinerja.strategy.imports.store import import_workbook
from kinerja.strategy.models import Indicator, Realisation
from kinerja.strategy.tests.test_spreadsheets import YEAR, build_performance

PLANTED = '=HYPERLINK("http://x.example/","klik")'


@pytest.fixture
def planted(cast):
    """DINKES' performance data with user text that begins like formulas."""
    performance = build_performance(cast)
    Indicator.objects.filter(pk=performance.response.pk).update(
        name=PLANTED, unit_of_measure="-menit"
    )
    Realisation.objects.filter(indicator=performance.response, month=1).update(
        note="@SUM(A1:A9)", hindering="+banjir"
    )
    Agency.objects.filter(pk=cast.dinkes.pk).update(name="=Dinas Kesehatan")
    return performance


def cells_of(data: bytes, title: str):
    sheet = load_workbook(io.BytesIO(data))[title]
    return [list(row) for row in sheet.iter_rows()]


def no_formulas(data: bytes) -> bool:
    workbook = load_workbook(io.BytesIO(data))
    return not [c for ws in workbook for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_the_indicator_workbook_writes_such_text_as_string_cells(client_for, cast, planted):
    url = reverse("strategy:export", kwargs={"agency": "DINKES", "year": YEAR})
    data = client_for(cast.pengelola).get(url).content
    assert no_formulas(data)
    indicators = cells_of(data, "Indikator")
    header = [c.value for c in indicators[0]]
    row = next(r for r in indicators[1:] if r[header.index("kode")].value == "IKU-01")
    name, unit = row[header.index("nama")], row[header.index("satuan")]
    assert (name.value, name.data_type) == (PLANTED, "s")
    assert (unit.value, unit.data_type) == ("-menit", "s")
    realisations = cells_of(data, "Realisasi")
    header = [c.value for c in realisations[0]]
    january = next(
        r
        for r in realisations[1:]
        if (r[header.index("kode_indikator")].value, r[header.index("periode")].value)
        == ("IKU-01", f"{YEAR}-01")
    )
    note, hindering = january[header.index("catatan")], january[header.index("faktor_penghambat")]
    assert (note.value, note.data_type) == ("@SUM(A1:A9)", "s")
    assert (hindering.value, hindering.data_type) == ("+banjir", "s")
    value = january[header.index("nilai")]
    assert (value.value, value.data_type) == (14.5, "n")


def test_the_indicator_workbook_imported_again_changes_nothing(client_for, cast, planted):
    url = reverse("strategy:export", kwargs={"agency": "DINKES", "year": YEAR})
    data = client_for(cast.pengelola).get(url).content
    outcome = import_workbook(read_workbook("x.xlsx", data), by=cast.pengelola, dry_run=True)
    assert outcome.ok, outcome.errors
    assert all(c["created"] + c["updated"] == 0 for c in outcome.summary())
    assert Indicator.objects.get(pk=planted.response.pk).name == PLANTED


def test_the_lkjip_table_writes_such_text_as_string_cells(client_for, cast, planted):
    url = reverse("strategy:report_xlsx", kwargs={"agency": "DINKES", "year": YEAR})
    data = client_for(cast.pengelola).get(url).content
    assert no_formulas(data)
    rows = cells_of(data, "Bab III")
    agency = rows[1][0]
    assert (agency.value, agency.data_type) == ("=Dinas Kesehatan", "s")
    item = next(r for r in rows if str(r[1].value).startswith("IKU-01"))
    assert (item[1].value, item[1].data_type) == (f"IKU-01 {PLANTED}", "s")
    assert (item[2].value, item[2].data_type) == ("-menit", "s")
    # The figures stay numbers: number, target, realisation, achievement.
    assert [(c.value, c.data_type) for c in (item[0], item[3], item[4], item[5])] == [
        (1, "n"),
        (15, "n"),
        (14.69, "n"),
        (102.08, "n"),
    ]
