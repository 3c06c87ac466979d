"""``kinerja indicators export FILE.xlsx [--agency CODE ...] [--year YYYY]`` and
``kinerja indicators import FILE.xlsx [--dry-run]``.

The workbook holds the sheets Indikator, Target and Realisasi (see
:mod:`kinerja.strategy.imports`); an import checks every row first and stores all or nothing,
through the same operations as the pages. The command acts as ``--as`` USER, or as the
installation (:data:`~kinerja.core.actors.SYSTEM`), which may change every agency.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from kinerja.core.periods import MAX_YEAR, MIN_YEAR, this_year
from kinerja.core.tabular import commands
from kinerja.core.tabular.errors import TabularError
from kinerja.organizations.imports import agencies_named
from kinerja.organizations.models import Agency
from kinerja.strategy import imports, spreadsheets


class Command(commands.TabularCommand):
    help = (
        "Export or import an agency's indicators, targets and realisations as an .xlsx "
        "workbook (sheets Indikator, Target, Realisasi). An import checks every row first and "
        "stores all or nothing."
    )
    file_help = "an .xlsx file"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--year",
            type=int,
            metavar="YYYY",
            help="export: the targets and realisations of this year (default: this year)",
        )

    def check_path(self, path: Path) -> None:
        if path.suffix.lower() != ".xlsx":
            raise CommandError(_("The file must be an Excel workbook (.xlsx)."))

    def check_import_options(self, options: dict) -> None:
        if options["agency"] or options["year"]:
            raise CommandError(_("--agency and --year are for export only."))

    def export(self, path: Path, options: dict) -> None:
        year = options["year"] or this_year()
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(
                _("The year must lie between %(min)d and %(max)d.")
                % {"min": MIN_YEAR, "max": MAX_YEAR}
            )
        agencies = Agency.objects.visible_to(self.by).order_by("code")
        codes = commands.agency_codes(options["agency"])
        if codes:
            agencies = agencies_named(agencies, codes)
        tables = spreadsheets.export_tables(list(agencies), year)
        commands.write_path(path, spreadsheets.write_workbook(tables))
        self.wrote(path, [(imports.SHEETS[key].title, len(tables[key])) for key in imports.ORDER])

    def import_(self, path: Path, options: dict) -> None:
        data = commands.read_path(path)
        try:
            rows = imports.read_workbook(path.name, data)
        except TabularError as exc:
            self.fail(exc.errors)
        with self.import_door(path):
            outcome = imports.import_workbook(rows, by=self.by, dry_run=options["dry_run"])
        if outcome.errors:
            self.fail(outcome.errors)
        self.report_counts(outcome.summary())
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was stored."))
