"""The agency's yearly performance table, as in chapter III of the LKjIP (Capaian Kinerja
Organisasi): per strategic target (sasaran) each indicator with its unit, target,
realisation, achievement and band, the average achievement, and the head's signature block.

One data structure (:func:`chapter_three`) feeds both documents: the XLSX sheet
(:func:`write_xlsx`) and the PDF (:func:`render_pdf` from the ``strategy/report.html``
template, by WeasyPrint). The documents are official, so they are written in Indonesian
whatever the reader's language, with Indonesian number formats (``87,50``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.contrib.staticfiles import finders
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.numberformat import format as number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.core import pdf
from kinerja.core.nip import format_nip
from kinerja.core.rules import Band, achievement_rules
from kinerja.core.tabular.columns import column_letter
from kinerja.core.tabular.export import append_safe
from kinerja.organizations.models import ActingOfficial, Agency, Employee

from .achievement import rounded
from .models import Indicator, StrategicTarget
from .selectors import IndicatorResult, Target, indicator_results

#: The language of official documents.
DOCUMENT_LANGUAGE = "id"
STYLESHEET = "strategy/report.css"


@dataclass
class ReportRow:
    number: int
    indicator: Indicator
    target: Target | None
    realisation: Decimal | None
    achievement_pct: Decimal | None
    band: Band | None

    @property
    def target_text(self) -> str:
        return target_text(self.target)

    @property
    def realisation_text(self) -> str:
        return decimal_text(self.realisation)

    @property
    def achievement_text(self) -> str:
        return decimal_text(self.achievement_pct, places=2)

    @property
    def band_class(self) -> str:
        return band_class(self.band)


@dataclass
class ReportGroup:
    strategic_target: StrategicTarget | None  # None: indicators without one
    rows: list[ReportRow] = field(default_factory=list)


@dataclass
class Signatory:
    position: str
    name: str
    nip: str  # formatted, e.g. 19850312 201001 1 002
    acting: str = ""  # "Plt." / "Plh." or empty


@dataclass
class ChapterThree:
    agency: Agency
    year: int
    printed_at: datetime  # aware; shown in WIB
    groups: list[ReportGroup]
    average_pct: Decimal | None
    average_band: Band | None
    measured: int
    bands: tuple[Band, ...]
    signatory: Signatory | None

    @property
    def rows(self) -> list[ReportRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def region_name(self) -> str:
        return self.agency.region.name

    @property
    def average_text(self) -> str:
        return decimal_text(self.average_pct, places=2)

    @property
    def average_band_class(self) -> str:
        return band_class(self.average_band)

    @property
    def printed_text(self) -> str:
        local = timezone.localtime(self.printed_at)
        with translation.override(DOCUMENT_LANGUAGE):
            return f"{formats.date_format(local, 'j F Y H.i')} WIB"

    @property
    def filename_stem(self) -> str:
        return f"lkjip-bab3-{self.agency.code}-{self.year}"


# --- Numbers as an Indonesian document writes them -------------------------------------------


def decimal_text(value: Decimal | None, *, places: int | None = None) -> str:
    """``87.5`` → ``"87,50"`` with ``places=2``; without, as many decimals as needed
    (``14.5000`` → ``"14,5"``); thousands with a dot; ``None`` → ``"–"``."""
    if value is None:
        return "–"
    if places is None:
        value = value.normalize() if value != value.to_integral_value() else value.quantize(1)
        decimal_pos = None
    else:
        decimal_pos = places
    return number_format(
        value,
        decimal_sep=",",
        decimal_pos=decimal_pos,
        grouping=3,
        thousand_sep=".",
        force_grouping=True,
    )


def target_text(target: Target | None) -> str:
    if target is None or not target.is_set:
        return "–"
    if target.value is not None:
        return decimal_text(target.value)
    return f"{decimal_text(target.low)}–{decimal_text(target.high)}"


def band_class(band: Band | None) -> str:
    """A CSS class per band (``band-sangat-baik``); ``band-none`` when not measurable."""
    return f"band-{slugify(band.label)}" if band is not None else "band-none"


# --- The data --------------------------------------------------------------------------------


def _shown(value: Decimal | None) -> Decimal | None:
    """A year's value as the table shows it: an average of months has many decimals; two
    are shown (half up), as the achievement."""
    return rounded(value)


def _signatory(agency: Agency) -> Signatory | None:
    """The holder of the agency's head position, or the acting official (Plt./Plh.)."""
    position = agency.head_position
    if position is None:
        return None
    holder = Employee.objects.filter(position=position, active=True).order_by("name").first()
    if holder is not None:
        return Signatory(position.name, holder.name, format_nip(holder.nip))
    acting = (
        ActingOfficial.objects.filter(position=position, ended_at=None)
        .select_related("employee")
        .first()
    )
    if acting is not None:
        return Signatory(
            position.name,
            acting.employee.name,
            format_nip(acting.employee.nip),
            acting={"plt": "Plt.", "plh": "Plh."}.get(acting.kind, ""),
        )
    return Signatory(position.name, "", "")


def chapter_three(*, agency: Agency, year: int, now: datetime | None = None) -> ChapterThree:
    """The table of the agency's indicators in ``year``: those active now, and any others
    that had a target that year. Grouped by strategic target in code order; indicators
    without one come last. A bounded number of queries."""
    indicators = list(
        Indicator.objects.filter(agency=agency)
        .filter(Q(active=True) | Q(targets__year=year))
        .distinct()
        .select_related("strategic_target")
        .order_by("code")
    )
    results: dict[int, IndicatorResult] = indicator_results(indicators, year)
    groups: dict[int | None, ReportGroup] = {}
    for ind in sorted(
        indicators,
        key=lambda i: (
            i.strategic_target is None,
            i.strategic_target.code if i.strategic_target else "",
            i.code,
        ),
    ):
        group = groups.setdefault(ind.strategic_target_id, ReportGroup(ind.strategic_target))
        annual = results[ind.pk].annual
        group.rows.append(
            ReportRow(
                number=0,
                indicator=ind,
                target=annual.target if annual else None,
                realisation=_shown(annual.realisation) if annual else None,
                achievement_pct=annual.achievement_pct if annual else None,
                band=annual.band if annual else None,
            )
        )
    ordered = list(groups.values())
    for number, row in enumerate((r for g in ordered for r in g.rows), start=1):
        row.number = number
    measured = [r.achievement_pct for g in ordered for r in g.rows if r.achievement_pct is not None]
    rules = achievement_rules(year)
    average = rounded(sum(measured, Decimal(0)) / len(measured)) if measured else None
    return ChapterThree(
        agency=agency,
        year=year,
        printed_at=now or timezone.now(),
        groups=ordered,
        average_pct=average,
        average_band=rules.band_for(average),
        measured=len(measured),
        bands=rules.bands,
        signatory=_signatory(agency),
    )


# --- The XLSX sheet --------------------------------------------------------------------------


def _text_colour(hex_colour: str) -> str:
    """Black or white, whichever reads better on the band's colour."""
    value = hex_colour.lstrip("#")
    try:
        r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return "000000"
    return "000000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "FFFFFF"


def _number(value: Decimal | None):
    """A decimal as an Excel number (floats hold these report values closely enough)."""
    return None if value is None else float(value)


#: The widths of the table's columns: No., indicator, unit, target, realisation, achievement, band.
WIDTHS = (6, 48, 12, 14, 14, 15, 16)
LAST = len(WIDTHS)


def _column_titles() -> list[str]:
    return [
        _("No."),
        _("Indicator"),
        _("Unit"),
        _("Target"),
        _("Realisation"),
        _("Achievement (%)"),
        _("Band"),
    ]


class _Sheet:
    """The sheet "Bab III" being written, with its styles. Every row goes through
    :func:`~kinerja.core.tabular.export.append_safe`: text from the data (names, indicators)
    is written as text, never as a formula."""

    def __init__(self, workbook):
        # openpyxl (~8 MB) is loaded when a report is written, not with the pages (see
        # kinerja.core.tabular.write).
        from openpyxl import styles

        self.styles = styles
        self.ws = workbook.active
        self.ws.title = "Bab III"
        thin = styles.Side(style="thin", color="999999")
        self.border = styles.Border(left=thin, right=thin, top=thin, bottom=thin)
        self.bold = styles.Font(bold=True)
        self.wrap = styles.Alignment(wrap_text=True, vertical="top")
        self.right = styles.Alignment(horizontal="right", vertical="top")

    def fill(self, colour: str):
        return self.styles.PatternFill("solid", fgColor=colour.lstrip("#").upper())

    def append(self, values: list) -> int:
        append_safe(self.ws, values)
        return self.ws.max_row

    def line(self, text: str, *, bold: bool = False, size: int | None = None) -> None:
        """A line of the heading, across the table's width."""
        row = self.append([text])
        if bold or size:
            self.ws.cell(row, 1).font = self.styles.Font(bold=bold, size=size or 11)
        self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=LAST)

    def band(self, row: int, band: Band, *, bold: bool = False) -> None:
        """Columns 6 and 7 of ``row`` in the band's colour, the text readable on it."""
        font = self.styles.Font(bold=bold, color=_text_colour(band.colour))
        for index in (6, 7):
            self.ws.cell(row, index).fill = self.fill(band.colour)
            self.ws.cell(row, index).font = font

    def heading(self, report: ChapterThree) -> int:
        """The document's heading and the table's header row; returns that row."""
        ws = self.ws
        for index, width in enumerate(WIDTHS):
            ws.column_dimensions[column_letter(index)].width = width
        self.line(_("Organisational performance achievement"), bold=True, size=14)
        self.line(report.agency.name, bold=True)
        self.line(_("Year %(year)d") % {"year": report.year})
        self.line(report.region_name)
        self.line(_("Printed %(when)s") % {"when": report.printed_text})
        ws.append([])
        header_row = self.append(_column_titles())
        centre = self.styles.Alignment(wrap_text=True, vertical="center", horizontal="center")
        for index in range(1, LAST + 1):
            cell = ws.cell(header_row, index)
            cell.font, cell.fill, cell.border = self.bold, self.fill("DCE6F0"), self.border
            cell.alignment = centre
        ws.freeze_panes = f"A{header_row + 1}"  # a string: ws.cell() would make a row
        return header_row

    def group(self, group: ReportGroup) -> None:
        """A strategic target's title across the table, then its indicators."""
        target = group.strategic_target
        title = (
            f"{_('Strategic target')} {target.code}: {target.text}"
            if target
            else _("Indicators without a strategic target")
        )
        row = self.append([title])
        for index in range(1, LAST + 1):
            self.ws.cell(row, index).fill = self.fill("F2F2F2")
            self.ws.cell(row, index).border = self.border
        self.ws.cell(row, 1).font = self.bold
        self.ws.cell(row, 1).alignment = self.wrap
        self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=LAST)
        for item in group.rows:
            self.item(item)

    def item(self, item: ReportRow) -> None:
        target = item.target
        target_cell = (
            _number(target.value)
            if target is not None and target.value is not None
            else item.target_text
        )
        row = self.append(
            [
                item.number,
                f"{item.indicator.code} {item.indicator.name}",
                item.indicator.unit_of_measure,
                target_cell,
                _number(item.realisation),
                _number(item.achievement_pct),
                item.band.label if item.band else _("not measurable"),
            ]
        )
        ws = self.ws
        for index in range(1, LAST + 1):
            ws.cell(row, index).border = self.border
            ws.cell(row, index).alignment = self.wrap
        for index in (4, 5):
            ws.cell(row, index).number_format = "#,##0.####"
            ws.cell(row, index).alignment = self.right
        ws.cell(row, 6).number_format = "0.00"
        ws.cell(row, 6).alignment = self.right
        if item.band is not None:
            self.band(row, item.band)

    def average(self, report: ChapterThree) -> None:
        label = ngettext(
            "Average achievement (%(count)d measurable indicator)",
            "Average achievement (%(count)d measurable indicators)",
            report.measured,
        ) % {"count": report.measured}
        band = report.average_band
        average = _number(report.average_pct)
        row = self.append(
            [label, None, None, None, None, average, band.label if band else _("not measurable")]
        )
        self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        for index in range(1, LAST + 1):
            self.ws.cell(row, index).font = self.bold
            self.ws.cell(row, index).border = self.border
        self.ws.cell(row, 6).number_format = "0.00"
        if band is not None:
            self.band(row, band, bold=True)

    def signature(self, signatory: Signatory) -> None:
        self.ws.append([])
        first = self.ws.max_row + 1
        for text in (
            f"{signatory.acting} {signatory.position}".strip(),
            "",
            "",
            "",
            signatory.name or "……………………………",
            f"NIP. {signatory.nip}" if signatory.nip else "",
        ):
            row = self.append([None, None, None, None, text])
            self.ws.merge_cells(start_row=row, start_column=5, end_row=row, end_column=LAST)
        self.ws.cell(first + 4, 5).font = self.styles.Font(bold=True, underline="single")


def write_xlsx(report: ChapterThree) -> bytes:
    """One sheet "Bab III": header, the table with band colours as fills, the average and
    the signature block."""
    from openpyxl import Workbook  # see _Sheet

    with translation.override(DOCUMENT_LANGUAGE):
        workbook = Workbook()
        sheet = _Sheet(workbook)
        header_row = sheet.heading(report)
        for group in report.groups:
            sheet.group(group)
        sheet.average(report)
        if report.signatory is not None:
            sheet.signature(report.signatory)
        sheet.ws.page_setup.orientation = "landscape"
        sheet.ws.page_setup.fitToWidth = 1
        sheet.ws.print_title_rows = f"{header_row}:{header_row}"
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


# --- The PDF ---------------------------------------------------------------------------------


def _stylesheet() -> str:
    path = finders.find(STYLESHEET)
    if not path:
        return ""
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def report_html(report: ChapterThree) -> str:
    """The HTML the PDF is made from (``strategy/report.html``), in Indonesian, with the
    print stylesheet inlined (WeasyPrint reads nothing from outside)."""
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(
            "strategy/report.html",
            {
                "report": report,
                "stylesheet": _stylesheet(),
                "band_styles": [
                    (band_class(b), b.colour, _text_colour(b.colour)) for b in report.bands
                ],
            },
        )


def render_pdf(report: ChapterThree) -> bytes:
    """The PDF of the table; raises :class:`PdfUnavailable` when WeasyPrint cannot load."""
    return pdf.render_pdf(report_html(report))
