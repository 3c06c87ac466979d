"""``kinerja evaluations [--as USER] coaching --period 2026-Q3 [--agency CODE]``: coaching when a
measure slips (``kinerja.evaluations.services.coaching_refresh``) — for an ended period, every
measured plan's indicators below expectation open a coaching item for the rater (those back on
target resolve theirs), and every open alert breach on a unit one for the rater of the unit's
head. Safe to run again (daily from cron): one item per slip.

``kinerja evaluations [--as USER] close --year 2026 [--agency CODE]``: the annual closing
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
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils import formats, numberformat

from kinerja.core.commands import AuditedCommand
from kinerja.core.periods import ALL_KINDS, PeriodError, parse_period
from kinerja.evaluations.services import (
    ClosingSummary,
    annual_close,
    coaching_from_open_breaches,
    coaching_refresh,
)
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
        coaching = actions.add_parser(
            "coaching",
            help="Open coaching items for indicators below expectation in an ended period and "
            "for open alert breaches; resolve those back on target.",
        )
        coaching.add_argument(
            "--period", required=True, help="An ended period, e.g. 2026-Q3, 2026-10 or 2026."
        )
        coaching.add_argument("--agency", metavar="CODE", help="Only this agency, e.g. DINKES.")

    def run(self, *args, **options):
        handler = {"close": self.run_close, "coaching": self.run_coaching}[options["action"]]
        return handler(**options)

    def agency(self, code: str | None) -> Agency | None:
        if not code:
            return None
        chosen = Agency.objects.visible_to(self.by).filter(code__iexact=code.strip()).first()
        if chosen is None:
            raise CommandError(f"No agency with the code {code!r}.")
        return chosen

    def run_coaching(self, *, period: str, agency: str | None = None, **options) -> None:
        chosen = self.agency(agency)
        try:
            parsed = parse_period(period, kinds=ALL_KINDS)
            count = coaching_refresh(period=parsed, by=self.by, agency=chosen)
            alerts = coaching_from_open_breaches(by=self.by) if chosen is None else None
        except PeriodError as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        n = region_number
        where = f"{chosen.code} {chosen.name}" if chosen else "whole region"
        self.stdout.write(
            f"Coaching {parsed} ({where}): {n(count.opened)} item(s) opened, "
            f"{n(count.resolved)} resolved by the data"
        )
        if alerts is not None:
            self.stdout.write(
                f"  alert breaches: {n(alerts.opened)} item(s) opened, "
                f"{n(alerts.resolved)} resolved"
            )

    def run_close(self, *, year: int, agency: str | None = None, **options) -> None:
        chosen = self.agency(agency)
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
