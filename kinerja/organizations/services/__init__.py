"""Operations that change the organisation and the accounts of its people, by noun.

Each takes ``by`` (keyword-only, required), checks its rights through :mod:`..permissions`,
runs in one transaction and writes its own audit record. Rows of agencies, units, positions and
employees change through :mod:`..changeset` (one path for forms, imports and the API);
:func:`employee_save` is the operation of the employee form.

- :mod:`.region` — the regional government: :func:`region_set`
- :mod:`.acting` — acting officials (Plt/Plh): :func:`acting_start`, :func:`acting_end`
- :mod:`.overrides` — rater overrides: :func:`override_start`, :func:`override_end`
- :mod:`.raters` — the stored rater chains: :func:`raters_recompute`, :func:`raters_refresh`
  (:mod:`kinerja.organizations.chains` holds the step every change of the tree ends with)
- :mod:`.employees` — one employee from a form: :func:`employee_save`
- :mod:`.accounts` — employees' accounts: :func:`account_for_employee`,
  :func:`account_for_login`, :func:`password_set`
"""

from .accounts import account_for_employee, account_for_login, password_set
from .acting import acting_end, acting_start
from .employees import employee_save
from .overrides import override_end, override_start
from .raters import raters_recompute, raters_refresh
from .region import region_set

__all__ = [
    "account_for_employee",
    "account_for_login",
    "acting_end",
    "acting_start",
    "employee_save",
    "override_end",
    "override_start",
    "password_set",
    "raters_recompute",
    "raters_refresh",
    "region_set",
]
