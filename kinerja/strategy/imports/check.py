"""Step 2 of an indicator import: checking every row before anything is stored — codes,
numbers, words, the author's rights (:func:`~kinerja.strategy.permissions.can_manage` for each
row's agency), formula cycles and rows given twice."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias

from django.utils.translation import gettext as _

from kinerja.core.actors import Actor
from kinerja.core.formula import FormulaError, find_cycle, parse
from kinerja.core.numbers import NumberError
from kinerja.core.periods import PeriodError
from kinerja.core.tabular.errors import RowError
from kinerja.organizations.models import Agency, Position, Unit

from .. import permissions
from ..models import DataSource, Indicator, Polarity, StrategicTarget
from .columns import NO_WORDS, QUARTER_COLUMN_NAMES, SHEETS, WORD_COLUMNS, YES_WORDS, words_of
from .read import SheetRow, WorkbookRows, cell_decimal, cell_period, cell_year

#: An indicator: its agency's id and its code.
Key: TypeAlias = tuple[int, str]
#: A target's value, lower and upper bound as read (each ``None`` when empty).
Read: TypeAlias = tuple[Decimal | None, Decimal | None, Decimal | None]
#: A quarterly target as ``services.target_set`` takes it: a value, a range, or nothing.
Quarter: TypeAlias = Decimal | tuple[Decimal | None, Decimal | None] | None


@dataclass
class IndicatorRow:
    row: SheetRow
    agency: Agency
    code: str
    values: dict[str, Any]  # the fields of ``services.indicator_save``
    existing: Indicator | None


@dataclass
class TargetRow:
    row: SheetRow
    key: Key
    year: int
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    quarters: list[Quarter] | None


@dataclass
class RealisationRow:
    row: SheetRow
    key: Key
    year: int
    month: int
    value: Decimal
    texts: dict[str, str | None]  # note/supporting/hindering; None = keep the stored text


class Checker:
    """Checks every row of a workbook for ``by``, with a few queries for the whole file;
    afterwards ``errors`` holds every problem and ``indicator_rows``, ``target_rows`` and
    ``realisation_rows`` the valid rows, ready for :mod:`.store`."""

    def __init__(self, rows: WorkbookRows, *, by: Actor) -> None:
        self.data = rows
        self.by = by
        self.errors: list[RowError] = []
        self.indicator_rows: list[IndicatorRow] = []
        self.target_rows: list[TargetRow] = []
        self.realisation_rows: list[RealisationRow] = []

    def error(self, row: SheetRow, column: str, message: object) -> None:
        self.errors.append(SHEETS[row.sheet].error(row.number, column, str(message)))

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
        if not permissions.can_manage(self.by, agency.pk):
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
                self.indicator_rows.append(IndicatorRow(row, agency, code, values, existing))

    def _indicator_values(
        self, row: SheetRow, agency: Agency, existing: Indicator | None
    ) -> dict[str, Any]:
        """The operation's field values: from the row where it has the column, otherwise the
        stored value (or the default, for a new indicator)."""
        values: dict[str, Any] = {"code": row.text("kode").upper()}
        for column, name in (("nama", "name"), ("satuan", "unit_of_measure")):
            text = row.text(column)
            if not text:
                self.error(row, column, _("This column is required."))
            values[name] = text
        for column, (name, words, default) in WORD_COLUMNS.items():
            if row.has(column):
                values[name] = self._word(row, column, words, default)
            elif existing is not None:
                values[name] = getattr(existing, name)
            elif default is None:
                self.error(row, column, _("This column is required."))
            else:
                values[name] = default
        if row.has("rumus"):
            values["formula"] = row.text("rumus")
        else:
            values["formula"] = existing.formula if existing else ""
        if row.has("aktif"):
            text = words_of(row.text("aktif"))
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

    def _word(
        self, row: SheetRow, column: str, words: dict[str, str], default: str | None
    ) -> str | None:
        """The stored value a word of the row stands for (the default for an empty cell)."""
        text = row.text(column)
        if not text:
            if default is None:
                self.error(row, column, _("This column is required."))
            return default
        value = words.get(words_of(text))
        if value is None:
            choices = ", ".join(sorted({str(v) for v in words.values()}))
            self.error(
                row,
                column,
                _("'%(value)s' is not one of: %(choices)s.")
                % {"value": text[:40], "choices": choices},
            )
        return value

    def _strategic_target(
        self, row: SheetRow, column: str, agency: Agency, code: str
    ) -> StrategicTarget | None:
        target = self.strategic_targets.get((agency.pk, code))
        if target is None:
            self.error(
                row,
                column,
                _("%(agency)s has no strategic target %(code)s.")
                % {"agency": agency.code, "code": code},
            )
        return target

    def _unit(self, row: SheetRow, column: str, agency: Agency, code: str) -> Unit | None:
        unit = self.units.get(code)
        if unit is None:
            self.error(row, column, _("Unknown unit %(code)s.") % {"code": code})
        elif unit.agency_id != agency.pk:
            self.error(row, column, _("The unit belongs to another agency."))
            return None
        return unit

    def _position(self, row: SheetRow, column: str, agency: Agency, code: str) -> Position | None:
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
        parsed: list[tuple[IndicatorRow, frozenset[str]]] = []
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

    def _indicator_for(self, row: SheetRow) -> tuple[Key | None, str | None]:
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
        seen: dict[tuple[Key, int], int] = {}
        columns = set(self.data.columns.get("targets", []))
        with_quarters = bool(columns & QUARTER_COLUMN_NAMES)
        for row in self.data.rows.get("targets", []):
            before = len(self.errors)
            key, polarity = self._indicator_for(row)
            year: int | None
            try:
                year = cell_year(row.values.get("tahun"))
            except PeriodError as exc:
                self.error(row, "tahun", exc)
                year = None
            value = self._number(row, "target")
            low = self._number(row, "target_bawah")
            high = self._number(row, "target_atas")
            quarters: list[Read] | None = None
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
            passed_quarters: list[Quarter] | None = None
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
                    TargetRow(row, key, year, value, low, high, passed_quarters)
                )

    def _check_target_shape(
        self,
        row: SheetRow,
        polarity: str | None,
        value: Decimal | None,
        low: Decimal | None,
        high: Decimal | None,
        column: str,
        required: bool,
    ) -> None:
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
            elif low is not None and high is not None and low > high:  # both or neither
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
        seen: dict[tuple[Key, int, int], int] = {}
        for row in self.data.rows.get("realisations", []):
            before = len(self.errors)
            key, _polarity = self._indicator_for(row)
            year: int | None
            month: int | None
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
            # A year, month or value of None came with an error of its row.
            if key is None or year is None or month is None or value is None:
                continue
            if len(self.errors) > before:
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
            self.realisation_rows.append(RealisationRow(row, key, year, month, value, texts))
