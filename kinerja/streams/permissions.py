"""Who may change what in service data. The operations (``services``) call these, so that every
door — page, API endpoint, command, import, demo loader — applies the same rules; who may *see*
what is decided by the querysets' doors (``Stream.objects.visible_to``, ``access.py``).

* **Stream definitions** (create, change, re-derive the cases) and **service tokens**: the
  region's administrator (Admin BKPSDM; :data:`~kinerja.core.actors.SYSTEM` in commands).
* **Excluded cases** and **alert rules** of a stream: Admin BKPSDM and the Pengelola Kinerja of
  the stream's agency (``Stream.objects.managed_by`` is the same rule as a queryset).
* **Sending events** (``services.events_ingest``): ``by`` is whoever sends —

  - through the HTTP API, the *token* of the request (``request.auth``). A service
    application's token may send to the streams it was given; a personal token has no
    streams, so it sends nowhere, whatever its user's rights (people send events as a file,
    with ``kinerja events import``);
  - through a command or the demo loader, a user (``--as``) or ``SYSTEM``: those who manage
    the stream (as for excluded cases).

  A closed stream takes no events from anyone.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kinerja.accounts.models import ApiToken
from kinerja.core.actors import Actor
from kinerja.organizations.scope import scope_for

from .models import Stream

#: Where a token's stream ids are kept for the rest of the request (the token object is read
#: afresh for every request), so that checking it twice costs one query.
STREAM_IDS_MEMO = "_kinerja_stream_ids"


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def may_define_streams(by: Actor) -> bool:
    """Create and change stream definitions, re-derive their cases."""
    return scope_for(by).region_write


def may_manage_tokens(by: Actor) -> bool:
    """List, create and revoke service applications' tokens."""
    return scope_for(by).region_write


def may_manage_stream(by: Actor, stream: Stream) -> bool:
    """Exclude cases from a stream's metrics and set its alert rules: Admin BKPSDM, and the
    Pengelola Kinerja of the stream's agency."""
    scope = scope_for(by)
    return scope.region_write or stream.agency_id in scope.agencies_managed


def token_stream_ids(token: ApiToken) -> frozenset[int]:
    """The ids of the streams ``token`` was given (``Stream.objects.of_token``), read once per
    token object."""
    ids = getattr(token, STREAM_IDS_MEMO, None)
    if ids is None:
        ids = frozenset(Stream.objects.of_token(token).values_list("pk", flat=True))
        setattr(token, STREAM_IDS_MEMO, ids)
    return ids


def token_may_use(token: ApiToken, stream: Stream) -> bool:
    """A service application's token sends events to, and reads the metrics of, its streams."""
    return stream.pk in token_stream_ids(token)


def send_refusal(by: Actor | ApiToken, stream: Stream) -> str | None:
    """Why ``by`` may not send events to ``stream`` (see the module's docstring), or ``None``."""
    if isinstance(by, ApiToken):
        if not token_may_use(by, stream):
            return _("This token may not write to stream %(code)s.") % {"code": stream.code}
    elif not may_manage_stream(by, stream):
        return _("You may not send events to stream %(code)s.") % {"code": stream.code}
    if not stream.active:
        return _("Stream %(code)s is closed.") % {"code": stream.code}
    return None


def require_may_send(by: Actor | ApiToken, stream: Stream) -> None:
    refusal = send_refusal(by, stream)
    if refusal is not None:
        raise PermissionDenied(refusal)
