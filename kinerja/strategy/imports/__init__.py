"""Indicators, targets and realisations imported from an Excel workbook, in three steps:
:mod:`.read` (the sheets into rows), :mod:`.check` (every row, before anything is stored) and
:mod:`.store` (through the operations of the pages, all or nothing); the sheets and columns
are in :mod:`.columns`, the exports in :mod:`kinerja.strategy.spreadsheets`.

The workbook has the sheets Indikator, Target and Realisasi (any of them) and a sheet
"Petunjuk" that explains every column with an example; sheet and column names are Indonesian,
like the organisation files, on the same stack (:mod:`kinerja.core.tabular`).

An import first reads and checks every row (codes, numbers, words, the author's rights,
formula cycles), then stores the rows through the same operations as the pages
(:func:`..services.indicator_save`, :func:`..services.target_set`,
:func:`..services.realisation_record`) inside one transaction, so that every rule of those
operations applies (the agreement's state, a month that fits the indicator's period, no future
months). If any row is wrong, or for a dry run, the transaction is rolled back: nothing is
stored and no audit record remains. A row equal to what is stored is not handed to the
operations at all, so re-importing an export changes nothing, even for the targets of an
agreement that has been agreed since.

A column left out of a sheet keeps the stored values of that column; an empty cell clears it
(or gives the default). Realisations are imported like a person enters them: a new or changed
value waits for verification; the state itself is never imported.
"""

from kinerja.core.tabular.errors import TabularError

from .columns import INDICATORS, ORDER, REALISATIONS, SHEETS, TARGETS
from .read import WorkbookRows, cell_decimal, read_workbook
from .store import ImportOutcome, import_workbook

__all__ = [
    "INDICATORS",
    "ORDER",
    "REALISATIONS",
    "SHEETS",
    "TARGETS",
    "ImportOutcome",
    "TabularError",
    "WorkbookRows",
    "cell_decimal",
    "import_workbook",
    "read_workbook",
]
