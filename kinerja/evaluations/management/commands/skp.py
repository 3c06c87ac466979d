"""``kinerja skp [--as USER] remind [--date YYYY-MM-DD] [--agency CODE] [--no-mail]``: send the
SKP deadline reminders that are due (``kinerja.evaluations.services.reminders_send``; what is
due: ``kinerja.evaluations.reminders``), for a daily cron, e.g.::

    15 6 * * *  kinerja skp remind

The command keeps the plan's name (``skp``) though it lives with the evaluations, where the
reminders of the whole SKP cycle are kept. Without ``--as`` it runs as the installation; with
``--as`` the user must be the region's administrator, or the agency's performance
administrator for ``--agency``. Each reminder goes out once, however often the command runs.
Prints what it sent::

    Reminders of 24/01/2026: 12 employee(s) about their plan, 3 rater(s) about plans to
    approve, 0 about ratings; 14 in-app notification(s), 11 e-mail(s).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils import timezone

from kinerja.core.commands import AuditedCommand
from kinerja.evaluations.services import reminders_send
from kinerja.organizations.models import Agency


class Command(AuditedCommand):
    help = "Employee plans (SKP): send the deadline reminders that are due."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        remind = actions.add_parser(
            "remind",
            help="Remind employees of their plan, and raters of plans to approve and periods to "
            "rate, before the deadlines (once each).",
        )
        remind.add_argument(
            "--date",
            dest="day",
            metavar="YYYY-MM-DD",
            help="Act as if today were this day (default: today in the region's time).",
        )
        remind.add_argument("--agency", metavar="CODE", help="Only this agency, e.g. DINKES.")
        remind.add_argument(
            "--no-mail", action="store_true", help="Notify in the app only; send no e-mail."
        )

    def run(self, *args, **options):
        handler = {"remind": self.run_remind}[options["action"]]
        return handler(**options)

    def run_remind(
        self, *, day: str | None = None, agency: str | None = None, no_mail: bool = False,
        **options,
    ) -> None:  # fmt: skip
        today = _parse_date(day) if day else None
        chosen = None
        if agency:
            chosen = Agency.objects.visible_to(self.by).filter(code__iexact=agency.strip()).first()
            if chosen is None:
                raise CommandError(f"No agency with the code {agency!r}.")
        try:
            outcome = reminders_send(by=self.by, today=today, agency=chosen, mail=not no_mail)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        shown = (today or timezone.localdate()).strftime("%d/%m/%Y")
        self.stdout.write(
            f"Reminders of {shown}: {outcome.plan} employee(s) about their plan, "
            f"{outcome.approve} rater(s) about plans to approve, {outcome.rate} about "
            f"ratings; {outcome.notifications} in-app notification(s), {outcome.mails} e-mail(s)."
        )
        if outcome.skipped:
            self.stdout.write(
                f"{outcome.skipped} reminder(s) not sent: the person has neither an account "
                "nor an e-mail address."
            )


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"Write the date as YYYY-MM-DD, e.g. 2026-01-24 (not {text!r})."
        ) from None
