"""Step 3 of an indicator import: storing the checked rows through the same operations as
the pages (:func:`~kinerja.strategy.services.indicator_save`,
:func:`~kinerja.strategy.services.target_set`,
:func:`~kinerja.strategy.services.realisation_record`), and the operation itself,
:func:`import_workbook`, which checks and stores all or nothing."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction

from kinerja.core.actors import Actor
from kinerja.core.formula import FormulaError, parse
from kinerja.core.tabular.errors import Outcome, RowError, SheetCount

from .. import services
from ..models import DataSource, Indicator, IndicatorTarget, Polarity, Realisation
from .check import Checker, IndicatorRow, Key, Read, RealisationRow, TargetRow
from .columns import INDICATOR_FIELD_COLUMNS, ORDER, SHEETS
from .read import SheetRow, WorkbookRows

#: A row of targets or of values, about an indicator (see :func:`_of_saved`).
_About = TypeVar("_About", TargetRow, RealisationRow)


class ImportOutcome(Outcome):
    """What an import did (or, for a dry run or a failed one, would have done)."""

    def summary(self) -> list[SheetCount]:
        """``[{"key", "title", "created", "updated", "unchanged"}]`` for the sheets read."""
        return self.count_rows(SHEETS)


def error_order(error: RowError) -> tuple[int, int, int, str]:
    titles = [SHEETS[k].title for k in ORDER]
    sheet = titles.index(error.sheet) if error.sheet in titles else -1
    column = -1
    if error.sheet in titles:
        names = SHEETS[ORDER[sheet]].column_names
        column = names.index(error.column) if error.column in names else -1
    return (sheet, error.row or 0, column, str(error.message))


class _Rollback(Exception):
    pass


def import_workbook(rows: WorkbookRows, *, by: Actor, dry_run: bool = False) -> ImportOutcome:
    """Check every row, then store all of them in one transaction, or nothing.

    ``by`` imports: rows of an agency whose performance data ``by`` does not manage
    (:func:`~kinerja.strategy.permissions.can_manage`) are row errors, and ``by`` is recorded
    as who entered the realisations. The audit door (channel and actor) is the caller's.
    """
    checked = Checker(rows, by=by)
    checked.check()
    outcome = ImportOutcome(dry_run=dry_run)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    if not checked.errors:
        stored = Storer(checked)
        try:
            with transaction.atomic():
                stored.store()
                if checked.errors or dry_run:
                    raise _Rollback
        except _Rollback:
            pass
        else:
            outcome.applied = True
        counts = stored.counts
    outcome.counts = {key: counts[key] for key in ORDER if key in rows.rows}
    outcome.errors = sorted(checked.errors, key=error_order)
    if outcome.errors:
        outcome.applied = False
    return outcome


class Storer:
    """Stores the rows a :class:`~.check.Checker` found valid, counting created, updated and
    unchanged rows; a row an operation refuses becomes a row error (and the caller rolls
    everything back)."""

    def __init__(self, checked: Checker) -> None:
        self.checked = checked
        self.by = checked.by
        self.indicators = checked.indicators
        self.indicator_rows = checked.indicator_rows
        self.target_rows = checked.target_rows
        self.realisation_rows = checked.realisation_rows
        self.error = checked.error
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)

    def _service_errors(
        self, row: SheetRow, exc: ValidationError, fields: dict[str, str], other: str
    ) -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                column = fields.get(name, other)
                for message in messages:
                    self.error(row, column, message)
        else:
            for message in exc.messages:
                self.error(row, other, message)

    def store(self) -> None:
        saved: dict[Key, Indicator] = dict(self.indicators)
        failed: set[Key] = set()
        for item in _in_reference_order(self.indicator_rows):
            key = (item.agency.pk, item.code)
            if item.existing is not None and _indicator_state(item.existing) == _state_of(
                item.values
            ):
                self.counts["indicators"]["unchanged"] += 1
                continue
            try:
                saved[key] = services.indicator_save(
                    by=self.by, agency=item.agency, values=item.values, indicator=item.existing
                )
            except ValidationError as exc:
                failed.add(key)
                self._service_errors(item.row, exc, INDICATOR_FIELD_COLUMNS, "")
                continue
            self.counts["indicators"]["updated" if item.existing else "created"] += 1
        self._store_targets(saved, failed)
        self._store_realisations(saved, failed)

    def _store_targets(self, saved: dict[Key, Indicator], failed: set[Key]) -> None:
        ids = [saved[t.key].pk for t in self.target_rows if t.key in saved]
        stored = {
            (t.indicator_id, t.year): t
            for t in IndicatorTarget.objects.filter(indicator_id__in=ids).prefetch_related(
                "quarters"
            )
        }
        for item, indicator in _of_saved(self.target_rows, saved, failed):
            current = stored.get((indicator.pk, item.year))
            if current is not None and _target_unchanged(current, item):
                self.counts["targets"]["unchanged"] += 1
                continue
            try:
                services.target_set(
                    by=self.by,
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

    def _store_realisations(self, saved: dict[Key, Indicator], failed: set[Key]) -> None:
        ids = [saved[r.key].pk for r in self.realisation_rows if r.key in saved]
        stored = {
            (r.indicator_id, r.year, r.month): r
            for r in Realisation.objects.current().filter(indicator_id__in=ids)
        }
        for item, indicator in _of_saved(self.realisation_rows, saved, failed):
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
                    by=self.by,
                    **texts,
                )
            except ValidationError as exc:
                fields = {"period": "periode", "value": "nilai", "note": "catatan"}
                self._service_errors(item.row, exc, fields, "kode_indikator")
                continue
            self.counts["realisations"]["updated" if current else "created"] += 1


def _of_saved(
    items: list[_About], saved: dict[Key, Indicator], failed: set[Key]
) -> Iterator[tuple[_About, Indicator]]:
    """The rows (of targets or values) whose indicator is stored and was not refused, each
    with that indicator."""
    for item in items:
        if item.key not in failed and item.key in saved:
            yield item, saved[item.key]


LINK_FIELDS = frozenset(["strategic_target", "owner_unit", "owner_position"])


def _state_of(values: Mapping[str, Any]) -> dict[str, Any]:
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


def _indicator_state(indicator: Indicator) -> dict[str, Any]:
    return _state_of(
        {
            name: getattr(indicator, f"{name}_id" if name in LINK_FIELDS else name)
            for name in services.INDICATOR_FIELDS
        }
    )


def _target_unchanged(current: IndicatorTarget, item: TargetRow) -> bool:
    if (current.value, current.low, current.high) != (item.value, item.low, item.high):
        return False
    if item.quarters is None:
        return True
    stored = {q.quarter: (q.value, q.low, q.high) for q in current.quarters.all()}
    for number, given in enumerate(item.quarters, start=1):
        wanted: Read
        if given is None:
            wanted = (None, None, None)
        elif isinstance(given, tuple):
            wanted = (None, *given)
        else:
            wanted = (given, None, None)
        if stored.get(number, (None, None, None)) != wanted:
            return False
    return True


def _in_reference_order(items: list[IndicatorRow]) -> list[IndicatorRow]:
    """Indicators entered by hand first, then formula indicators, each after the formula
    indicators of the file it refers to (cycles are refused before this)."""
    plain = [i for i in items if i.values.get("data_source") != DataSource.FORMULA]
    formulas = [i for i in items if i.values.get("data_source") == DataSource.FORMULA]
    by_key = {(i.agency.pk, i.code): i for i in formulas}
    ordered: list[IndicatorRow] = []
    placed: set[tuple[int, str]] = set()

    def place(item: IndicatorRow, path: frozenset[Key]) -> None:
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
