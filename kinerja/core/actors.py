"""Who acts in an operation: a signed-in user, or the installation itself.

Every operation takes ``by``, the one on whose behalf it runs, and checks that one's rights
inside. Doors with no person behind them — a console command run without ``--as``, a scheduled
job, the demo loader — pass :data:`SYSTEM`, which holds the rights of the region's
administrator and no employee's (it never rates, approves or objects, which only a person in
the rater chain may). The audit trail records it under its door's label (``console:root``).
Web pages and API endpoints always pass ``request.user``, never :data:`SYSTEM`.
"""

from __future__ import annotations

from typing import Any, Final


class System:
    """The installation acting on its own (see the module's docstring)."""

    is_authenticated: Final = True
    is_active: Final = True
    is_anonymous: Final = False
    pk: Final = None
    employee_id: Final = None
    username: Final = "system"

    def __repr__(self) -> str:
        return "SYSTEM"

    def __bool__(self) -> bool:
        return True


SYSTEM: Final = System()


def is_system(by: Any) -> bool:
    return by is SYSTEM


def user_of(by: Any) -> Any:
    """The user to store as the author of a row (``None`` for :data:`SYSTEM`)."""
    return None if by is SYSTEM else by
