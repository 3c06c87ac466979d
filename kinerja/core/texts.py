"""Texts made by code for someone to read later — notifications, e-mails, generated goals —
written in the reader's saved language (``User.language``; the region's language,
``settings.LANGUAGE_CODE``, for anyone without one), whatever language the code that makes
them runs in: a page runs in its actor's language, a command or job in none.

- :class:`Text` keeps a message and its parameters until the reader is known:
  ``Text(gettext_lazy("Your %(year)s plan was approved"), year=2026)``; lazy parameters
  (choice labels) and nested :class:`Text` are rendered in the reader's language too.
  :func:`kinerja.core.notifications.notify` renders it for each recipient.
- :data:`formatted` fills the parameters of a lazy msgid when it is read, not when it is made
  (``gettext_lazy(…) % params`` in a module's constants would be written once, at import,
  in no one's language).
- :func:`in_language_of` writes a text made in one go (a stored goal, an alert's
  description with its numbers) in one reader's language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise, lazy


def language_of(reader: Any) -> str:
    """The language ``reader`` (a user, an employee with an account, or ``None``) reads."""
    user = getattr(reader, "user", reader)  # an employee's account (None without one)
    language = getattr(user, "language", None)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def in_region_language() -> translation.override:
    """For texts kept for everyone (audit notes, a plan's history): the region's language."""
    return translation.override(settings.LANGUAGE_CODE)


def in_language_of(reader: Any) -> translation.override:
    """``with in_language_of(user): text = _("…")`` writes ``text`` for ``user``."""
    return translation.override(language_of(reader))


class Text:
    """A message (a lazy msgid) and its ``%``-parameters, rendered in a reader's language."""

    def __init__(self, message: str | Promise, /, **params: Any) -> None:
        self.message = message
        self.params = params

    def render(self, language: str | None = None) -> str:
        with translation.override(language or settings.LANGUAGE_CODE):
            text = str(self.message)
            if not self.params:
                return text
            return text % {key: _rendered(value, language) for key, value in self.params.items()}

    def __str__(self) -> str:
        """In the active language (what the actor who made it would read)."""
        return self.render(translation.get_language())

    def __repr__(self) -> str:
        return f"Text({str(self.message)!r}, {self.params!r})"


def _rendered(value: Any, language: str | None) -> Any:
    if isinstance(value, Text):
        return value.render(language)
    if isinstance(value, Promise):
        return str(value)
    return value


def text_for(text: str | Text, reader: Any) -> str:
    """``text`` as ``reader`` reads it (a plain string is already written)."""
    return text.render(language_of(reader)) if isinstance(text, Text) else text


def _formatted(message: str | Promise, params: dict[str, Any]) -> str:
    return str(message) % params


#: ``formatted(gettext_lazy("Target of TW %(q)d"), {"q": 1})``: a lazy string whose
#: parameters are filled in when it is read, in the language active then.
formatted = lazy(_formatted, str)
