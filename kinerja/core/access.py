"""The one way a page, an endpoint or a command looks up one scoped object.

Every model with scoped data has one door, ``Model.objects.visible_to(user)`` (or a named
queryset method for a narrower rule, such as ``Skp.objects.reachable_for_feedback(user)``).
:func:`visible_or_404` goes through that door: an object the user may not see is as absent as
one that does not exist (404), so that outsiders learn nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from .actors import Actor

M = TypeVar("M", bound=Model)


class NotFound(Http404):
    """A 404 whose message may be shown: the API answers ``{"error": message}`` (e.g. "Plan not
    found."); pages show their usual 404 page."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


def visible_or_404(
    source: type[M] | QuerySet[M],
    user: Actor | None,
    /,
    *,
    door: str = "visible_to",
    not_found: str = "",
    **lookup: Any,
) -> M:
    """The one object matching ``lookup`` among those ``user`` may reach through ``door`` (a
    queryset method taking the user: ``visible_to`` unless a narrower rule is named), else
    :class:`NotFound` (an :class:`Http404`) with the message ``not_found``. ``source`` is a
    model, or a queryset of it with ``select_related`` and the like."""
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    scoped: QuerySet[M] = getattr(queryset, door)(user)
    try:
        return scoped.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise NotFound(not_found) from None
