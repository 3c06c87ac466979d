"""``kinerja simulate --stream CODE --rate EVENTS_PER_S --duration S``: a service application
in a box that sends realistic events of a stream through the HTTP API (never the database), so
that a demo shows the live dashboard move. See ``kinerja/streams/simulator.py`` for how the
events come about.

The token: ``--token`` or ``--token-file`` (a service token of the stream, e.g. from ``kinerja
tokens create --name sim --streams CODE | tail -n 1``). Without either, the command creates a
temporary service token for the stream in the database this command is configured with, and
revokes it when the run ends (both recorded in the audit trail) — that works when the server
at ``--url`` uses the same database, the usual case of a demo on one machine.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.http import Http404
from django.utils import timezone

from kinerja.accounts.models import ApiToken
from kinerja.core.access import visible_or_404
from kinerja.core.commands import AuditedCommand
from kinerja.streams.models import Stream
from kinerja.streams.services import service_token_create, service_token_revoke
from kinerja.streams.simulator import SimulatorError, simulate

NIP = re.compile(r"^[0-9]{18}$")
MAX_RATE = 50_000


def _positive(kind: type, limit: float | None = None):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise ValueError(text) from None
        if not value > 0 or (limit is not None and value > limit):
            raise ValueError(text)
        return value

    parse.__name__ = kind.__name__
    return parse


def _codes(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class Command(AuditedCommand):
    help = (
        "Send realistic events of a stream through the HTTP API at EVENTS_PER_S for S seconds, "
        "one batch a second, printing progress every few seconds. Without --token/--token-file "
        "a temporary service token is created in this database and revoked at the end."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--stream", required=True, metavar="CODE", help="The stream's code.")
        parser.add_argument(
            "--rate",
            required=True,
            type=_positive(float, MAX_RATE),
            metavar="EVENTS_PER_S",
            help=f"Events per second (more than 0, at most {MAX_RATE:,}).",
        )
        parser.add_argument(
            "--duration",
            required=True,
            type=_positive(float),
            metavar="S",
            help="How long to run, in seconds.",
        )
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="Where Kinerja serves (default http://127.0.0.1:8000).",
        )
        token = parser.add_mutually_exclusive_group()
        token.add_argument("--token", help="A service token of the stream.")
        token.add_argument(
            "--token-file", type=Path, metavar="FILE", help="A file holding the token."
        )
        parser.add_argument(
            "--units", metavar="U1,U2", help="Unit codes to attribute cases to (default none)."
        )
        parser.add_argument(
            "--officers",
            metavar="NIP,…",
            help="18-digit NIPs of officers to attribute cases to (default none).",
        )
        parser.add_argument("--seed", type=int, help="Make the run's pattern repeatable.")

    def run(self, *args, **options):
        # httpx logs every request at INFO, which the root logger prints: one line a second
        # would drown the progress lines.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        code = options["stream"].strip()
        officers = _codes(options["officers"])
        bad = [nip for nip in officers if not NIP.match(nip)]
        if bad:
            raise CommandError(f"--officers takes 18-digit NIPs; not: {', '.join(bad)}.")
        units = [unit.upper() for unit in _codes(options["units"])]
        secret = options["token"]
        if options["token_file"] is not None:
            try:
                secret = options["token_file"].read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"Cannot read the token file: {exc}") from exc
            if not secret:
                raise CommandError(f"The token file {options['token_file']} is empty.")
        temporary = None
        if not secret:
            temporary, secret = self.temporary_token(code)
        try:
            simulate(
                url=options["url"],
                token=secret.strip(),
                stream_code=code,
                rate=options["rate"],
                duration=options["duration"],
                units=units,
                officers=officers,
                seed=options["seed"],
                zone=ZoneInfo(settings.TIME_ZONE),
                out=self.say,
            )
        except SimulatorError as error:
            raise CommandError(str(error)) from error
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
        finally:
            if temporary is not None:
                service_token_revoke(token=temporary, by=self.by)
                self.stdout.write(f"Temporary token {temporary.name!r} revoked.")

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def temporary_token(self, code: str) -> tuple[ApiToken, str]:
        try:
            stream = visible_or_404(Stream, self.by, code=code)
        except Http404:
            raise CommandError(f"No stream named {code!r} in this database.") from None
        name = f"simulate {code} {timezone.now():%Y%m%d-%H%M%S-%f}"
        try:
            token, secret = service_token_create(name=name, streams=[stream], by=self.by)
        except PermissionDenied as denied:
            raise CommandError(str(denied)) from None
        self.stdout.write(f"Temporary service token {name!r} created for stream {code}.")
        return token, secret
