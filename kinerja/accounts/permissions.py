"""The rights that follow from an account alone: its assigned region-wide roles.

Admin BKPSDM and Auditor cover the whole region, whatever the organisation says, so deciding
them needs no organisation data. That is why the pure identity operations (role assignments and
API tokens, which only a regional administrator manages) check their rights here, in accounts;
every right that depends on the organisation (an agency's Pengelola Kinerja, a rater, an agency
head) is decided by :func:`kinerja.organizations.scope.scope_for`, which builds on
:func:`assigned_roles` below — one definition of what an assignment grants.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from kinerja.core.actors import Actor, System, is_system

from .models import Role, RoleAssignment, User


@dataclass(frozen=True)
class Assigned:
    """What a user's role assignments (and superuser flag) grant, before the organisation is
    consulted."""

    #: Admin BKPSDM (a superuser counts as one) and Auditor
    region_roles: frozenset[str] = frozenset()
    #: agencies of the user's Pengelola Kinerja assignments (they count only while the person
    #: works there, which :func:`~kinerja.organizations.scope.scope_for` decides)
    agency_assignments: frozenset[int] = frozenset()

    @property
    def region_read(self) -> bool:
        return bool(self.region_roles)

    @property
    def region_write(self) -> bool:
        return Role.ADMIN_BKPSDM in self.region_roles


NOTHING = Assigned()

#: The reason given when only the regional administrator may do something.
ADMINISTRATORS_ONLY = _("Only a regional administrator (Admin BKPSDM) may do this.")


def signed_in(user: Actor | None) -> TypeGuard[User | System]:
    """An active, authenticated account (anything else has no rights at all)."""
    return user is not None and user.is_authenticated and user.is_active


def assigned_roles(user: Actor | None) -> Assigned:
    """The assigned roles of ``user`` (one query); nothing for an inactive or anonymous user."""
    if not signed_in(user) or is_system(user):
        return NOTHING
    rows = list(RoleAssignment.objects.filter(user=user).values_list("role", "agency_id"))
    region = {role for role, _agency in rows if role in (Role.ADMIN_BKPSDM, Role.AUDITOR)}
    if user.is_superuser:
        region.add(Role.ADMIN_BKPSDM)
    return Assigned(
        region_roles=frozenset(region),
        agency_assignments=frozenset(
            agency for role, agency in rows if role == Role.PENGELOLA_KINERJA
        ),
    )


def is_administrator(by: Actor) -> bool:
    """Whether ``by`` holds the regional administrator's rights: :data:`SYSTEM`, a superuser
    or an Admin BKPSDM."""
    return is_system(by) or assigned_roles(by).region_write


def require_administrator(by: Actor) -> None:
    """Refuse (403) anyone but the regional administrator."""
    if not is_administrator(by):
        raise PermissionDenied(ADMINISTRATORS_ONLY)


def can_choose_language(by: Actor, user: User) -> bool:
    """Each person chooses their own interface language; nobody chooses it for another."""
    return signed_in(by) and not is_system(by) and by.pk == user.pk
