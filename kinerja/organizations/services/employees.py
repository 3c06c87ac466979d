"""One employee, created or changed from the employee form (imports and the API hand their rows
to the changeset the same way)."""

from __future__ import annotations

from django.db import transaction

from kinerja.core.actors import Actor

from .. import permissions
from ..changeset import Outcome, Row, apply_rows_or_raise


@transaction.atomic
def employee_save(*, values: dict[str, str], by: Actor) -> Outcome:
    """Create or change the employee whose NIP ``values`` name (the changeset's employee
    columns). The regional administrator may change anyone; a Pengelola Kinerja employees of
    their agency only, which the changeset enforces row by row. Raises
    :class:`~kinerja.organizations.changeset.ChangesetError` with every problem, by column;
    the changeset writes the audit record of the changed row."""
    permissions.require_employee_adder(by)
    return apply_rows_or_raise(rows={"employees": [Row(None, values)]}, by=by)
