"""Indicators, targets and realisations written to an Excel workbook: the export of agencies'
year and the empty template, in the sheets and columns the import reads
(:mod:`kinerja.strategy.imports`), so that an export re-imports unchanged. Every cell goes
through the safe writers (:mod:`kinerja.core.tabular.write`): text that begins like a formula
stays text.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from kinerja.core.tabular import write
from kinerja.organizations.models import Agency

from .imports.columns import NUMBER_COLUMNS, ORDER, SHEETS, TEXT_COLUMNS
from .models import Indicator, IndicatorTarget, Realisation


def export_tables(agencies: Iterable[Agency], year: int) -> dict[str, list[dict[str, object]]]:
    """The indicators of ``agencies``, their targets of ``year`` and the current values of
    ``year`` as rows per sheet, in the import's own words: an export re-imports unchanged.
    Formula indicators have no realisation rows (they are computed). Five queries."""
    agency_ids = [a.pk for a in agencies]
    indicators = list(
        Indicator.objects.filter(agency_id__in=agency_ids)
        .select_related("agency", "strategic_target", "owner_unit", "owner_position")
        .order_by("agency__code", "code")
    )
    return {
        "indicators": [_indicator_row(ind) for ind in indicators],
        "targets": _target_rows(indicators, year),
        "realisations": _realisation_rows(indicators, year),
    }


def _indicator_row(ind: Indicator) -> dict[str, object]:
    return {
        "kode_instansi": ind.agency.code,
        "kode": ind.code,
        "nama": ind.name,
        "satuan": ind.unit_of_measure,
        "polaritas": ind.polarity,
        "agregasi": ind.aggregation,
        "periode": ind.period_type,
        "sumber": ind.data_source,
        "rumus": ind.formula,
        "rumus_lebih_rendah": ind.lower_formula,
        "di_atas_rentang": ind.range_above,
        "kode_sasaran": ind.strategic_target.code if ind.strategic_target else "",
        "kode_unit_pemilik": ind.owner_unit.code if ind.owner_unit else "",
        "kode_jabatan_pemilik": ind.owner_position.code if ind.owner_position else "",
        "aktif": "ya" if ind.active else "tidak",
    }


def _target_rows(indicators: list[Indicator], year: int) -> list[dict[str, object]]:
    targets = (
        IndicatorTarget.objects.filter(indicator__in=indicators, year=year)
        .select_related("indicator__agency")
        .prefetch_related("quarters")
        .order_by("indicator__agency__code", "indicator__code")
    )
    rows = []
    for target in targets:
        row: dict[str, object] = {
            "kode_instansi": target.indicator.agency.code,
            "kode_indikator": target.indicator.code,
            "tahun": year,
            "target": target.value,
            "target_bawah": target.low,
            "target_atas": target.high,
        }
        for q in target.quarters.all():
            row[f"tw{q.quarter}"] = q.value
            row[f"tw{q.quarter}_bawah"] = q.low
            row[f"tw{q.quarter}_atas"] = q.high
        rows.append(row)
    return rows


def _realisation_rows(indicators: list[Indicator], year: int) -> list[dict[str, object]]:
    realisations = (
        Realisation.objects.current()
        .filter(indicator__in=indicators, year=year)
        .select_related("indicator__agency")
        .order_by("indicator__agency__code", "indicator__code", "month")
    )
    return [
        {
            "kode_instansi": r.indicator.agency.code,
            "kode_indikator": r.indicator.code,
            "periode": f"{r.year}-{r.month:02d}",
            "nilai": r.value,
            "catatan": r.note,
            "faktor_pendukung": r.supporting,
            "faktor_penghambat": r.hindering,
        }
        for r in realisations
    ]


def number_cell(value: Decimal | None) -> int | float | str | None:
    """A stored decimal as an Excel number when Excel keeps it exactly (at most 15
    significant digits: Excel computes with it then), otherwise as text, which the import
    reads exactly."""
    if value is None:
        return None
    if len(value.normalize().as_tuple().digits) > EXCEL_DIGITS:
        return format(value.normalize(), "f")
    if value == value.to_integral_value():
        return int(value)
    return float(value)


#: Excel keeps 15 significant digits of a number.
EXCEL_DIGITS = 15


WIDTHS = {"nama": 44, "rumus": 30, "catatan": 36, "faktor_pendukung": 36, "faktor_penghambat": 36}
HELP_WIDTHS = (12, 22, 10, 80, 34)


def _width(column: str) -> int:
    return WIDTHS.get(column, 10 if column.startswith("tw") else 18)


def _cell(column: str, value: object) -> object:
    if column in NUMBER_COLUMNS:
        return number_cell(value)
    return "" if value is None else value


def write_workbook(
    tables: dict[str, Iterable[dict[str, object]]], *, open_at_help: bool = False
) -> bytes:
    """A workbook with the given sheets (in the order Indikator, Target, Realisasi) and the
    "Petunjuk" sheet that explains every column."""
    workbook = write.new_workbook()
    keys = [key for key in ORDER if key in tables]
    for key in keys:
        write.add_data_sheet(
            workbook,
            SHEETS[key],
            tables[key],
            width=_width,
            text_columns=TEXT_COLUMNS & set(SHEETS[key].column_names),
            value=_cell,
        )
    sheets = [SHEETS[key] for key in ORDER]
    write.add_help_sheet(workbook, sheets, _help_lines(), widths=HELP_WIDTHS)
    return write.workbook_bytes(workbook, active=len(keys) if open_at_help else None)


def _help_lines() -> list[str]:
    return [
        _(
            "Three sheets: Indikator (the agency's indicators), Target (yearly and quarterly "
            "targets of the performance agreement) and Realisasi (monthly values); any of them "
            "may be left out. Row 1 of each sheet holds the column names below."
        ),
        _("One row per indicator, per indicator and year, or per indicator and month."),
        _(
            "Leave out a column that is not required to keep the stored values of that column; "
            "an empty cell clears the value or gives the default."
        ),
        _(
            "Numbers: a decimal comma or a decimal point (12,5 or 12.5), at most four decimals, "
            "no thousands separators."
        ),
        _(
            "Target ranges (polarity range): fill target_bawah and target_atas, and for the "
            "quarters tw1_bawah/tw1_atas … tw4_bawah/tw4_atas; leave target and tw1 … tw4 empty."
        ),
        _("Targets change only while the year's performance agreement is a draft or was returned."),
        _(
            "Realisations are recorded as if typed in by hand: a new or changed value waits for "
            "verification. The period is a month written as text, YYYY-MM."
        ),
        _("Rows equal to the stored data change nothing."),
        _("Every row is checked first; if one row is wrong, nothing is stored."),
        _("This sheet is not imported."),
    ]


def template_workbook() -> bytes:
    """The downloadable template: the three sheets with their column names and no rows (an
    unchanged template imports as nothing), and the explanations with examples."""
    return write_workbook({key: [] for key in ORDER}, open_at_help=True)
