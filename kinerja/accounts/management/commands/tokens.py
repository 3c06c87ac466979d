"""``kinerja tokens create|revoke|list``: personal API tokens.

``create`` prints a short explanation and then the token alone on its last line, once: only
its hash is stored, so it can never be shown again (``kinerja tokens create … | tail -n 1``
gives just the token). ``list`` never shows a secret.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from kinerja.accounts.models import ApiToken
from kinerja.accounts.services import account_for_login, token_create, token_revoke
from kinerja.core.commands import AuditedCommand


def _messages(error: ValidationError) -> str:
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

    def run_create(self, *, name: str, user: str | None, **options) -> None:
        if not user:
            raise CommandError("Name the token's user with --user USERNAME_OR_NIP.")
        if ApiToken.objects.filter(name=(name or "").strip()).exists():
            # Checked before an employee's account is created for nothing.
            raise CommandError(f"A token named {name.strip()!r} exists already.")
        try:
            owner = account_for_login(login=user)
            token, secret = token_create(name=name, user=owner)
        except ValidationError as error:
            raise CommandError(_messages(error)) from error
        self.stdout.write(
            f"Token {token.name!r} created for {owner.username} ({owner.display_name})."
        )
        self.stdout.write(
            "Copy it now: it is shown only this once. Send it as 'Authorization: Bearer <token>'."
        )
        self.stdout.write(secret)

    # --- revoke ----------------------------------------------------------------------------

    def run_revoke(self, *, name: str, **options) -> None:
        token = ApiToken.objects.filter(name=name).first()
        if token is None:
            raise CommandError(f"No token named {name!r}.")
        try:
            token_revoke(token=token)
        except ValidationError as error:
            raise CommandError(_messages(error)) from error
        self.stdout.write(f"Token {token.name!r} revoked.")

    # --- list ------------------------------------------------------------------------------

    def run_list(self, **options) -> None:
        tokens = list(ApiToken.objects.select_related("user").order_by("name"))
        if not tokens:
            self.stdout.write("No tokens.")
            return
        rows = [("NAME", "USER", "CREATED", "LAST USED", "REVOKED")]
        rows += [
            (
                token.name,
                token.user.username if token.user else "-",
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
