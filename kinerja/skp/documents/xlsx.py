"""The XLSX exports of plans: a unit's plans, one row per IKI (:func:`write_plans_xlsx`), and
the sheet every export of individual performance writes through (:class:`Sheet`: a bold,
frozen header, typed cells, and user text kept as text by :mod:`kinerja.core.tabular.export`,
so that a text typed as ``=HYPERLINK(…)`` is never run by a spreadsheet).

The exports read one streamed query each (values across the joins, ``iterator()``), so their
cost does not grow with the number of plans; openpyxl's write-only mode keeps memory flat.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import IO

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kinerja.core.tabular.export import append_safe, xlsx_value
from kinerja.organizations.models import Unit

from ..models import RhkKind
from .common import (
    APPROACH_NAMES,
    ASPECT_NAMES,
    DOCUMENT_LANGUAGE,
    KIND_NAMES,
    PERSPECTIVE_NAMES,
    STATE_NAMES,
    printed,
)

DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0.####"

# --- The sheet -------------------------------------------------------------------------------


def column_titles(columns) -> list[str]:
    with translation.override(DOCUMENT_LANGUAGE):
        return [_(title) for title, _width in columns]


def _number(value) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class Sheet:
    """A write-only sheet with a bold, frozen header row and typed cells: dates and decimals
    formatted, text through :func:`~kinerja.core.tabular.export.xlsx_value` (a text that
    starts like a formula is a string cell)."""

    def __init__(self, workbook, title: str, columns):
        self.ws = workbook.create_sheet(title)
        for index, (_title, width) in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.ws.freeze_panes = "A2"
        fill = PatternFill("solid", fgColor="DCE6F0")
        header = []
        for title in column_titles(columns):
            cell = WriteOnlyCell(self.ws, value=title)
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header.append(cell)
        self.ws.append(header)

    def _cell(self, value):
        if isinstance(value, date):
            cell = WriteOnlyCell(self.ws, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        if isinstance(value, Decimal):
            cell = WriteOnlyCell(self.ws, value=_number(value))
            cell.number_format = NUMBER_FORMAT
            return cell
        return xlsx_value(self.ws, value)

    def append(self, values: list) -> None:
        self.ws.append([self._cell(value) for value in values])


def info_sheet(workbook, facts: list[tuple[str, object]]) -> None:
    """What the workbook holds: the unit, the year (and period) and when it was made."""
    ws = workbook.create_sheet("Info")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 50
    for label, value in facts:
        append_safe(ws, [label, value])


# --- A unit's plans --------------------------------------------------------------------------

PLAN_COLUMNS = [
    ("NIP", 21),
    (gettext_noop("Name"), 30),
    (gettext_noop("Position"), 28),
    (gettext_noop("Work unit"), 28),
    (gettext_noop("Year"), 7),
    (gettext_noop("Starts on"), 12),
    (gettext_noop("Ends on"), 12),
    (gettext_noop("State"), 14),
    (gettext_noop("Approach"), 12),
    (gettext_noop("Group"), 10),
    (gettext_noop("Result no."), 8),
    (gettext_noop("Work result (RHK)"), 45),
    (gettext_noop("Leader's result supported / agency indicator"), 45),
    (gettext_noop("Perspective"), 18),
    (gettext_noop("Aspect"), 11),
    (gettext_noop("Indicator no."), 8),
    (gettext_noop("Individual performance indicator (IKI)"), 45),
    (gettext_noop("Target"), 11),
    (gettext_noop("Target from"), 11),
    (gettext_noop("Target to"), 11),
    (gettext_noop("Unit of measure"), 12),
]


def _kind_order():
    return Case(
        When(results__kind=RhkKind.MAIN, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


PLAN_FIELDS = [
    "pk",
    "employee__nip",
    "employee__name",
    "position_name",
    "position_kind",
    "unit__name",
    "year",
    "starts_on",
    "ends_on",
    "state",
    "approach",
    "results__pk",
    "results__kind",
    "results__number",
    "results__text",
    "results__supports__text",
    "results__indicator__code",
    "results__indicator__name",
    "results__perspective",
    "results__indicators__number",
    "results__indicators__aspect",
    "results__indicators__text",
    "results__indicators__target",
    "results__indicators__target_low",
    "results__indicators__target_high",
    "results__indicators__unit_of_measure",
]


def plan_rows(plans):
    """One dict per IKI of ``plans`` (a plan or result without indicators gives one row with
    the missing part empty), in the order of the sheet: one streamed query."""
    return (
        plans.annotate(kind_order=_kind_order())
        .order_by(
            "employee__name",
            "employee__nip",
            "starts_on",
            "pk",
            "kind_order",
            "results__number",
            "results__indicators__number",
        )
        .values(*PLAN_FIELDS)
        .iterator(chunk_size=2000)
    )


def _plan_line(row: dict) -> list:
    """The sheet's row of one IKI (or of a plan or result without one)."""
    if row["position_kind"] == "jpt" and row["results__indicator__code"]:
        supports = f"{row['results__indicator__code']} {row['results__indicator__name']}"
    else:
        supports = row["results__supports__text"] or ""
    has_range = (
        row["results__indicators__target_low"] is not None
        and row["results__indicators__target_high"] is not None
    )
    return [
        row["employee__nip"],
        row["employee__name"],
        row["position_name"],
        row["unit__name"],
        row["year"],
        row["starts_on"],
        row["ends_on"],
        STATE_NAMES.get(row["state"], row["state"]),
        APPROACH_NAMES.get(row["approach"], row["approach"]),
        KIND_NAMES.get(row["results__kind"], ""),
        row["results__number"],
        row["results__text"] or "",
        supports,
        PERSPECTIVE_NAMES.get(row["results__perspective"] or "", ""),
        ASPECT_NAMES.get(row["results__indicators__aspect"] or "", ""),
        row["results__indicators__number"],
        row["results__indicators__text"] or "",
        None if has_range else row["results__indicators__target"],
        row["results__indicators__target_low"] if has_range else None,
        row["results__indicators__target_high"] if has_range else None,
        row["results__indicators__unit_of_measure"] or "",
    ]


def write_plans_xlsx(plans, out: IO[bytes], *, unit: Unit, year: int) -> None:
    """The unit's plans, one row per IKI, into ``out``."""
    with translation.override(DOCUMENT_LANGUAGE):
        workbook = Workbook(write_only=True)
        sheet = Sheet(workbook, "Rencana SKP", PLAN_COLUMNS)
        for row in plan_rows(plans):
            sheet.append(_plan_line(row))
        info_sheet(
            workbook,
            [
                (_("Unit"), f"{unit.code} {unit.name}"),
                (_("Year"), year),
                (_("Printed"), printed(timezone.now())),
            ],
        )
        workbook.save(out)
