"""The indicator workbook (``strategy:export``) never writes a formula: text a person typed
that begins like one is a string cell, while numbers stay numbers; imported again it changes
nothing. The LKjIP table: ``test_view_report_xlsx.py``."""

from __future__ import annotations

from django.urls import reverse

from kinerja.strategy.imports.read import read_workbook
from kinerja.strategy.imports.store import import_workbook
from kinerja.strategy.models import Indicator

from .support import PLANTED, cells_of, no_formulas
from .workbook_support import YEAR


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
