"""Who is calling the API: a personal token (``Authorization: Bearer …``) or a signed-in browser.

Both answer with the rights of one user (``scope_for(user)``) and open the audit door
``api`` for that user, so that a change made through the API is attributed to it. Using a
token is not itself a change: it writes nothing to the audit trail, and ``last_used_at`` is
written at most once a minute per token so that a busy client does not turn every read into a
write.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from kinerja.core import audit
from kinerja.core.models import Channel

from . import throttle
from .models import ApiToken, User, hash_token

#: ``last_used_at`` is precise to this much; closer uses do not write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenRefused(AuthenticationError):
    """A token was sent but does not authenticate anybody (401 with a precise reason)."""

    def __init__(self, message: str) -> None:
        super().__init__(401, message)


def may_use_api(user: User | None) -> bool:
    """An active account; for an employee, also an active employee record (a former employee
    keeps their record and their tokens, but they no longer open anything)."""
    if user is None or not user.is_active:
        return False
    return user.employee_id is None or user.employee.active


def token_find(raw: str) -> ApiToken | None:
    """The active (not revoked) token whose secret is ``raw``, with its user, or None."""
    raw = (raw or "").strip()
    if not raw:
        return None
    return (
        ApiToken.objects.active()
        .select_related("user__employee")
        .filter(token_hash=hash_token(raw))
        .first()
    )


class TokensThrottled(HttpError):
    """Too many wrong tokens from this address (429, with ``Retry-After``)."""

    retry_after = throttle.WINDOW_SECONDS

    def __init__(self) -> None:
        super().__init__(
            429,
            _("Too many wrong tokens from this address; try again in %(minutes)d minutes.")
            % {"minutes": throttle.WINDOW_SECONDS // 60},
        )


def token_checked(request: HttpRequest, raw: str) -> ApiToken:
    """The active token ``raw`` sent with ``request``; a wrong one counts against the address
    (:mod:`.throttle`), and an address past its ceiling is refused before any lookup."""
    if throttle.address_blocked(request, throttle.TOKEN):
        raise TokensThrottled()
    found = token_find(raw)
    if found is None:
        throttle.note_failure(request, throttle.TOKEN)
        raise TokenRefused(_("The token is unknown or was revoked."))
    return found


def token_touch(token: ApiToken, *, now=None) -> None:
    """Note that the token was used, unless that was noted less than a minute ago.

    A plain UPDATE of one column: not an audited change, and no ``save()`` signals.
    """
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: a personal API token, acting as its user."""

    openapi_bearerFormat = "knj_…"
    openapi_description = (
        "A personal API token, created with `kinerja tokens create --name NAME --user USER`. "
        "It acts with the rights of its user."
    )

    def authenticate(self, request: HttpRequest, token: str) -> User:
        # A token was sent: a wrong one is refused at once instead of falling back to the
        # browser session, so that it is never silently replaced by somebody else's rights.
        found = token_checked(request, token)
        if found.user is None:
            # Service-application tokens (ingesting stream events) have no user and therefore
            # no rights on the read API.
            raise HttpError(
                403, _("This token belongs to a service application; it cannot read this API.")
            )
        if not may_use_api(found.user):
            raise TokenRefused(_("The account of this token is disabled."))
        token_touch(found)
        request.api_token = found
        audit.set_door(Channel.API, found.user)
        return found.user


class BrowserSession(SessionAuth):
    """A signed-in browser (the session cookie); unsafe methods also need the CSRF token."""

    openapi_description = "The session of a user signed in to the Kinerja web pages."

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)
        if user is None or not may_use_api(user):
            return None
        audit.set_door(Channel.API, user)
        return user


#: The authentication of every endpoint, in the order tried.
API_AUTH = [TokenAuth(), BrowserSession()]
