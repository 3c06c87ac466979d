"""Changing agencies, units, positions and employees from rows of values.

This is the one path for organisation data: an import file, the edit form of one employee and
the API all hand rows to :func:`apply_rows`. It validates every row against the state the
database would have afterwards, reports each problem with its sheet, row and column, and only
then writes everything in one transaction (or nothing, if anything is wrong or ``dry_run``).

Rows hold the file's canonical strings (see :mod:`.columns`). A column that is absent leaves
the stored value alone; a column that is present but empty clears it.

The work runs in phases, each over plain dictionaries (no query per row):

1. *merge*: clean every row and lay it over the stored state (``proposed``);
2. *resolve*: derive what follows from other values (an employee's unit from the position,
   the canonical spelling of a rank);
3. *check*: the rules that concern several rows (unknown codes, loops, one holder per
   structural position, a position's holders in its unit, an agency's head in the agency);
4. *permissions*: every row must stay inside the agencies its author (``by``) may change;
5. *diff* and, when everything is valid, *write* with bulk queries and one audit record per
   changed row.

Modules: :mod:`.records` (rows, outcome, the stored state), :mod:`.cleaning` (1),
:mod:`.engine` (the operation, 1, 2 and 5), :mod:`.checks` (3), :mod:`.rights` (4),
:mod:`.store` (writing).
"""

from kinerja.core.tabular.errors import RowError

from .engine import Changeset, Progress, apply_rows, apply_rows_or_raise
from .records import (
    Change,
    ChangesetError,
    Outcome,
    Row,
    State,
    error_order,
    load_state,
    row_error,
)

__all__ = [
    "Change",
    "Changeset",
    "ChangesetError",
    "Outcome",
    "Progress",
    "Row",
    "RowError",
    "State",
    "apply_rows",
    "apply_rows_or_raise",
    "error_order",
    "load_state",
    "row_error",
]
