"""Who may see which service data (domain.md §4–5). Rights to change it are in
``permissions.py``.

* A service application's token writes events to its streams and reads their metrics
  (``Stream.objects.of_token``); in a unit filter it may name the units of its streams'
  agencies (``units_nameable_by``).
* People see a stream of their own agency (regional readers: every stream) as aggregates —
  the whole stream or one unit they see (``Stream.objects.visible_to``,
  ``Unit.objects.visible_to``). A personal token reads with its user's rights.
* Individual data — metrics filtered to one officer — is seen only by that officer and their
  rater chain (their rater and the rater's superior), never by anyone else, administrators
  included: evaluation must not feel like surveillance (``officers_seen_by``).

The callers of the service-data API (``request.auth``) are a token (``ApiToken``, with or
without a user) or a signed-in user; ``service_token`` and ``person_of`` tell them apart.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kinerja.accounts.models import ApiToken
from kinerja.organizations.models import Employee, Unit
from kinerja.organizations.scope import scope_for

from .models import Stream


def service_token(caller) -> ApiToken | None:
    """The caller when it is a service application's token (a token without a user)."""
    return caller if isinstance(caller, ApiToken) and caller.user_id is None else None


def person_of(caller):
    """The user on whose rights a caller that is not a service token reads."""
    return caller.user if isinstance(caller, ApiToken) else caller


def streams_readable_by(caller) -> QuerySet[Stream]:
    """The streams whose metrics a caller of the API may read: a service token its own, anyone
    else those they see."""
    token = service_token(caller)
    if token is not None:
        return Stream.objects.of_token(token)
    return Stream.objects.visible_to(person_of(caller))


def units_nameable_by(caller) -> QuerySet[Unit]:
    """The units a caller may name in a metrics query: for a service token, the units of its
    streams' agencies; for anyone else, the units they see."""
    token = service_token(caller)
    if token is not None:
        return Unit.objects.filter(agency_id__in=Stream.objects.of_token(token).values("agency_id"))
    return Unit.objects.visible_to(person_of(caller))


def officers_seen_by(user) -> QuerySet[Employee]:
    """The officers whose individual data ``user`` may see: themselves, and whom they rate or
    whose rater they are superior to."""
    me = scope_for(user).employee_id
    if me is None:
        return Employee.objects.none()
    return Employee.objects.filter(
        Q(pk=me) | Q(rater_chain__rater_id=me) | Q(rater_chain__rater_superior_id=me)
    )


def may_see_officer(user, nip: str) -> bool:
    """The officer themselves, or someone in the officer's rater chain."""
    return officers_seen_by(user).filter(nip=nip).exists()


def officers_visible_to(user) -> list[Employee]:
    """The active officers whose individual data ``user`` may see, by name (the dashboard's
    officer filter)."""
    return list(officers_seen_by(user).filter(active=True).distinct().order_by("name"))
