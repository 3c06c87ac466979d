"""The import template (``strategy:import_template``): the three sheets without data rows."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from .workbook_support import TEMPLATE

# --- Template and export ---------------------------------------------------------------------


def test_the_template_has_the_three_sheets_without_data_rows(client_for, cast):
    response = client_for(cast.pengelola).get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Indikator", "Target", "Realisasi", "Petunjuk"]
    assert [workbook[t].max_row for t in ("Indikator", "Target", "Realisasi")] == [1, 1, 1]
