"""``kinerja alerts check [--stream CODE]``: evaluate the alert rules of every stream (or one),
for cron — e.g. every five minutes, so that day and week windows turn over even when no event
arrives. Each breach notifies the unit head once; running it again changes nothing until the
condition changes.

Prints one line per stream with rules: ``ktp-el: 3 rules, 1 opened, 0 ended, 1 e-mail(s)``.
"""

from __future__ import annotations

from django.core.management.base import CommandError

from kinerja.core.actors import SYSTEM
from kinerja.core.commands import ConsoleCommand
from kinerja.streams.alerts import evaluate_alerts
from kinerja.streams.models import AlertRule, Stream


class Command(ConsoleCommand):
    help = "Evaluate the alert rules of the streams and notify unit heads of new breaches."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        check = actions.add_parser("check", help="Evaluate the rules now.")
        check.add_argument("--stream", metavar="CODE", help="Only this stream.")

    def run(self, *args, action: str, stream: str | None = None, **options):
        # Evaluating rules changes no one's data: the installation runs it over every stream.
        streams = (
            Stream.objects.visible_to(SYSTEM)
            .filter(pk__in=AlertRule.objects.filter(active=True).values("stream"))
            .select_related("agency")
        )
        if stream:
            if not Stream.objects.visible_to(SYSTEM).filter(code=stream).exists():
                raise CommandError(f"No stream named {stream!r}.")
            streams = streams.filter(code=stream)
        checked = 0
        for item in streams.order_by("code"):
            outcome = evaluate_alerts(item)
            checked += 1
            self.stdout.write(
                f"{item.code}: {outcome.rules} rule(s), {len(outcome.opened)} opened, "
                f"{len(outcome.closed)} ended, {outcome.mails} e-mail(s)"
            )
        if not checked:
            self.stdout.write("No active alert rule.")
