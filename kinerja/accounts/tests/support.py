"""Helpers shared by the API tests: a fresh personal token and its Authorization header."""

from itertools import count

from kinerja.accounts.services import token_create
from kinerja.core.actors import SYSTEM

ME = "/api/v1/me"
_names = count(1)


def new_token(user):
    return token_create(name=f"test-token-{next(_names)}", user=user, by=SYSTEM)


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
