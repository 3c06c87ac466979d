"""``kinerja demo load [--if-empty]``: load the Plaju demo (demo mode only)."""

from __future__ import annotations

import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from kinerja.accounts.backends import DEMO_PASSWORD
from kinerja.core.commands import AuditedCommand
from kinerja.demo import loader
from kinerja.demo.loader.organisation import demo_accounts
from kinerja.organizations.models import Employee

STRATEGY_COUNTS = ("indicators", "targets", "realisations", "evidence")


class Command(AuditedCommand):
    help = "Load the demo organisation of Kecamatan Plaju, Kota Palembang (KINERJA_DEMO=1 only)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load}")
        load = sub.add_parser("load", help="Load the demo; loading again changes nothing.")
        load.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds employees (for first start-up).",
        )

    def run(self, *args, **options):
        if options.get("if_empty") and Employee.objects.exists():
            self.stdout.write(_("The database already holds employees; the demo was not loaded."))
            return
        started = time.monotonic()
        try:
            result = loader.load()
        except loader.DemoError as exc:
            raise CommandError(str(exc)) from None
        if result.changed:
            self.print_loaded(result, time.monotonic() - started)
            self.print_data(result)
        else:
            self.stdout.write(_("The demo is in place already; nothing changed."))
        self.print_accounts()

    def print_loaded(self, result: loader.LoadResult, elapsed: float) -> None:
        """The organisation and the performance part."""
        created = {key: counts.get("created", 0) for key, counts in result.counts.items()}
        self.stdout.write(
            _(
                "Demo loaded in %(seconds).1f s: %(agencies)d agencies, %(units)d units, "
                "%(positions)d positions, %(employees)d employees, %(accounts)d accounts."
            )
            % {
                "seconds": elapsed,
                "agencies": created.get("agencies", 0),
                "units": created.get("units", 0),
                "positions": created.get("positions", 0),
                "employees": created.get("employees", 0),
                "accounts": result.accounts_created,
            }
        )
        if any(result.strategy.values()):
            self.stdout.write(
                _(
                    "Performance: %(indicators)d indicators, %(targets)d targets, "
                    "%(realisations)d realisations, %(evidence)d evidence files."
                )
                % {key: result.strategy.get(key, 0) for key in STRATEGY_COUNTS}
            )

    def print_data(self, result: loader.LoadResult) -> None:
        """The service data and the employees' year."""
        if result.streams.get("events"):
            self.stdout.write(
                _("Service data: %(streams)d streams, %(events)d events, %(cases)d cases.")
                % {key: result.streams.get(key, 0) for key in ("streams", "events", "cases")}
            )
        if result.streams.get("alert_rules"):
            self.stdout.write(
                _(
                    "Alert rules: %(alert_rules)d, breached now: %(breaches)d, "
                    "notifications in the app: %(notifications)d."
                )
                % {
                    key: result.streams.get(key, 0)
                    for key in ("alert_rules", "breaches", "notifications")
                }
            )
        if result.skp.get("plans"):
            self.stdout.write(
                _(
                    "Employees' plans: %(plans)d (%(approved)d approved, %(returned)d "
                    "returned), %(evaluations)d ratings, %(objections)d pending objection(s), "
                    "%(development_plans)d development plan(s)."
                )
                % {
                    key: result.skp.get(key, 0)
                    for key in (
                        "plans",
                        "approved",
                        "returned",
                        "evaluations",
                        "objections",
                        "development_plans",
                    )
                }
            )

    def print_accounts(self) -> None:
        header = (_("Role"), _("Username"), _("Who"))
        rows = [header, *demo_accounts()]
        widths = [max(len(str(row[i])) for row in rows) for i in range(2)]
        self.stdout.write("")
        for role, username, who in rows:
            self.stdout.write(f"{role:<{widths[0]}}  {username:<{widths[1]}}  {who}")
        self.stdout.write("")
        self.stdout.write(
            _("Every demo account (also every employee, by NIP) signs in with the password %(pw)s.")
            % {"pw": DEMO_PASSWORD}
        )
