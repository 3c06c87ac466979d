"""``kinerja indicators export FILE.xlsx [--agency CODE ...] [--year YYYY]`` and
``kinerja indicators import FILE.xlsx [--dry-run]``.

The workbook holds the sheets Indikator, Target and Realisasi (see
:mod:`kinerja.strategy.spreadsheets`); an import checks every row first and stores all or
nothing, through the same operations as the pages. The console may change every agency.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.core import audit
from kinerja.core.commands import AuditedCommand, console_label
from kinerja.core.models import Channel
from kinerja.core.periods import MAX_YEAR, MIN_YEAR
from kinerja.organizations.models import Agency
from kinerja.strategy import spreadsheets


class Command(AuditedCommand):
    help = (
        "Export or import an agency's indicators, targets and realisations as an .xlsx "
        "workbook (sheets Indikator, Target, Realisasi). An import checks every row first and "
        "stores all or nothing."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("file", metavar="FILE", help="an .xlsx file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="import: check every row and report what would change; store nothing",
        )
        parser.add_argument(
            "--agency",
            action="extend",
            nargs="+",
            metavar="CODE",
            help="export: only these agencies (default: all)",
        )
        parser.add_argument(
            "--year",
            type=int,
            metavar="YYYY",
            help="export: the targets and realisations of this year (default: this year)",
        )

    def run(self, *args, **options):
        path = Path(options["file"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError(_("The file must be an Excel workbook (.xlsx)."))
        if options["action"] == "export":
            if options["dry_run"]:
                raise CommandError(_("--dry-run is for import only."))
            self.export(path, options["agency"], options["year"])
        else:
            if options["agency"] or options["year"]:
                raise CommandError(_("--agency and --year are for export only."))
            self.import_(path, dry_run=options["dry_run"])

    def export(self, path: Path, codes: list[str] | None, year: int | None) -> None:
        year = year or timezone.localdate().year
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(
                _("The year must lie between %(min)d and %(max)d.")
                % {"min": MIN_YEAR, "max": MAX_YEAR}
            )
        agencies = Agency.objects.order_by("code")
        if codes:
            wanted = sorted({code.strip().upper() for code in codes})
            agencies = agencies.filter(code__in=wanted)
            unknown = sorted(set(wanted) - {a.code for a in agencies})
            if unknown:
                raise CommandError(_("Unknown agency: %(codes)s.") % {"codes": ", ".join(unknown)})
        tables = spreadsheets.export_tables(list(agencies), year)
        try:
            path.write_bytes(spreadsheets.write_workbook(tables))
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s")
                % {"path": path, "reason": exc.strerror or exc}
            ) from None
        for key in spreadsheets.ORDER:
            self.stdout.write(
                _("%(sheet)s: %(count)d rows")
                % {"sheet": spreadsheets.SHEETS[key].title, "count": len(tables[key])}
            )
        self.stdout.write(_("Wrote %(path)s") % {"path": path})

    def import_(self, path: Path, *, dry_run: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(reason)s")
                % {"path": path, "reason": exc.strerror or exc}
            ) from None
        try:
            rows = spreadsheets.read_workbook(path.name, data)
        except spreadsheets.TabularError as exc:
            self.fail(exc.errors)
        actor = audit.current_door().actor()
        label = f"{console_label()} (import {path.name})"
        with audit.door(Channel.IMPORT, actor, label=label[:150]):
            outcome = spreadsheets.import_workbook(rows, by=actor, dry_run=dry_run)
        if outcome.errors:
            self.fail(outcome.errors)
        summary = outcome.summary()
        if not any(c["created"] + c["updated"] + c["unchanged"] for c in summary):
            self.stdout.write(_("The file holds no rows (only column names); nothing changed."))
        for counts in summary:
            self.stdout.write(
                _("%(sheet)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {
                    "sheet": counts["title"],
                    "created": counts["created"],
                    "updated": counts["updated"],
                    "unchanged": counts["unchanged"],
                }
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was stored."))

    def fail(self, errors) -> None:
        for error in errors:
            self.stderr.write(str(error))
        raise CommandError(
            ngettext(
                "%(count)d error; nothing was stored.",
                "%(count)d errors; nothing was stored.",
                len(errors),
            )
            % {"count": len(errors)}
        )
