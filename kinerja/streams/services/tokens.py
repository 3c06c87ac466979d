"""Operations on service applications' tokens: create one for some streams (its secret is
returned once; only its hash is stored), revoke one. The region's administrator only
(``permissions.may_manage_tokens``; ``SYSTEM`` in commands). The token itself, and its audit
record, are the accounts app's (``token_create``, ``token_revoke``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kinerja.accounts.models import ApiToken
from kinerja.accounts.services import token_create, token_revoke
from kinerja.core.actors import Actor

from .. import permissions
from ..models import Stream


def service_tokens() -> QuerySet[ApiToken]:
    """Tokens of service applications (they have streams, never a user)."""
    return (
        ApiToken.objects.filter(user=None, streams__isnull=False)
        .distinct()
        .prefetch_related("streams")
        .order_by("name")
    )


def service_tokens_managed_by(by: Actor) -> QuerySet[ApiToken]:
    """The door to service applications' tokens: all of them for those who manage them
    (:func:`~kinerja.streams.permissions.may_manage_tokens`), none for anyone else."""
    return service_tokens() if permissions.may_manage_tokens(by) else ApiToken.objects.none()


def _require_may_manage_tokens(by: Actor) -> None:
    permissions.require(
        permissions.may_manage_tokens(by),
        _("Only a regional administrator may manage the tokens of service applications."),
    )


@transaction.atomic
def service_token_create(
    *, name: str, streams: Sequence[Stream], by: Actor
) -> tuple[ApiToken, str]:
    """A service application's token for ``streams``; its secret is returned once."""
    _require_may_manage_tokens(by)
    if not streams:
        raise ValidationError({"streams": _("Choose at least one stream.")})
    return token_create(name=name, user=None, streams=list(streams), by=by)


@transaction.atomic
def service_token_revoke(*, token: ApiToken, by: Actor) -> ApiToken:
    _require_may_manage_tokens(by)
    return token_revoke(token=token, by=by)
