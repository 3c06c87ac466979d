"""Who may see which service data (domain.md §4–5).

* A service application's token writes events to its streams and reads their metrics.
* People see a stream of their own agency (regional readers: every stream) as aggregates —
  the whole stream or one unit.
* Individual data — metrics filtered to one officer — is seen only by that officer and their
  rater chain (their rater and the rater's superior), never by anyone else, administrators
  included: evaluation must not feel like surveillance.
"""

from __future__ import annotations

from django.db.models import Q

from kinerja.accounts.models import ApiToken
from kinerja.organizations.models import Employee, RaterChain
from kinerja.organizations.scope import scope_for

from .models import Stream


def token_may_use(token: ApiToken, stream: Stream) -> bool:
    return token.streams.filter(pk=stream.pk).exists()


def visible_stream(user, code: str) -> Stream | None:
    return Stream.objects.visible_to(user).filter(code=code).select_related("agency").first()


def may_see_officer(user, nip: str) -> bool:
    """The officer themselves, or someone in the officer's rater chain."""
    me = scope_for(user).employee_id
    if me is None:
        return False
    if Employee.objects.filter(pk=me, nip=nip).exists():
        return True
    return RaterChain.objects.filter(
        Q(rater_id=me) | Q(rater_superior_id=me), employee__nip=nip
    ).exists()


def officers_visible_to(user) -> list[Employee]:
    """The officers whose individual data ``user`` may see: themselves and whom they rate."""
    me = scope_for(user).employee_id
    if me is None:
        return []
    return list(
        Employee.objects.filter(
            Q(pk=me) | Q(rater_chain__rater_id=me) | Q(rater_chain__rater_superior_id=me),
            active=True,
        )
        .distinct()
        .order_by("name")
    )
