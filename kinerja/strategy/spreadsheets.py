"""Indicators, targets and realisations in an Excel workbook: the columns, reading, validating
and storing all or nothing, and writing (exports and the empty template).

The workbook has the sheets Indikator, Target and Realisasi (any of them) and a sheet
"Petunjuk" that explains every column with an example; sheet and column names are Indonesian,
like the organisation files (:mod:`kinerja.organizations.columns`), whose ``Sheet``/``Column``
shapes, file checks, ``RowError`` and ``TabularError`` are reused here.

An import first reads and checks every row (codes, numbers, words, rights, formula cycles),
then stores the rows through the same operations as the pages (:func:`.services.indicator_save`,
:func:`.services.target_set`, :func:`.services.realisation_record`) inside one transaction, so
that every rule of those operations applies (the agreement's state, a month that fits the
indicator's period, no future months). If any row is wrong, or for a dry run, the transaction
is rolled back: nothing is stored and no audit record remains. A row equal to what is stored
is not handed to the operations at all, so re-importing an export changes nothing, even for
the targets of an agreement that has been agreed since.

A column left out of a sheet keeps the stored values of that column; an empty cell clears it
(or gives the default). Realisations are imported like a person enters them: a new or changed
value waits for verification; the state itself is never imported.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.core.actors import SYSTEM
from kinerja.core.formula import FormulaError, find_cycle, parse
from kinerja.core.numbers import DECIMAL_PLACES, NumberError, to_decimal
from kinerja.core.periods import PeriodError, parse_period
from kinerja.organizations import tabular
from kinerja.organizations.changeset import RowError
from kinerja.organizations.columns import HELP_SHEET_TITLE, Column, Sheet, normalize_header
from kinerja.organizations.models import Agency, Position, Unit

from . import services
from .models import (
    Aggregation,
    DataSource,
    Indicator,
    IndicatorTarget,
    LowerFormula,
    PeriodType,
    Polarity,
    RangeAbove,
    Realisation,
    StrategicTarget,
)

#: The file cannot be read as a whole; ``errors`` (RowError) say why.
TabularError = tabular.TabularError
#: An import runs inside the request (indicator workbooks are small: a region's indicators,
#: targets and a year of values are a few thousand rows); more rows are refused.
MAX_ROWS = 10_000

# --- Sheets and columns ---------------------------------------------------------------------

INDICATORS = Sheet(
    "indicators",
    "Indikator",
    "kode",
    (
        Column("kode_instansi", True, gettext_lazy("Code of the agency"), "DINKES"),
        Column(
            "kode",
            True,
            gettext_lazy(
                "Indicator code, unique in the agency: capital letters, digits, '.', '_' or '-'"
            ),
            "IKU-01",
        ),
        Column(
            "nama",
            True,
            gettext_lazy("Name of the indicator"),
            "Waktu respon penanganan kegawatdaruratan",
        ),
        Column("satuan", True, gettext_lazy("Unit of measure"), "menit"),
        Column(
            "polaritas",
            True,
            gettext_lazy(
                "higher_is_better (or: semakin tinggi semakin baik), lower_is_better (or: "
                "semakin rendah semakin baik) or range (or: rentang)"
            ),
            "lower_is_better",
        ),
        Column(
            "agregasi",
            True,
            gettext_lazy(
                "How months combine into quarters and the year: sum (jumlah), average "
                "(rata-rata) or last (terakhir)"
            ),
            "average",
        ),
        Column(
            "periode",
            False,
            gettext_lazy(
                "Reporting period: monthly (bulanan), quarterly (triwulanan) or yearly "
                "(tahunan); empty means monthly"
            ),
            "monthly",
        ),
        Column(
            "sumber",
            False,
            gettext_lazy(
                "Data source: manual (entered by hand, with evidence) or formula (rumus); "
                "empty means manual"
            ),
            "manual",
        ),
        Column(
            "rumus",
            False,
            gettext_lazy(
                "Only when the source is formula: other indicators of the agency by code in "
                "braces, with + - * / ( ) min max if"
            ),
            "{IKU-01} / {IKU-02} * 100",
        ),
        Column(
            "rumus_lebih_rendah",
            False,
            gettext_lazy(
                "For lower is better: standard ((2 − R/T) × 100) or inverse (kebalikan, T/R × "
                "100); empty means standard"
            ),
            "standard",
        ),
        Column(
            "di_atas_rentang",
            False,
            gettext_lazy(
                "For a range, a realisation above it: penalize (counts as lower is better) or "
                "full (penuh, still 100 %); empty means penalize"
            ),
            "penalize",
        ),
        Column(
            "kode_sasaran",
            False,
            gettext_lazy("Code of the agency's strategic target (sasaran) the indicator serves"),
            "S1.1",
        ),
        Column(
            "kode_unit_pemilik",
            False,
            gettext_lazy("Code of the unit that owns the indicator"),
            "DINKES-YANKES",
        ),
        Column(
            "kode_jabatan_pemilik",
            False,
            gettext_lazy(
                "Code of the position whose holder enters the realisations (the holder's rater "
                "verifies them)"
            ),
            "DINKES-KABID-YANKES",
        ),
        Column("aktif", False, gettext_lazy("ya or tidak; empty means ya"), "ya"),
    ),
)

_QUARTER_COLUMNS = tuple(
    Column(
        f"tw{q}",
        False,
        gettext_lazy(
            "Target of quarter (TW) %(q)d alone, not cumulative; for a range leave it empty and "
            "fill tw%(q)d_bawah and tw%(q)d_atas"
        )
        % {"q": q},
        "15",
    )
    for q in range(1, 5)
)
_QUARTER_RANGE_COLUMNS = tuple(
    Column(
        f"tw{q}_{side}",
        False,
        (
            gettext_lazy("Range indicators: lower bound of the target of TW %(q)d")
            if side == "bawah"
            else gettext_lazy("Range indicators: upper bound of the target of TW %(q)d")
        )
        % {"q": q},
        "80" if side == "bawah" else "90",
    )
    for q in range(1, 5)
    for side in ("bawah", "atas")
)

TARGETS = Sheet(
    "targets",
    "Target",
    "kode_indikator",
    (
        Column("kode_instansi", True, gettext_lazy("Code of the agency"), "DINKES"),
        Column("kode_indikator", True, gettext_lazy("Code of the indicator"), "IKU-01"),
        Column("tahun", True, gettext_lazy("Year of the performance agreement (PK)"), "2026"),
        Column(
            "target",
            False,
            gettext_lazy(
                "Yearly target; a decimal comma or point, no thousands separator. For a range "
                "leave it empty and fill target_bawah and target_atas"
            ),
            "15",
        ),
        Column(
            "target_bawah",
            False,
            gettext_lazy("Range indicators: lower bound of the yearly target"),
            "80",
        ),
        Column(
            "target_atas",
            False,
            gettext_lazy("Range indicators: upper bound of the yearly target"),
            "90",
        ),
        *_QUARTER_COLUMNS,
        *_QUARTER_RANGE_COLUMNS,
    ),
)

REALISATIONS = Sheet(
    "realisations",
    "Realisasi",
    "kode_indikator",
    (
        Column("kode_instansi", True, gettext_lazy("Code of the agency"), "DINKES"),
        Column("kode_indikator", True, gettext_lazy("Code of the indicator"), "IKU-01"),
        Column(
            "periode",
            True,
            gettext_lazy(
                "Month as YYYY-MM, written as text; quarterly indicators report in 03, 06, 09 and "
                "12, yearly ones in 12"
            ),
            "2026-03",
        ),
        Column(
            "nilai",
            True,
            gettext_lazy("The measured value; a decimal comma or point, no thousands separator"),
            "14,5",
        ),
        Column(
            "catatan",
            False,
            gettext_lazy("How the value was measured"),
            "Rekap register IGD Maret",
        ),
        Column(
            "faktor_pendukung",
            False,
            gettext_lazy("What helped"),
            "Ambulans kedua siaga di Puskesmas Plaju",
        ),
        Column(
            "faktor_penghambat",
            False,
            gettext_lazy("What hindered"),
            "Banjir di Jalan Kapten Abdullah",
        ),
    ),
)

SHEETS: dict[str, Sheet] = {s.key: s for s in (INDICATORS, TARGETS, REALISATIONS)}
ORDER = ["indicators", "targets", "realisations"]
NUMBER_COLUMNS = frozenset(
    ["target", "target_bawah", "target_atas", "nilai"]
    + [c.name for c in _QUARTER_COLUMNS + _QUARTER_RANGE_COLUMNS]
)
QUARTER_COLUMN_NAMES = frozenset(c.name for c in _QUARTER_COLUMNS + _QUARTER_RANGE_COLUMNS)
#: Written as text so that Excel keeps leading zeros and does not turn 2026-03 into a date.
TEXT_COLUMNS = frozenset(
    [
        "kode_instansi",
        "kode",
        "kode_indikator",
        "kode_sasaran",
        "kode_unit_pemilik",
        "kode_jabatan_pemilik",
        "periode",
        "rumus",
    ]
)


def _words(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def _choices(mapping: dict[str, Iterable[str]]) -> dict[str, str]:
    """``{stored value: [other words]}`` → ``{normalised word: stored value}``."""
    table = {}
    for value, words in mapping.items():
        for word in (value, *words):
            table[_words(word)] = value
    return table


POLARITY_WORDS = _choices(
    {
        Polarity.HIGHER: [
            "semakin tinggi semakin baik",
            "makin tinggi makin baik",
            "lebih tinggi lebih baik",
            "tinggi",
            "naik",
        ],
        Polarity.LOWER: [
            "semakin rendah semakin baik",
            "makin rendah makin baik",
            "lebih rendah lebih baik",
            "rendah",
            "turun",
        ],
        Polarity.RANGE: ["rentang", "target rentang"],
    }
)
AGGREGATION_WORDS = _choices(
    {
        Aggregation.SUM: ["jumlah", "total", "kumulatif"],
        Aggregation.AVERAGE: ["rata-rata", "rata rata", "rerata"],
        Aggregation.LAST: ["terakhir", "nilai terakhir"],
    }
)
PERIOD_WORDS = _choices(
    {
        PeriodType.MONTHLY: ["bulanan"],
        PeriodType.QUARTERLY: ["triwulanan", "triwulan"],
        PeriodType.YEARLY: ["tahunan"],
    }
)
SOURCE_WORDS = _choices({DataSource.MANUAL: ["input", "isian"], DataSource.FORMULA: ["rumus"]})
LOWER_FORMULA_WORDS = _choices(
    {LowerFormula.STANDARD: ["standar", "baku"], LowerFormula.INVERSE: ["kebalikan", "terbalik"]}
)
RANGE_ABOVE_WORDS = _choices(
    {RangeAbove.PENALIZE: ["kurangi", "dikurangi"], RangeAbove.FULL: ["penuh"]}
)
YES_WORDS = {"ya", "y", "yes", "true", "1", "aktif"}
NO_WORDS = {"tidak", "t", "no", "false", "0", "nonaktif", "non aktif", "tidak aktif"}

#: Indicator sheet columns → the operation's field, with the word table and the default.
WORD_COLUMNS = {
    "polaritas": ("polarity", POLARITY_WORDS, None),
    "agregasi": ("aggregation", AGGREGATION_WORDS, None),
    "periode": ("period_type", PERIOD_WORDS, PeriodType.MONTHLY),
    "sumber": ("data_source", SOURCE_WORDS, DataSource.MANUAL),
    "rumus_lebih_rendah": ("lower_formula", LOWER_FORMULA_WORDS, LowerFormula.STANDARD),
    "di_atas_rentang": ("range_above", RANGE_ABOVE_WORDS, RangeAbove.PENALIZE),
}
#: Where an operation's field error shows: its column.
INDICATOR_FIELD_COLUMNS = {
    "code": "kode",
    "name": "nama",
    "unit_of_measure": "satuan",
    "polarity": "polaritas",
    "aggregation": "agregasi",
    "period_type": "periode",
    "data_source": "sumber",
    "formula": "rumus",
    "lower_formula": "rumus_lebih_rendah",
    "range_above": "di_atas_rentang",
    "strategic_target": "kode_sasaran",
    "owner_unit": "kode_unit_pemilik",
    "owner_position": "kode_jabatan_pemilik",
    "active": "aktif",
}


# --- Reading ------------------------------------------------------------------------------


@dataclass
class SheetRow:
    """One data row; ``values`` holds the raw cell values of the columns the sheet has."""

    sheet: str
    number: int  # as Excel numbers it: the header is row 1
    values: dict[str, object]

    def text(self, column: str) -> str:
        return cell_text(self.values.get(column))

    def has(self, column: str) -> bool:
        return column in self.values


@dataclass
class WorkbookRows:
    rows: dict[str, list[SheetRow]] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)

    @property
    def row_count(self) -> int:
        return sum(len(r) for r in self.rows.values())


def sheet_for_title(title: str) -> Sheet | None:
    wanted = title.strip().lower()
    for sheet in SHEETS.values():
        if wanted in {sheet.title.lower(), sheet.key}:
            return sheet
    return None


def _file_error(message: str) -> TabularError:
    return TabularError([RowError("", None, "", message)])


def read_workbook(name: str, data: bytes, *, max_bytes: int | None = None) -> WorkbookRows:
    """Read an uploaded or given workbook; a problem with the file as a whole raises
    :class:`TabularError`. Only .xlsx: three sheets do not fit in one CSV."""
    if PurePath(name or "").suffix.lower() != ".xlsx":
        raise _file_error(
            _("Upload an Excel workbook (.xlsx); %(name)s is not one.")
            % {"name": PurePath(name or "").name[:80] or "?"}
        )
    tabular.check_file(name, data, max_bytes=max_bytes)

    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        titles = list(workbook.sheet_names)
    except (CalamineError, OSError, ValueError) as exc:
        raise _file_error(
            _("The workbook cannot be read (%(reason)s); open it in Excel and save it again.")
            % {"reason": str(exc)[:120]}
        ) from None
    found: dict[str, str] = {}
    for title in titles:
        sheet = sheet_for_title(title)
        if sheet is not None and sheet.key not in found:
            found[sheet.key] = title
    if not found:
        raise _file_error(
            _("The workbook has no sheet named %(wanted)s (it has: %(found)s).")
            % {
                "wanted": " / ".join(SHEETS[k].title for k in ORDER),
                "found": ", ".join(titles) or "-",
            }
        )
    result = WorkbookRows()
    errors: list[RowError] = []
    for key in ORDER:
        if key not in found:
            continue
        try:
            records = workbook.get_sheet_by_name(found[key]).to_python(skip_empty_area=False)
        except CalamineError as exc:
            raise _file_error(
                _("The sheet %(sheet)s cannot be read (%(reason)s).")
                % {"sheet": found[key], "reason": str(exc)[:120]}
            ) from None
        try:
            rows, columns = _read_sheet(SHEETS[key], records)
        except TabularError as exc:
            errors.extend(exc.errors)
            continue
        result.rows[key], result.columns[key] = rows, columns
    if errors:
        raise TabularError(errors)
    if result.row_count > MAX_ROWS:
        raise _file_error(
            _("The workbook has %(count)d rows; at most %(max)d are imported at once. Split it.")
            % {"count": result.row_count, "max": MAX_ROWS}
        )
    return result


def _filled(values: Iterable[object]) -> bool:
    return any(cell_text(v) for v in values)


def _read_sheet(sheet: Sheet, records: list[list]) -> tuple[list[SheetRow], list[str]]:
    header_at = next((i for i, r in enumerate(records) if _filled(r)), None)
    if header_at is None:
        return [], []
    names = [normalize_header(c) for c in records[header_at]]
    _check_header(sheet, names, header_at + 1)
    columns = [(i, n) for i, n in enumerate(names) if n]
    rows = []
    errors = []
    for index in range(header_at + 1, len(records)):
        record = records[index]
        if not _filled(record):
            continue
        number = index + 1
        values = {n: (record[i] if i < len(record) else None) for i, n in columns}
        stray = [
            i for i, v in enumerate(record) if (i >= len(names) or not names[i]) and _filled([v])
        ]
        if stray:
            errors.append(
                RowError(
                    sheet.title,
                    number,
                    "",
                    _("Column %(letter)s has a value but no column name in the header row.")
                    % {"letter": _column_letter(stray[0])},
                )
            )
            continue
        rows.append(SheetRow(sheet.key, number, values))
    if errors:
        raise TabularError(errors)
    return rows, [n for _i, n in columns]


def _check_header(sheet: Sheet, names: list[str], row: int) -> None:
    errors = []
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            errors.append(
                RowError(
                    sheet.title, row, name, _("The column %(name)s appears twice.") % {"name": name}
                )
            )
        seen.add(name)
    unknown = [n for n in names if n and n not in sheet.column_names]
    if unknown:
        errors.append(
            RowError(
                sheet.title,
                row,
                "",
                _("Unknown columns: %(unknown)s. The columns of %(sheet)s are: %(known)s.")
                % {
                    "unknown": ", ".join(unknown),
                    "sheet": sheet.title,
                    "known": ", ".join(sheet.column_names),
                },
            )
        )
    missing = [c for c in sheet.required if c not in seen]
    if missing:
        errors.append(
            RowError(
                sheet.title,
                row,
                "",
                _("Required columns are missing: %(missing)s.") % {"missing": ", ".join(missing)},
            )
        )
    if errors:
        raise TabularError(errors)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# --- Cells ----------------------------------------------------------------------------------

_PLACES = Decimal(1).scaleb(-DECIMAL_PLACES)


def cell_text(value: object) -> str:
    """A cell as text: what a person sees in it (a whole number without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def cell_decimal(value: object) -> Decimal | None:
    """A number cell: ``None`` when empty. Excel's numbers arrive as binary floats; they are
    read through their shortest text form and rounded to the stored four decimals, so that
    0.1 stays 0.1 and a value computed in Excel (0.30000000000000004) becomes 0.3. Text
    takes a decimal comma or point (``"12,5"``, ``"12.5"``). Raises :class:`NumberError`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        exact = Decimal(repr(value))
        if not exact.is_finite():
            raise NumberError(_("Give a finite number, e.g. 12.5."))
        return to_decimal(exact.quantize(_PLACES, rounding=ROUND_HALF_UP).normalize())
    if isinstance(value, (datetime, date)):
        raise NumberError(
            _("Excel shows a date here; format the cell as a number and type it again.")
        )
    return to_decimal(value)


def cell_period(value: object) -> tuple[int, int]:
    """``YYYY-MM`` (or a date cell, which Excel makes of it) → ``(year, month)``."""
    if isinstance(value, (datetime, date)):
        return value.year, value.month
    period = parse_period(cell_text(value))
    if period.kind != "month":
        raise PeriodError(_("Give a month as YYYY-MM, e.g. 2026-03."))
    return period.year, period.month


def cell_year(value: object) -> int:
    text = cell_text(value)
    if not (len(text) == 4 and text.isdigit()):
        raise PeriodError(_("Give the year as four digits, e.g. 2026."))
    return parse_period(text).year


# --- Validating and storing --------------------------------------------------------------


@dataclass
class ImportOutcome:
    """What an import did (or, for a dry run or a failed one, would have done)."""

    counts: dict[str, Counter] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> list[dict]:
        """``[{"key", "title", "created", "updated", "unchanged"}]`` for the sheets read."""
        return [
            {
                "key": key,
                "title": SHEETS[key].title,
                "created": self.counts[key]["created"],
                "updated": self.counts[key]["updated"],
                "unchanged": self.counts[key]["unchanged"],
            }
            for key in ORDER
            if key in self.counts
        ]


class _Rollback(Exception):
    pass


def error_order(error: RowError) -> tuple:
    titles = [SHEETS[k].title for k in ORDER]
    sheet = titles.index(error.sheet) if error.sheet in titles else -1
    column = -1
    if error.sheet in titles:
        names = SHEETS[ORDER[sheet]].column_names
        column = names.index(error.column) if error.column in names else -1
    return (sheet, error.row or 0, column, str(error.message))


def import_workbook(
    rows: WorkbookRows,
    *,
    by=None,
    may_manage: Callable[[Agency], bool] | None = None,
    dry_run: bool = False,
) -> ImportOutcome:
    """Check every row, then store all of them in one transaction, or nothing.

    ``may_manage(agency)`` says whether the importing person may change that agency's data
    (``None``: every agency, for console commands); rows of other agencies are row errors.
    ``by`` is recorded as who entered the realisations. The audit door (channel and actor)
    is the caller's.
    """
    run = _Import(rows, by=by, may_manage=may_manage)
    run.check()
    outcome = ImportOutcome(dry_run=dry_run)
    if not run.errors:
        try:
            with transaction.atomic():
                run.store()
                if run.errors or dry_run:
                    raise _Rollback
        except _Rollback:
            pass
        else:
            outcome.applied = True
    outcome.counts = {key: run.counts[key] for key in ORDER if key in rows.rows}
    outcome.errors = sorted(run.errors, key=error_order)
    if outcome.errors:
        outcome.applied = False
    return outcome


@dataclass
class _IndicatorRow:
    row: SheetRow
    agency: Agency
    code: str
    values: dict
    existing: Indicator | None


@dataclass
class _TargetRow:
    row: SheetRow
    key: tuple[int, str]  # agency id, indicator code
    year: int
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    quarters: list | None


@dataclass
class _RealisationRow:
    row: SheetRow
    key: tuple[int, str]
    year: int
    month: int
    value: Decimal
    texts: dict[str, str | None]  # note/supporting/hindering; None = keep the stored text


class _Import:
    def __init__(self, rows: WorkbookRows, *, by, may_manage):
        self.data = rows
        self.by = by
        self.may_manage = may_manage
        self.errors: list[RowError] = []
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.indicator_rows: list[_IndicatorRow] = []
        self.target_rows: list[_TargetRow] = []
        self.realisation_rows: list[_RealisationRow] = []

    def error(self, row: SheetRow, column: str, message) -> None:
        self.errors.append(RowError(SHEETS[row.sheet].title, row.number, column, str(message)))

    # -- looking things up, a few queries for the whole file

    def _load(self) -> None:
        all_rows = [r for rows in self.data.rows.values() for r in rows]
        agency_codes = {r.text("kode_instansi").upper() for r in all_rows} - {""}
        self.agencies = {a.code: a for a in Agency.objects.filter(code__in=agency_codes)}
        ids = [a.pk for a in self.agencies.values()]
        self.indicators: dict[tuple[int, str], Indicator] = {
            (i.agency_id, i.code): i
            for i in Indicator.objects.filter(agency_id__in=ids).select_related("agency")
        }
        self.strategic_targets = {
            (t.agency_id, t.code): t for t in StrategicTarget.objects.filter(agency_id__in=ids)
        }
        indicator_rows = self.data.rows.get("indicators", [])
        unit_codes = {r.text("kode_unit_pemilik").upper() for r in indicator_rows} - {""}
        position_codes = {r.text("kode_jabatan_pemilik").upper() for r in indicator_rows} - {""}
        self.units = {u.code: u for u in Unit.objects.filter(code__in=unit_codes)}
        self.positions = {
            p.code: p
            for p in Position.objects.filter(code__in=position_codes).select_related("unit")
        }

    def _agency(self, row: SheetRow) -> Agency | None:
        code = row.text("kode_instansi").upper()
        if not code:
            self.error(row, "kode_instansi", _("Give the agency's code, e.g. DINKES."))
            return None
        agency = self.agencies.get(code)
        if agency is None:
            self.error(row, "kode_instansi", _("Unknown agency %(code)s.") % {"code": code})
            return None
        if self.may_manage is not None and not self.may_manage(agency):
            self.error(
                row,
                "kode_instansi",
                _("You do not manage the performance data of %(code)s.") % {"code": code},
            )
            return None
        return agency

    # -- checking every row

    def check(self) -> None:
        self._load()
        self._check_indicators()
        self.in_file = {(i.agency.pk, i.code): i for i in self.indicator_rows}
        self._check_formulas()
        self._check_targets()
        self._check_realisations()

    def _check_indicators(self) -> None:
        seen: dict[tuple[int, str], int] = {}
        for row in self.data.rows.get("indicators", []):
            before = len(self.errors)
            agency = self._agency(row)
            code = row.text("kode").upper()
            if not code:
                self.error(row, "kode", _("Give the indicator's code, e.g. IKU-01."))
            if agency is None or not code:
                continue
            key = (agency.pk, code)
            if key in seen:
                self.error(
                    row,
                    "kode",
                    _("%(code)s appears already in row %(row)d.")
                    % {"code": code, "row": seen[key]},
                )
                continue
            seen[key] = row.number
            existing = self.indicators.get(key)
            values = self._indicator_values(row, agency, existing)
            if len(self.errors) == before:
                self.indicator_rows.append(_IndicatorRow(row, agency, code, values, existing))

    def _indicator_values(self, row: SheetRow, agency: Agency, existing: Indicator | None) -> dict:
        """The operation's field values: from the row where it has the column, otherwise the
        stored value (or the default, for a new indicator)."""
        values: dict = {"code": row.text("kode").upper()}
        for column, name in (("nama", "name"), ("satuan", "unit_of_measure")):
            text = row.text(column)
            if not text:
                self.error(row, column, _("This column is required."))
            values[name] = text
        for column, (name, words, default) in WORD_COLUMNS.items():
            if not row.has(column):
                if existing is not None:
                    values[name] = getattr(existing, name)
                elif default is None:
                    self.error(row, column, _("This column is required."))
                else:
                    values[name] = default
                continue
            text = row.text(column)
            if not text:
                if default is None:
                    self.error(row, column, _("This column is required."))
                values[name] = default
                continue
            value = words.get(_words(text))
            if value is None:
                self.error(
                    row,
                    column,
                    _("'%(value)s' is not one of: %(choices)s.")
                    % {
                        "value": text[:40],
                        "choices": ", ".join(sorted({str(v) for v in words.values()})),
                    },
                )
            values[name] = value
        if row.has("rumus"):
            values["formula"] = row.text("rumus")
        else:
            values["formula"] = existing.formula if existing else ""
        if row.has("aktif"):
            text = _words(row.text("aktif"))
            if not text or text in YES_WORDS:
                values["active"] = True
            elif text in NO_WORDS:
                values["active"] = False
            else:
                self.error(row, "aktif", _("Write ya or tidak."))
        else:
            values["active"] = existing.active if existing else True
        links = (
            ("kode_sasaran", "strategic_target", self._strategic_target),
            ("kode_unit_pemilik", "owner_unit", self._unit),
            ("kode_jabatan_pemilik", "owner_position", self._position),
        )
        for column, name, find in links:
            if not row.has(column):
                values[name] = getattr(existing, name) if existing else None
                continue
            code = row.text(column).upper()
            values[name] = find(row, column, agency, code) if code else None
        return values

    def _strategic_target(self, row, column, agency, code):
        target = self.strategic_targets.get((agency.pk, code))
        if target is None:
            self.error(
                row,
                column,
                _("%(agency)s has no strategic target %(code)s.")
                % {"agency": agency.code, "code": code},
            )
        return target

    def _unit(self, row, column, agency, code):
        unit = self.units.get(code)
        if unit is None:
            self.error(row, column, _("Unknown unit %(code)s.") % {"code": code})
        elif unit.agency_id != agency.pk:
            self.error(row, column, _("The unit belongs to another agency."))
            return None
        return unit

    def _position(self, row, column, agency, code):
        position = self.positions.get(code)
        if position is None:
            self.error(row, column, _("Unknown position %(code)s.") % {"code": code})
        elif position.unit.agency_id != agency.pk:
            self.error(row, column, _("The position belongs to another agency."))
            return None
        return position

    def _check_formulas(self) -> None:
        """Parse every formula of the file and refuse cycles through the agency's formulas as
        they would stand after the import, before anything is stored (the operation checks
        again, one indicator at a time)."""
        graphs: dict[int, dict[str, frozenset[str]]] = defaultdict(dict)
        for (agency_id, code), ind in self.indicators.items():
            if ind.data_source == DataSource.FORMULA and ind.formula:
                try:
                    graphs[agency_id][code] = parse(ind.formula).references
                except FormulaError:
                    continue
        parsed: list[tuple[_IndicatorRow, frozenset[str]]] = []
        for item in self.indicator_rows:
            graph = graphs[item.agency.pk]
            graph.pop(item.code, None)
            formula = item.values.get("formula", "")
            if item.values.get("data_source") != DataSource.FORMULA or not formula.strip():
                continue
            try:
                references = parse(formula).references
            except FormulaError as exc:
                self.error(item.row, "rumus", exc.message)
                continue
            graph[item.code] = references
            parsed.append((item, references))
        for item, _references in parsed:
            cycle = find_cycle(graphs[item.agency.pk], item.code)
            if cycle:
                self.error(
                    item.row,
                    "rumus",
                    _("The formula refers back to itself: %(path)s.") % {"path": " → ".join(cycle)},
                )

    def _indicator_for(self, row: SheetRow) -> tuple[tuple[int, str] | None, str | None]:
        """The indicator a target or realisation row is about (stored, or in the Indikator
        sheet of this file) and its polarity."""
        agency = self._agency(row)
        code = row.text("kode_indikator").upper()
        if not code:
            self.error(row, "kode_indikator", _("Give the indicator's code, e.g. IKU-01."))
        if agency is None or not code:
            return None, None
        key = (agency.pk, code)
        in_file = self.in_file.get(key)
        if in_file is not None:
            return key, in_file.values.get("polarity")
        stored = self.indicators.get(key)
        if stored is not None:
            return key, stored.polarity
        named = any(
            (r.text("kode_instansi").upper(), r.text("kode").upper()) == (agency.code, code)
            for r in self.data.rows.get("indicators", [])
        )
        if not named:  # a wrong indicator row has its own error already
            self.error(
                row,
                "kode_indikator",
                _("%(agency)s has no indicator %(code)s.") % {"agency": agency.code, "code": code},
            )
        return None, None

    def _number(self, row: SheetRow, column: str) -> Decimal | None:
        try:
            return cell_decimal(row.values.get(column))
        except NumberError as exc:
            self.error(row, column, exc)
            return None

    def _check_targets(self) -> None:
        seen: dict[tuple, int] = {}
        columns = set(self.data.columns.get("targets", []))
        with_quarters = bool(columns & QUARTER_COLUMN_NAMES)
        for row in self.data.rows.get("targets", []):
            before = len(self.errors)
            key, polarity = self._indicator_for(row)
            try:
                year = cell_year(row.values.get("tahun"))
            except PeriodError as exc:
                self.error(row, "tahun", exc)
                year = None
            value = self._number(row, "target")
            low = self._number(row, "target_bawah")
            high = self._number(row, "target_atas")
            quarters = None
            if with_quarters:
                quarters = [
                    (
                        self._number(row, f"tw{q}"),
                        self._number(row, f"tw{q}_bawah"),
                        self._number(row, f"tw{q}_atas"),
                    )
                    for q in range(1, 5)
                ]
            if key is None or year is None or len(self.errors) > before:
                continue
            if (key, year) in seen:
                self.error(
                    row,
                    "kode_indikator",
                    _("The target of %(code)s for %(year)d appears already in row %(row)d.")
                    % {"code": key[1], "year": year, "row": seen[(key, year)]},
                )
                continue
            seen[(key, year)] = row.number
            self._check_target_shape(row, polarity, value, low, high, "target", True)
            passed_quarters = None
            if quarters is not None:
                passed_quarters = []
                for q, (q_value, q_low, q_high) in enumerate(quarters, start=1):
                    self._check_target_shape(row, polarity, q_value, q_low, q_high, f"tw{q}", False)
                    if polarity == Polarity.RANGE:
                        both = q_low is not None or q_high is not None
                        passed_quarters.append((q_low, q_high) if both else None)
                    else:
                        passed_quarters.append(q_value)
            if len(self.errors) == before:
                self.target_rows.append(
                    _TargetRow(row, key, year, value, low, high, passed_quarters)
                )

    def _check_target_shape(self, row, polarity, value, low, high, column, required) -> None:
        low_column, high_column = (
            ("target_bawah", "target_atas")
            if column == "target"
            else (f"{column}_bawah", f"{column}_atas")
        )
        if polarity == Polarity.RANGE:
            if value is not None:
                self.error(
                    row,
                    column,
                    _("A range indicator takes a lower and an upper bound, not one value."),
                )
            elif (low is None) != (high is None) or (required and low is None):
                missing = low_column if low is None else high_column
                self.error(row, missing, _("Give both bounds of the range, e.g. 80 and 90."))
            elif low is not None and low > high:
                self.error(row, low_column, _("The lower bound is above the upper bound."))
        else:
            for bound_column, bound in ((low_column, low), (high_column, high)):
                if bound is not None:
                    self.error(
                        row,
                        bound_column,
                        _("Only a range indicator takes bounds; give one target value."),
                    )
            if required and value is None and low is None and high is None:
                self.error(row, column, _("Give the target, e.g. 8."))

    def _check_realisations(self) -> None:
        seen: dict[tuple, int] = {}
        for row in self.data.rows.get("realisations", []):
            before = len(self.errors)
            key, _polarity = self._indicator_for(row)
            try:
                year, month = cell_period(row.values.get("periode"))
            except PeriodError as exc:
                self.error(row, "periode", exc)
                year = month = None
            value = self._number(row, "nilai")
            if value is None and not any(e.column == "nilai" for e in self.errors[before:]):
                self.error(row, "nilai", _("Give the value, e.g. 14.5."))
            texts = {
                name: (row.text(column) if row.has(column) else None)
                for column, name in (
                    ("catatan", "note"),
                    ("faktor_pendukung", "supporting"),
                    ("faktor_penghambat", "hindering"),
                )
            }
            if key is None or len(self.errors) > before:
                continue
            if (key, year, month) in seen:
                self.error(
                    row,
                    "periode",
                    _("The value of %(code)s for %(period)s appears already in row %(row)d.")
                    % {
                        "code": key[1],
                        "period": f"{year}-{month:02d}",
                        "row": seen[(key, year, month)],
                    },
                )
                continue
            seen[(key, year, month)] = row.number
            self.realisation_rows.append(_RealisationRow(row, key, year, month, value, texts))

    # -- storing, inside the caller's transaction

    def _service_errors(self, row: SheetRow, exc: ValidationError, fields: dict, other: str):
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                column = fields.get(name, other)
                for message in messages:
                    self.error(row, column, message)
        else:
            for message in exc.messages:
                self.error(row, other, message)

    def store(self) -> None:
        saved: dict[tuple[int, str], Indicator] = dict(self.indicators)
        failed: set[tuple[int, str]] = set()
        for item in _in_reference_order(self.indicator_rows):
            key = (item.agency.pk, item.code)
            if item.existing is not None and _indicator_state(item.existing) == _state_of(
                item.values
            ):
                self.counts["indicators"]["unchanged"] += 1
                continue
            try:
                saved[key] = services.indicator_save(
                    by=self.by or SYSTEM,
                    agency=item.agency,
                    values=item.values,
                    indicator=item.existing,
                )
            except ValidationError as exc:
                failed.add(key)
                self._service_errors(item.row, exc, INDICATOR_FIELD_COLUMNS, "")
                continue
            self.counts["indicators"]["updated" if item.existing else "created"] += 1
        self._store_targets(saved, failed)
        self._store_realisations(saved, failed)

    def _store_targets(self, saved, failed) -> None:
        ids = [saved[t.key].pk for t in self.target_rows if t.key in saved]
        stored = {
            (t.indicator_id, t.year): t
            for t in IndicatorTarget.objects.filter(indicator_id__in=ids).prefetch_related(
                "quarters"
            )
        }
        for item in self.target_rows:
            if item.key in failed or item.key not in saved:
                continue
            indicator = saved[item.key]
            current = stored.get((indicator.pk, item.year))
            if current is not None and _target_unchanged(current, item):
                self.counts["targets"]["unchanged"] += 1
                continue
            try:
                services.target_set(
                    by=self.by or SYSTEM,
                    indicator=indicator,
                    year=item.year,
                    value=item.value,
                    low=item.low,
                    high=item.high,
                    quarters=item.quarters,
                )
            except ValidationError as exc:
                fields = {"target": "target", "quarterly_targets": "tw1"}
                if indicator.polarity == Polarity.RANGE:
                    fields["target"] = "target_bawah"
                self._service_errors(item.row, exc, fields, "tahun")
                continue
            self.counts["targets"]["updated" if current else "created"] += 1

    def _store_realisations(self, saved, failed) -> None:
        ids = [saved[r.key].pk for r in self.realisation_rows if r.key in saved]
        stored = {
            (r.indicator_id, r.year, r.month): r
            for r in Realisation.objects.current().filter(indicator_id__in=ids)
        }
        for item in self.realisation_rows:
            if item.key in failed or item.key not in saved:
                continue
            indicator = saved[item.key]
            current = stored.get((indicator.pk, item.year, item.month))
            texts = {
                name: (
                    text
                    if text is not None
                    else (getattr(current, name) if current is not None else "")
                )
                for name, text in item.texts.items()
            }
            if current is not None and (
                current.value,
                current.note,
                current.supporting,
                current.hindering,
            ) == (item.value, texts["note"], texts["supporting"], texts["hindering"]):
                self.counts["realisations"]["unchanged"] += 1
                continue
            try:
                services.realisation_record(
                    indicator=indicator,
                    year=item.year,
                    month=item.month,
                    value=item.value,
                    by=self.by or SYSTEM,
                    **texts,
                )
            except ValidationError as exc:
                fields = {"period": "periode", "value": "nilai", "note": "catatan"}
                self._service_errors(item.row, exc, fields, "kode_indikator")
                continue
            self.counts["realisations"]["updated" if current else "created"] += 1


LINK_FIELDS = frozenset(["strategic_target", "owner_unit", "owner_position"])


def _state_of(values: dict) -> dict:
    """Indicator field values as the operation would store them (links by id)."""
    state = {}
    for name in services.INDICATOR_FIELDS:
        value = values.get(name)
        if name in LINK_FIELDS:
            value = getattr(value, "pk", value)
        elif name == "name":
            value = " ".join((value or "").split())
        elif name in {"code", "formula"}:
            value = (value or "").strip()
        state[name] = value
    return state


def _indicator_state(indicator: Indicator) -> dict:
    return _state_of(
        {
            name: getattr(indicator, f"{name}_id" if name in LINK_FIELDS else name)
            for name in services.INDICATOR_FIELDS
        }
    )


def _target_unchanged(current: IndicatorTarget, item: _TargetRow) -> bool:
    if (current.value, current.low, current.high) != (item.value, item.low, item.high):
        return False
    if item.quarters is None:
        return True
    stored = {q.quarter: (q.value, q.low, q.high) for q in current.quarters.all()}
    for number, given in enumerate(item.quarters, start=1):
        if given is None:
            wanted = (None, None, None)
        elif isinstance(given, tuple):
            wanted = (None, *given)
        else:
            wanted = (given, None, None)
        if stored.get(number, (None, None, None)) != wanted:
            return False
    return True


def _in_reference_order(items: list[_IndicatorRow]) -> list[_IndicatorRow]:
    """Indicators entered by hand first, then formula indicators, each after the formula
    indicators of the file it refers to (cycles are refused before this)."""
    plain = [i for i in items if i.values.get("data_source") != DataSource.FORMULA]
    formulas = [i for i in items if i.values.get("data_source") == DataSource.FORMULA]
    by_key = {(i.agency.pk, i.code): i for i in formulas}
    ordered: list[_IndicatorRow] = []
    placed: set[tuple[int, str]] = set()

    def place(item: _IndicatorRow, path: frozenset) -> None:
        key = (item.agency.pk, item.code)
        if key in placed or key in path:
            return
        try:
            references = parse(item.values.get("formula") or "").references
        except FormulaError:
            references = frozenset()
        for code in sorted(references):
            other = by_key.get((item.agency.pk, code))
            if other is not None:
                place(other, path | {key})
        placed.add(key)
        ordered.append(item)

    for item in formulas:
        place(item, frozenset())
    return plain + ordered


# --- Writing --------------------------------------------------------------------------------


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
    tables: dict[str, list[dict[str, object]]] = {key: [] for key in ORDER}
    for ind in indicators:
        tables["indicators"].append(
            {
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
        )
    targets = (
        IndicatorTarget.objects.filter(indicator__in=indicators, year=year)
        .select_related("indicator__agency")
        .prefetch_related("quarters")
        .order_by("indicator__agency__code", "indicator__code")
    )
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
        tables["targets"].append(row)
    realisations = (
        Realisation.objects.current()
        .filter(indicator__in=indicators, year=year)
        .select_related("indicator__agency")
        .order_by("indicator__agency__code", "indicator__code", "month")
    )
    for r in realisations:
        tables["realisations"].append(
            {
                "kode_instansi": r.indicator.agency.code,
                "kode_indikator": r.indicator.code,
                "periode": f"{r.year}-{r.month:02d}",
                "nilai": r.value,
                "catatan": r.note,
                "faktor_pendukung": r.supporting,
                "faktor_penghambat": r.hindering,
            }
        )
    return tables


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


def write_workbook(
    tables: dict[str, Iterable[dict[str, object]]], *, open_at_help: bool = False
) -> bytes:
    """A workbook with the given sheets (in the order Indikator, Target, Realisasi) and the
    "Petunjuk" sheet that explains every column."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    keys = [key for key in ORDER if key in tables]
    for key in keys:
        sheet = SHEETS[key]
        ws = workbook.create_sheet(sheet.title)
        for index, column in enumerate(sheet.column_names):
            dimension = ws.column_dimensions[_column_letter(index)]
            dimension.width = WIDTHS.get(column, 10 if column.startswith("tw") else 18)
            if column in TEXT_COLUMNS:
                dimension.number_format = "@"
        ws.freeze_panes = "A2"
        header = []
        for column in sheet.column_names:
            cell = WriteOnlyCell(ws, value=column)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for record in tables[key]:
            cells = []
            for column in sheet.column_names:
                value = record.get(column)
                if column in NUMBER_COLUMNS:
                    value = number_cell(value)
                elif value is None:
                    value = ""
                cell = WriteOnlyCell(ws, value=value)
                if column in TEXT_COLUMNS:
                    cell.number_format = "@"
                cells.append(cell)
            ws.append(cells)
    _write_help(workbook, bold)
    if open_at_help:
        workbook.active = len(keys)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_help(workbook, bold) -> None:
    from openpyxl.cell import WriteOnlyCell

    ws = workbook.create_sheet(HELP_SHEET_TITLE)
    for letter, width in zip("ABCDE", (12, 22, 10, 80, 34), strict=True):
        ws.column_dimensions[letter].width = width

    def strong(text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        return cell

    ws.append([strong(_("How to fill in this workbook"))])
    for line in (
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
    ):
        ws.append([line])
    ws.append([])
    ws.append(
        [strong(t) for t in (_("Sheet"), _("Column"), _("Required"), _("Meaning"), _("Example"))]
    )
    for key in ORDER:
        sheet = SHEETS[key]
        for column in sheet.columns:
            ws.append(
                [
                    sheet.title,
                    column.name,
                    _("yes") if column.required else _("no"),
                    str(column.help),
                    column.example,
                ]
            )


def template_workbook() -> bytes:
    """The downloadable template: the three sheets with their column names and no rows (an
    unchanged template imports as nothing), and the explanations with examples."""
    return write_workbook({key: [] for key in ORDER}, open_at_help=True)
