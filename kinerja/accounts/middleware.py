"""The interface language: the signed-in person's saved choice, never the browser's.

Django's ``LocaleMiddleware`` follows the browser's Accept-Language, so an English Windows
would get an English Kinerja. Here the language is, in this order: the signed-in user's saved
``User.language`` (the language switch saves it); for someone not signed in, the language
cookie the switch sets; otherwise ``settings.LANGUAGE_CODE`` (Indonesian). The API answers in
English whatever this says (:class:`kinerja.core.middleware.ApiLanguageMiddleware`, which runs
after this one).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation

from kinerja.core.middleware import GetResponse


def offered(language: str | None) -> str | None:
    """``language`` when it is one of ``settings.LANGUAGES``, else ``None``."""
    return language if language in dict(settings.LANGUAGES) else None


def language_for(request: HttpRequest) -> str:
    """The language of the pages ``request`` gets (see the module's docstring)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return offered(getattr(user, "language", None)) or settings.LANGUAGE_CODE
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return offered(cookie) or settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """Activate :func:`language_for` for the request (after ``AuthenticationMiddleware``)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
