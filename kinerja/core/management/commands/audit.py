"""``kinerja audit verify|head``: check the hash chain of the audit trail; print its newest link.

``verify`` walks every record from the first and exits non-zero naming the first record that
was altered or removed. ``head`` prints the sequence number and hash of the newest record, so
that an operator can write it down: a later ``verify`` that passes while the newest record still
has that hash proves nothing before it was changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Never, TextIO, cast

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from kinerja.core import audit
from kinerja.core.commands import ConsoleCommand
from kinerja.core.models import AuditChainHead, AuditRecord


class Command(ConsoleCommand):
    help = "Verify the audit trail's hash chain, or print its newest record."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify,head}")
        sub.add_parser("verify", help="Walk the chain; exit 1 at the first bad record.")
        sub.add_parser("head", help="Print the sequence number and hash of the newest record.")

    def run(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self.verify()
        else:
            self.head()

    def verify(self) -> None:
        progress: Callable[[int], None] | None = None
        bar: tqdm[Never] | None = None  # a bar without an iterable
        if self.stderr.isatty():
            head = AuditChainHead.objects.filter(pk=1).first()
            total = head.seq if head else AuditRecord.objects.count()
            # The terminal itself (OutputWrapper ends each write with a newline); the stubs of
            # OutputWrapper do not declare the stream it wraps.
            terminal = cast(TextIO, self.stderr._out)
            shown = bar = tqdm(total=total, unit=" records", file=terminal, leave=False)

            def progress(checked: int) -> None:
                shown.update(checked - shown.n)

        try:
            verdict = audit.verify(progress=progress)
        finally:
            if bar is not None:
                bar.close()
        if not verdict.ok:
            raise CommandError(
                _(
                    "FAILED at record #%(seq)d: %(reason)s "
                    "(%(checked)d records before it are intact)"
                )
                % {"seq": verdict.bad_seq, "reason": verdict.reason, "checked": verdict.checked}
            )
        self.stdout.write(_("OK: %(count)d records verified") % {"count": verdict.checked})

    def head(self) -> None:
        newest = AuditRecord.objects.order_by("-seq").first()
        if newest is None:
            self.stdout.write(_("The audit trail is empty."))
            return
        at = timezone.localtime(newest.at).strftime("%Y-%m-%d %H:%M:%S %Z")
        self.stdout.write(f"seq  {newest.seq}")
        self.stdout.write(f"hash {newest.hash}")
        self.stdout.write(f"at   {at}")
