"""The shape of a spreadsheet: sheets, their columns, and what a header cell names.

Each app describes its files with these (``organizations.columns``, ``strategy.imports.columns``);
the readers, the header check, the help sheet and the import pages read the same description.
Sheet and column names are Indonesian, because the people who fill the files in work in
Indonesian; the same names serve CSV headers and XLSX sheets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import RowError

if TYPE_CHECKING:
    # django-stubs' name of "a text or a lazy translation of one" (``gettext_lazy``).
    from django.utils.functional import _StrOrPromise

#: The sheet of explanations in a template and in every exported workbook; never read.
HELP_SHEET_TITLE = "Petunjuk"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: _StrOrPromise
    example: str


@dataclass(frozen=True)
class Sheet:
    key: str  # the app's name for the data, e.g. employees, indicators
    title: str  # the sheet's name in a workbook, e.g. Pegawai, Indikator
    key_column: str
    columns: tuple[Column, ...]
    #: What a row error calls the sheet (``RowError.sheet``): its key (organisation files) or
    #: its title (indicator workbooks). Shown to people, an error always names the title.
    errors_by_title: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def error(self, row: int | None, column: str, message: str) -> RowError:
        """A problem in ``row`` (the header is row 1) and ``column`` of this sheet."""
        name = self.title if self.errors_by_title else self.key
        return RowError(name, row, column, message, title=self.title)


def sheet_for_title(title: str, sheets: Iterable[Sheet]) -> Sheet | None:
    """The sheet a workbook's sheet stands for, by its title or key, ignoring case."""
    wanted = title.strip().lower()
    for sheet in sheets:
        if wanted in {sheet.title.lower(), sheet.key}:
            return sheet
    return None


def normalize_header(name: object) -> str:
    """A header cell as a column name: case and surrounding spaces ignored, inner spaces
    become underscores ("Kode Unit" → "kode_unit")."""
    return "_".join(str(name or "").strip().lower().split())


def column_letter(index: int) -> str:
    """The spreadsheet's letter of a column counted from 0: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
