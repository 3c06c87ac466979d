"""What an import answers: errors that name the sheet, row and column, and the outcome.

A problem with one cell or row is a :class:`RowError`; a problem with the file as a whole
(wrong type, not UTF-8, unknown columns) raises :class:`TabularError` carrying such errors
(row 1 is the header row). An import collects every error before it stores anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.utils.translation import gettext as _

if TYPE_CHECKING:  # pragma: no cover - for the type hints only
    from .columns import Sheet


class RowErrorDict(TypedDict):
    """A :class:`RowError` as a page's or an endpoint's JSON shows it."""

    sheet: str
    row: int | None
    column: str
    message: str


class SheetCount(TypedDict):
    """What an import did with the rows of one sheet (see :func:`count_rows`)."""

    key: str
    title: str
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class RowError:
    """A problem at a place in a file. ``sheet`` is the app's name of the sheet (see
    :attr:`.columns.Sheet.errors_by_title`), ``title`` the name people see; ``row`` counts as
    the spreadsheet does (the header is row 1), ``None`` for the file as a whole or a form."""

    sheet: str
    row: int | None
    column: str
    message: str
    title: str = field(default="", compare=False)

    @property
    def sheet_title(self) -> str:
        return self.title or self.sheet

    def as_dict(self) -> RowErrorDict:
        return {
            "sheet": self.sheet_title,
            "row": self.row,
            "column": self.column,
            "message": str(self.message),
        }

    def __str__(self) -> str:
        where = self.sheet_title
        if self.row is not None:
            where = _("%(sheet)s, row %(row)d") % {"sheet": where, "row": self.row}
        if self.column:
            where = _("%(where)s, column %(column)s") % {"where": where, "column": self.column}
        return f"{where}: {self.message}" if where else str(self.message)


class TabularError(Exception):
    """The file cannot be read; ``errors`` say why (row 1 is the header row)."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def file_error(message: str) -> TabularError:
    """A problem with the file as a whole."""
    return TabularError([RowError("", None, "", message)])


@dataclass
class Outcome:
    """What an import did (or, for a dry run or a refused one, would have done): counts of
    created, updated and unchanged rows per sheet key, and the errors."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    @property
    def empty(self) -> bool:
        """Valid, and not one row given (a template uploaded unchanged)."""
        return self.ok and not any(sum(c.values()) for c in self.counts.values())

    def count_rows(self, sheets: Mapping[str, Sheet]) -> list[SheetCount]:
        """``[{"key", "title", "created", "updated", "unchanged"}]`` in the order of ``sheets``,
        for the sheets read."""
        return count_rows(self.counts, sheets)


def count_rows(
    counts: Mapping[str, Mapping[str, int]], sheets: Mapping[str, Sheet]
) -> list[SheetCount]:
    """Counts per sheet key as rows for a page or a console, in the order of ``sheets``."""
    return [
        {
            "key": key,
            "title": sheet.title,
            "created": counts[key].get("created", 0),
            "updated": counts[key].get("updated", 0),
            "unchanged": counts[key].get("unchanged", 0),
        }
        for key, sheet in sheets.items()
        if key in counts
    ]


def fresh_counts(keys: Iterable[str]) -> dict[str, Counter[str]]:
    return {key: Counter({"created": 0, "updated": 0, "unchanged": 0}) for key in keys}
