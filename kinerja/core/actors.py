"""Who acts in an operation: a signed-in user, or the installation itself.

Every operation takes ``by``, the one on whose behalf it runs, and checks that one's rights
inside. Doors with no person behind them — a console command run without ``--as``, a scheduled
job, the demo loader — pass :data:`SYSTEM`, which holds the rights of the region's
administrator and no employee's (it never rates, approves or objects, which only a person in
the rater chain may). The audit trail records it under its door's label (``console:root``).
Web pages and API endpoints always pass ``request.user``, never :data:`SYSTEM`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal, TypeAlias

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    # Names of django-stubs only: ``_User`` is the project's user model (``AUTH_USER_MODEL``,
    # accounts' ``User``: its plugin reads the settings), ``_AnyUser`` that or an anonymous
    # visitor — so core names the user type without importing the accounts app above it.
    from django.contrib.auth.models import _AnyUser, _User
    from typing_extensions import TypeIs


class System:
    """The installation acting on its own (see the module's docstring)."""

    is_authenticated: Final[Literal[True]] = True
    is_active: Final[Literal[True]] = True
    is_anonymous: Final[Literal[False]] = False
    pk: Final[None] = None
    employee_id: Final[None] = None
    username: Final = "system"

    def __repr__(self) -> str:
        return "SYSTEM"

    def __bool__(self) -> bool:
        return True


SYSTEM: Final = System()

#: Who an operation runs for: a user of the site (``request.user``, perhaps an anonymous
#: visitor, who has no rights at all) or :data:`SYSTEM`.
Actor: TypeAlias = "_AnyUser | System"


def is_system(by: object) -> TypeIs[System]:
    return by is SYSTEM


def user_of(by: Actor) -> _User | None:
    """The user to store as the author of a row (``None`` for :data:`SYSTEM`). Operations ask
    it after checking ``by``'s rights, which an anonymous visitor never has."""
    if is_system(by):
        return None
    if not by.is_authenticated:
        raise PermissionDenied
    return by
