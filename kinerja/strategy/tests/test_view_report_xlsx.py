"""The LKjIP chapter III table as XLSX (``strategy:report_xlsx``): for the agency's people;
text a person typed that begins like a formula is a string cell, numbers stay numbers."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .support import PLANTED, READERS, cells_of, no_formulas, xlsx_url
from .workbook_support import YEAR


@pytest.mark.parametrize("persona", READERS)
def test_the_agencys_people_download_the_xlsx(client_for, cast, table, persona):
    response = client_for(getattr(cast, persona)).get(xlsx_url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"lkjip-bab3-DINKES-{YEAR}.xlsx" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Bab III"]


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
