"""A per-address ceiling on failed sign-ins, above the per-account lockout of django-axes.

Offices share one public address, so the ceiling is high (50 by default in 15 minutes); it stops
a single machine from trying passwords across many accounts."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 15 * 60


def _key(request) -> str:
    return f"signin-failures:{get_client_ip_address(request) or 'unknown'}"


def address_blocked(request) -> bool:
    return cache.get(_key(request), 0) >= settings.KINERJA_SIGNIN_FAILURES_PER_ADDRESS


def note_failure(request) -> None:
    key = _key(request)
    if not cache.add(key, 1, WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)
