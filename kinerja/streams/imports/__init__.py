"""Importing events from a file (``kinerja events import``): :mod:`.read` (streaming readers
for ``.ndjson``, ``.csv`` and ``.xlsx``), :mod:`.check` (the mapping of their rows to the
contract's events) and :mod:`.store` (the batches, validated and stored exactly as the API
does). Reading shares the spreadsheet stack of :mod:`kinerja.core.tabular`."""

from .check import UNKNOWN_UNITS, CasePerRow
from .read import ImportFileError, RowError
from .store import FORMATS, BatchReport, ImportResult, import_events

__all__ = [
    "FORMATS",
    "UNKNOWN_UNITS",
    "BatchReport",
    "CasePerRow",
    "ImportFileError",
    "ImportResult",
    "RowError",
    "import_events",
]
