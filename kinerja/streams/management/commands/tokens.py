"""``kinerja tokens create|revoke|list``: personal API tokens.

``create`` prints a short explanation and then the token alone on its last line, once: only
its hash is stored, so it can never be shown again (``kinerja tokens create … | tail -n 1``
gives just the token). ``list`` never shows a secret.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from kinerja.accounts.models import ApiToken
from kinerja.accounts.services import token_create, token_revoke
from kinerja.core.commands import AuditedCommand
from kinerja.organizations.services import account_for_login
from kinerja.streams.models import Stream
from kinerja.streams.services import service_token_create, service_token_revoke


def _messages(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error)
    return " ".join(str(message) for message in error.messages)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


class Command(AuditedCommand):
    help = "Create, revoke and list personal API tokens."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

        create = actions.add_parser("create", help="Create a token and print it once.")
        create.add_argument("--name", required=True, help="A unique name, e.g. laporan-bulanan.")
        # Not required by argparse: a later kind of token (for service applications) has no
        # user, and run_create() says precisely what is missing.
        create.add_argument(
            "--user",
            metavar="USERNAME_OR_NIP",
            help="The user whose rights the token carries (a username, or an employee's NIP).",
        )
        create.add_argument(
            "--streams",
            metavar="CODE[,CODE…]",
            help="A service application's token: the streams it may send events to.",
        )

        revoke = actions.add_parser("revoke", help="Revoke a token; it stops working at once.")
        revoke.add_argument("name", help="The token's name.")

        actions.add_parser("list", help="List tokens (never their secrets).")

    def run(self, *args, **options):
        handler = {
            "create": self.run_create,
            "revoke": self.run_revoke,
            "list": self.run_list,
        }[options["action"]]
        return handler(**options)

    # --- create ----------------------------------------------------------------------------

    def run_create(
        self, *, name: str, user: str | None, streams: str | None = None, **options
    ) -> None:
        if bool(user) == bool(streams):
            raise CommandError(
                "Give either --user USERNAME_OR_NIP (a personal token) or --streams CODE[,CODE…] "
                "(a service application's token)."
            )
        if ApiToken.objects.filter(name=(name or "").strip()).exists():
            # Checked before an employee's account is created for nothing.
            raise CommandError(f"A token named {name.strip()!r} exists already.")
        try:
            if user:
                owner = account_for_login(login=user, by=self.by)
                token, secret = token_create(name=name, user=owner, by=self.by)
                whose = f"{owner.username} ({owner.display_name})"
            else:
                chosen = self.streams_named(streams)
                token, secret = service_token_create(name=name, streams=chosen, by=self.by)
                whose = "streams " + ", ".join(s.code for s in chosen)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(_messages(error)) from error
        self.stdout.write(f"Token {token.name!r} created for {whose}.")
        self.stdout.write(
            "Copy it now: it is shown only this once. Send it as 'Authorization: Bearer <token>'."
        )
        self.stdout.write(secret)

    def streams_named(self, codes: str) -> list:
        wanted = [c.strip() for c in codes.split(",") if c.strip()]
        found = {s.code: s for s in Stream.objects.visible_to(self.by).filter(code__in=wanted)}
        missing = [c for c in wanted if c not in found]
        if missing or not wanted:
            raise CommandError(f"No stream named {', '.join(missing) or codes!r}.")
        return [found[c] for c in wanted]

    # --- revoke ----------------------------------------------------------------------------

    def run_revoke(self, *, name: str, **options) -> None:
        token = ApiToken.objects.filter(name=name).first()
        if token is None:
            raise CommandError(f"No token named {name!r}.")
        try:
            if token.user_id is None:
                service_token_revoke(token=token, by=self.by)
            else:
                token_revoke(token=token, by=self.by)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(_messages(error)) from error
        self.stdout.write(f"Token {token.name!r} revoked.")

    # --- list ------------------------------------------------------------------------------

    def run_list(self, **options) -> None:
        tokens = list(
            ApiToken.objects.select_related("user").prefetch_related("streams").order_by("name")
        )
        if not tokens:
            self.stdout.write("No tokens.")
            return
        rows = [("NAME", "USER", "CREATED", "LAST USED", "REVOKED")]
        rows += [
            (
                token.name,
                token.user.username
                if token.user
                else "streams:" + ",".join(s.code for s in token.streams.all()),
                _when(token.created_at),
                _when(token.last_used_at),
                _when(token.revoked_at),
            )
            for token in tokens
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
