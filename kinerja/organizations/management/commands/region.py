"""``kinerja region set|show``: the regional government (Pemda) this installation serves."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from kinerja.core.commands import AuditedCommand
from kinerja.organizations import services
from kinerja.organizations.models import Region


def validation_message(exc: ValidationError) -> str:
    """One line per problem, each naming its field when there is one."""
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


class Command(AuditedCommand):
    help = "Set up or show the regional government (Pemda) this installation serves."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="action", required=True, metavar="{set,show}")
        set_parser = sub.add_parser("set", help="Create or update the region.")
        set_parser.add_argument("--code", required=True, help="A short code, e.g. PLG")
        set_parser.add_argument("--name", required=True, help="e.g. 'Pemerintah Kota Palembang'")
        set_parser.add_argument(
            "--head-title",
            required=True,
            help="Title of the head of region, e.g. 'Wali Kota Palembang'",
        )
        set_parser.add_argument(
            "--head-name",
            default=None,
            help="Name of the head of region; when omitted the stored name is kept.",
        )
        sub.add_parser("show", help="Print the region.")

    def run(self, *args, **options):
        if options["action"] == "set":
            self.set(options)
        else:
            self.show()

    def set(self, options: dict) -> None:
        head_name = options["head_name"]
        if head_name is None:
            # An option left out leaves the stored value alone (as a missing import column does).
            current = Region.objects.first()
            head_name = current.head_name if current else ""
        try:
            region = services.region_set(
                code=options["code"].strip(),
                name=options["name"].strip(),
                head_title=options["head_title"].strip(),
                head_name=head_name.strip(),
                by=self.by,
            )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Region %(code)s saved.") % {"code": region.code})
        self._print(region)

    def show(self) -> None:
        region = Region.objects.first()
        if region is None:
            raise CommandError(
                _(
                    "No region is set up yet; run: "
                    "kinerja region set --code … --name … --head-title …"
                )
            )
        self._print(region)

    def _print(self, region: Region) -> None:
        rows = [
            (_("Code"), region.code),
            (_("Name"), region.name),
            (_("Head of region"), region.head_title),
            (_("Name of the head"), region.head_name or "—"),
        ]
        width = max(len(label) for label, _value in rows)
        for label, value in rows:
            self.stdout.write(f"{label.ljust(width)}  {value}")
