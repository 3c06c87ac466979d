"""``kinerja evaluations [--as USER] close --year 2026 [--agency CODE]``: the annual closing
(``kinerja.evaluations.services.annual_close``) — annual ratings whose objection period is over
become final, credit points of functional positions are computed, and every unit's
distribution is checked against its organisation predicate. Safe to run again (e.g. daily
through February): what is done stays done. Without ``--as`` it runs as the installation
(the region's administrator's rights); with ``--as`` the user must be the region's
administrator, or the agency's performance administrator for ``--agency``.

Prints the summary with numbers in the region's format (``10.000``)::

    Annual closing 2026 (whole region): 10.000 annual evaluation(s)
      made final now: 9.500 (final in all: 9.500)
      ...
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils import formats, numberformat

from kinerja.core.commands import AuditedCommand
from kinerja.evaluations.services import ClosingSummary, annual_close
from kinerja.organizations.models import Agency


def region_number(value) -> str:
    """A number as the region writes it (Indonesian: ``10.000``, ``2,08``)."""
    language = settings.LANGUAGE_CODE
    return numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR", lang=language),
        grouping=formats.get_format("NUMBER_GROUPING", lang=language),
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR", lang=language),
        force_grouping=True,
    )


class Command(AuditedCommand):
    help = "Annual evaluation: close a year (final predicates, credit points, curve checks)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        close = actions.add_parser(
            "close",
            help="Make final the annual ratings whose objection period is over, compute credit "
            "points and check every unit's distribution.",
        )
        close.add_argument("--year", type=int, required=True, help="The year, e.g. 2026.")
        close.add_argument("--agency", metavar="CODE", help="Only this agency, e.g. DINKES.")

    def run(self, *args, **options):
        handler = {"close": self.run_close}[options["action"]]
        return handler(**options)

    def run_close(self, *, year: int, agency: str | None = None, **options) -> None:
        chosen = None
        if agency:
            chosen = Agency.objects.visible_to(self.by).filter(code__iexact=agency.strip()).first()
            if chosen is None:
                raise CommandError(f"No agency with the code {agency!r}.")
        try:
            summary = annual_close(year=year, agency=chosen, by=self.by)
        except (ValueError, PermissionDenied) as error:
            raise CommandError(str(error)) from None
        self.report(summary, chosen)

    def report(self, summary: ClosingSummary, agency: Agency | None) -> None:
        n = region_number
        write = self.stdout.write
        where = f"{agency.code} {agency.name}" if agency else "whole region"
        write(
            f"Annual closing {summary.year} ({where}): "
            f"{n(summary.evaluations)} annual evaluation(s)"
        )
        if not summary.evaluations:
            write("  No annual evaluation of this year: nothing to close.")
            return
        write(f"  made final now: {n(summary.finalised)} (final in all: {n(summary.final)})")
        write(f"  objection period still open: {n(summary.still_open)}")
        write(f"  objections awaiting a decision: {n(summary.objected)}")
        if summary.undelivered:
            write(f"  rated but never delivered to the employee: {n(summary.undelivered)}")
        write(
            f"  credit points computed (functional positions): "
            f"{n(summary.credit_points_computed)} ({n(summary.credit_points_changed)} changed)"
        )
        missing = summary.units_without_org_predicate
        write(
            f"  units checked against the curve: {n(summary.units_checked)}, "
            f"with warnings: {n(summary.units_with_warnings)}, "
            f"without an organisation predicate: {n(len(missing))}"
        )
        for unit in summary.units:
            if not unit.warnings:
                continue
            write(f"  {unit.code} {unit.name} ({unit.org_predicate}, {n(unit.total)} employee(s)):")
            for warning in unit.warnings:
                write(f"    - {warning.message}")
        for unit in missing:
            write(f"  {unit.code} {unit.name}: no organisation predicate for {summary.year}.")
