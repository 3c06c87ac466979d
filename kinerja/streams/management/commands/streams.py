"""``kinerja streams load FILE [--dry-run]``, ``kinerja streams list`` and
``kinerja streams rederive CODE [--rebuild]``.

``load`` reads a YAML or JSON stream file (format: ``kinerja/streams/definitions.py``, example:
``docs/streams.example.yaml``), checks every stream first and stores all or nothing. Loading the
same file again changes nothing; a changed stream is updated and recorded in the audit trail.
Streams the file does not mention are left alone. The output says what changed, and when the
cases had to be re-derived (a new service level) or rebuilt from their events (a new start or
end stage).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.http import Http404
from django.utils import timezone

from kinerja.core.access import visible_or_404
from kinerja.core.commands import AuditedCommand
from kinerja.streams import services
from kinerja.streams.definitions import DefinitionsRefused, check_file, limit_text, read_file
from kinerja.streams.models import Stream


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


def _value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


class Command(AuditedCommand):
    help = "Load stream definitions from a file, list streams, re-derive a stream's cases."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

        load = actions.add_parser(
            "load", help="Create or update streams from a YAML or JSON file (all or nothing)."
        )
        load.add_argument("file", metavar="FILE", help="e.g. docs/streams.example.yaml")
        load.add_argument(
            "--dry-run", action="store_true", help="Check and report the changes; store nothing."
        )

        actions.add_parser("list", help="List the streams.")

        rederive = actions.add_parser(
            "rederive",
            help="Derive a stream's cases again (after a change of the working calendar).",
        )
        rederive.add_argument("code", metavar="CODE", help="The stream's code, e.g. ktp-el.")
        rederive.add_argument(
            "--rebuild",
            action="store_true",
            help="Rebuild every case from all its events instead of its stored state.",
        )

    def run(self, *args, **options):
        handler = {
            "load": self.run_load,
            "list": self.run_list,
            "rederive": self.run_rederive,
        }[options["action"]]
        return handler(**options)

    # --- load ------------------------------------------------------------------------------

    def run_load(self, *, file: str, dry_run: bool = False, **options) -> None:
        try:
            definitions = check_file(read_file(file))
            changes = services.streams_load(definitions=definitions, by=self.by, dry_run=dry_run)
        except DefinitionsRefused as refused:
            lines = [f"  {error}" for error in refused.errors]
            raise CommandError(
                f"{file} was refused; nothing was stored ({len(refused.errors)} error(s)):\n"
                + "\n".join(lines)
            ) from None
        except ValidationError as error:  # a model's own check (should not happen)
            raise CommandError(" ".join(error.messages)) from None
        except PermissionDenied as denied:
            raise CommandError(str(denied)) from None
        if dry_run:
            self.stdout.write("Dry run: nothing was stored.")
        for change in changes:
            self.report(change, dry_run=dry_run)
        counts = {a: sum(c.action == a for c in changes) for a in ("create", "update", "unchanged")}
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{len(changes)} stream(s) in {file}: {counts['create']} {verb} created, "
            f"{counts['update']} {verb} changed, {counts['unchanged']} unchanged."
        )

    def report(self, change: services.StreamChange, *, dry_run: bool) -> None:
        write = self.stdout.write
        if change.action == "unchanged":
            write(f"{change.code}: unchanged.")
            return
        if change.action == "create":
            write(f"{change.code}: {'would be created' if dry_run else 'created'}.")
            return
        details = "; ".join(
            f"{key}: {_value(change.before.get(key))} -> {_value(change.after.get(key))}"
            for key in change.after
        )
        write(f"{change.code}: {'would be changed' if dry_run else 'changed'} — {details}.")
        if change.ends_changed:
            if dry_run:
                write(
                    f"  The start or end stage changes: all {change.cases} case(s) would be "
                    "rebuilt from their events."
                )
            else:
                write(
                    "  The start or end stage changed: every case was rebuilt from its events "
                    f"({change.cases_rebuilt} case(s))."
                )
        elif change.sla_changed:
            if dry_run:
                write(
                    f"  The service level changes: all {change.cases} case(s) would be re-derived."
                )
            else:
                write(
                    "  The service level changed: every case was re-derived "
                    f"({change.cases_rederived} case(s))."
                )
        for stage, n in sorted(change.removed_stages_in_use.items()):
            write(
                f"  Warning: stage {stage} is removed but {n} stored event(s) use it; they stay "
                "stored, new events of this stage are refused."
            )

    # --- list ------------------------------------------------------------------------------

    def run_list(self, **options) -> None:
        streams = list(Stream.objects.visible_to(self.by).select_related("agency").order_by("code"))
        if not streams:
            self.stdout.write("No stream. Load a stream file with: kinerja streams load FILE")
            return
        for s in streams:
            state = "" if s.active else " (closed)"
            self.stdout.write(
                f"{s.code}\t{s.agency.code}\t{s.name}{state}\t"
                f"{s.start_stage} -> {s.end_stage}\t"
                f"SLA {limit_text(s.sla_limit)} {s.sla_unit}\t"
                f"stages: {', '.join(s.stages)}\tupdated {_when(s.updated_at)}"
            )

    # --- rederive ----------------------------------------------------------------------------

    def run_rederive(self, *, code: str, rebuild: bool = False, **options) -> None:
        try:
            stream = visible_or_404(Stream, self.by, code=code)
            done = services.stream_rederive(stream=stream, by=self.by, rebuild=rebuild)
        except Http404:
            raise CommandError(f"No stream named {code!r}.") from None
        except PermissionDenied as denied:
            raise CommandError(str(denied)) from None
        how = "rebuilt from their events" if rebuild else "re-derived"
        self.stdout.write(f"{stream.code}: {done} case(s) {how}.")
