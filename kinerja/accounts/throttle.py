"""Per-address ceilings on failures, above the per-account lockout of django-axes.

* Sign-ins: offices share one public address, so the ceiling is high (50 by default in 15
  minutes); it stops a single machine from trying passwords across many accounts.
* API tokens: a wrong ``Authorization: Bearer`` token (unknown or revoked) counts against its
  address; past the ceiling (20 by default in 15 minutes) the address gets 429 with
  ``Retry-After`` before any token is looked up, so guessing tokens is slowed to a crawl while
  a client with a right token is never counted.
"""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 15 * 60
SIGNIN = "signin"
TOKEN = "token"  # noqa: S105 (a name of a counter, not a secret)


def _key(request, what: str) -> str:
    return f"{what}-failures:{get_client_ip_address(request) or 'unknown'}"


def _limit(what: str) -> int:
    if what == TOKEN:
        return int(settings.KINERJA_TOKEN_FAILURES_PER_ADDRESS)
    return int(settings.KINERJA_SIGNIN_FAILURES_PER_ADDRESS)


def address_blocked(request, what: str = SIGNIN) -> bool:
    return cache.get(_key(request, what), 0) >= _limit(what)


def note_failure(request, what: str = SIGNIN) -> None:
    key = _key(request, what)
    if not cache.add(key, 1, WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)
