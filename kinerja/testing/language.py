"""Tests that read the English msgids: the pages follow the user's saved language (never the
browser's), so a test asks for English the way a person does — by choosing it."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client


def english(client: Client) -> Client:
    """Every user ``client`` is (or gets) signed in as reads English, and so do the pages
    before signing in (the language cookie)."""
    client.cookies["django_language"] = "en"
    user_id = client.session.get(SESSION_KEY)
    if user_id is not None:
        get_user_model().objects.filter(pk=user_id).update(language="en")
    force_login = client.force_login

    def force_login_in_english(user, backend=None):
        get_user_model().objects.filter(pk=user.pk).update(language="en")
        user.language = "en"
        return force_login(user, backend)

    client.force_login = force_login_in_english  # type: ignore[method-assign]
    return client
