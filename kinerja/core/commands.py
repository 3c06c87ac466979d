"""A base for Kinerja's management commands: changes made by a command are recorded in the
audit trail as coming through the ``command`` door, with the operating-system user as actor
label (or the Kinerja user named with ``--as``).

Commands speak English, like the operations guide and the API; the web pages speak
Indonesian. Set ``KINERJA_COMMAND_LANGUAGE=id`` for Indonesian messages in the terminal."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from . import audit
from .actors import SYSTEM, Actor
from .models import Channel


def console_label() -> str:
    try:
        return f"console:{getpass.getuser()}"
    except (KeyError, OSError):
        return "console"


class ConsoleCommand(BaseCommand):
    """A command that speaks the console's language. Subclasses implement ``run()``."""

    def handle(self, *args: Any, **options: Any) -> str | None:
        with translation.override(os.environ.get("KINERJA_COMMAND_LANGUAGE", "en")):
            return self.run(*args, **options)

    def run(self, *args: Any, **options: Any) -> str | None:  # pragma: no cover - abstract
        raise NotImplementedError


class AuditedCommand(ConsoleCommand):
    """A command that changes data: its changes are recorded as coming through the command
    door. Subclasses implement ``run(*args, **options)`` instead of ``handle`` and pass
    ``self.by`` to the operations they call: the user named with ``--as``, else
    :data:`~kinerja.core.actors.SYSTEM`."""

    by: Actor = SYSTEM

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME_OR_NIP",
            help="Record changes in the audit trail as made by this Kinerja user.",
        )

    def handle(self, *args: Any, **options: Any) -> str | None:
        actor = None
        if options.get("as_user"):
            actor = get_user_model().objects.filter(username__iexact=options["as_user"]).first()
            if actor is None:
                raise CommandError(f"No user named {options['as_user']!r}.")
        self.by = actor or SYSTEM
        with audit.door(Channel.COMMAND, actor, label=console_label()):
            return super().handle(*args, **options)
