"""``kinerja events import --stream CODE FILE``: events from a .ndjson, .csv or .xlsx file,
under the same rules as ``POST /api/v1/streams/{code}/events`` (see ``streams/imports/``).

The file is streamed in batches (5,000 events by default), each stored whole or not at all.
At the first refused batch the command stops with the errors by file line (or spreadsheet row)
and field, says which batches were stored, and exits non-zero: fix the file and run the same
command again — the events stored before count as duplicates."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from kinerja.core.commands import AuditedCommand
from kinerja.core.tabular import commands
from kinerja.streams.imports import (
    UNKNOWN_UNITS,
    BatchReport,
    CasePerRow,
    ImportFileError,
    ImportResult,
    RowError,
    import_events,
)
from kinerja.streams.ingest import MAX_EVENTS
from kinerja.streams.models import Stream

MAX_SHOWN_ERRORS = 30  # kinds of error shown (each with its lines)
SHOWN_LINES = 5

IMPORT_HELP = """\
Import events from FILE into a stream, in batches, under the same rules as the HTTP API: each
batch is stored whole or not at all; events already stored count as harmless duplicates.

Formats, by extension:
  .ndjson  one JSON event object per line, the contract's fields (id, case, stage, at, unit,
           officer, attributes).
  .csv     a header row (UTF-8; comma, semicolon or tab) and one event per row: columns id,
           case, stage, at, optional unit, officer and attributes (a JSON object as text).
           EVERY OTHER COLUMN becomes an attribute of the event (header -> cell text, empty
           cells left out; keys of the attributes column win), unless --attribute-columns
           names the ones to keep.
  .xlsx    the same columns on the sheet "events" or "Peristiwa", else the first sheet.

Case-per-row layout (real exports: one row per case, one time column per stage), with
--case-column and one --stage STAGE=COLUMN per stage: each non-empty stage cell becomes one
event with the id "<case>:<stage>", the unit of --unit-column, the officer of
--officer-column; other columns become attributes only when --attribute-columns names them.

Times need an explicit offset (2026-01-05T08:15:00+07:00) unless --assume-time-zone states
which zone the file's times without one are local times of.
"""


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(f"--assume-time-zone: unknown time zone {name!r}.") from None


def _stage_pairs(specs: list[str]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for spec in specs:
        stage, sep, column = spec.partition("=")
        if not sep or not stage.strip() or not column.strip():
            raise CommandError(f"--stage {spec!r}: write STAGE=COLUMN, e.g. diajukan=created_date.")
        pairs.append((stage.strip(), column.strip()))
    return tuple(pairs)


class Command(AuditedCommand):
    help = "Import events into a stream from a .ndjson, .csv or .xlsx file."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        imp = actions.add_parser(
            "import",
            help="Import events from a file, in batches stored whole or not at all.",
            description=IMPORT_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        commands.add_file_argument(imp, "A .ndjson, .csv or .xlsx file.")
        imp.add_argument("--stream", required=True, metavar="CODE", help="The stream's code.")
        imp.add_argument(
            "--batch",
            type=int,
            default=MAX_EVENTS,
            metavar="N",
            help=f"Events per batch (1–{MAX_EVENTS}; default {MAX_EVENTS}).",
        )
        commands.add_dry_run_argument(
            imp, "Check every batch (also against the events stored before) and store nothing."
        )
        commands.add_progress_argument(
            imp, "Show progress on stderr even when it is not a terminal."
        )
        self.add_mapping_arguments(imp)

    @staticmethod
    def add_mapping_arguments(imp) -> None:
        """How the file's columns become events: time zone, units, attributes, layout."""
        imp.add_argument(
            "--assume-time-zone",
            metavar="ZONE",
            help="The file's times without an offset are local times of ZONE "
            "(e.g. Asia/Jakarta); without this option they are refused.",
        )
        imp.add_argument(
            "--unknown-units",
            choices=UNKNOWN_UNITS,
            default="refuse",
            help="An unknown unit code: refuse the batch (default), or ignore it (the event "
            "is kept without a unit).",
        )
        imp.add_argument(
            "--attribute-columns",
            metavar="COL[,COL…]",
            help="Only these columns become attributes (default: all other columns in the "
            "events layout, none in the case-per-row layout).",
        )
        imp.add_argument(
            "--case-column",
            metavar="COLUMN",
            help="Case-per-row layout: the column holding the case key.",
        )
        imp.add_argument(
            "--stage",
            action="append",
            default=[],
            metavar="STAGE=COLUMN",
            help="Case-per-row layout: the column holding the time of a stage (repeat).",
        )
        imp.add_argument(
            "--unit-column", metavar="COLUMN", help="Case-per-row layout: the unit code column."
        )
        imp.add_argument(
            "--officer-column",
            metavar="COLUMN",
            help="Case-per-row layout: the officer's NIP column.",
        )

    def run(self, *args, **options):
        return self.run_import(**options)

    # --- import --------------------------------------------------------------------------

    def run_import(self, **options) -> None:
        stream = Stream.objects.filter(code=options["stream"]).select_related("agency").first()
        if stream is None:
            raise CommandError(f"No stream named {options['stream']!r}.")
        if not stream.active:
            raise CommandError(f"Stream {stream.code} is closed.")
        layout = self.layout(options)
        attribute_columns = None
        if options["attribute_columns"] is not None:
            attribute_columns = [
                c.strip() for c in options["attribute_columns"].split(",") if c.strip()
            ]
        path = Path(options["file"])
        dry_run = options["dry_run"]
        show_progress = options["progress"] or commands.isatty(sys.stderr)
        bar = commands.rows_bar(sys.stderr, desc=path.name) if show_progress else None
        try:
            result = import_events(
                stream=stream,
                path=path,
                by=self.by,
                layout=layout,
                batch_size=options["batch"],
                dry_run=dry_run,
                assume_zone=_zone(options["assume_time_zone"]),
                unknown_units=options["unknown_units"],
                attribute_columns=attribute_columns,
                progress=bar.update if bar is not None else None,
            )
        except ImportFileError as error:
            raise CommandError(f"{path.name}: {error}") from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        finally:
            if bar is not None:
                bar.close()
        self.report(stream, path, result)

    @staticmethod
    def layout(options: dict) -> CasePerRow | None:
        per_row = [
            name
            for name in ("stage", "unit_column", "officer_column")
            if options.get(name) not in (None, [])
        ]
        if not options.get("case_column"):
            if per_row:
                raise CommandError(
                    "--stage, --unit-column and --officer-column belong to the case-per-row "
                    "layout: give --case-column too."
                )
            return None
        if not options["stage"]:
            raise CommandError("With --case-column, name each stage's column: --stage STAGE=COL.")
        return CasePerRow(
            case_column=options["case_column"],
            stages=_stage_pairs(options["stage"]),
            unit_column=options.get("unit_column"),
            officer_column=options.get("officer_column"),
        )

    # --- report --------------------------------------------------------------------------

    def where(self, path: Path, result: ImportResult, lines: list[int], error: RowError) -> str:
        """'events.csv line 7, field 'at' (column created_date)' — several lines of the same
        error in one: 'lines 2, 3, 4, 5, 6 and 395 more'."""
        if len(lines) == 1:
            place = f"{path.name} {result.place} {lines[0]}"
        else:
            shown = ", ".join(str(n) for n in lines[:SHOWN_LINES])
            more = f" and {len(lines) - SHOWN_LINES} more" if len(lines) > SHOWN_LINES else ""
            place = f"{path.name} {result.place}s {shown}{more}"
        if error.field:
            place += f", field '{error.field}'"
        if error.column and error.column != error.field:
            place += f" (column {error.column})"
        return place

    @staticmethod
    def grouped(errors: tuple[RowError, ...]) -> list[tuple[list[int], RowError]]:
        """The same error (field, column, message) on many lines, once, with its lines."""
        groups: dict[tuple, tuple[list[int], RowError]] = {}
        for error in errors:
            key = (error.field, error.column, error.message)
            lines, _first = groups.setdefault(key, ([], error))
            if not lines or lines[-1] != error.line:
                lines.append(error.line)
        return list(groups.values())

    def span(self, result: ImportResult, batch: BatchReport) -> str:
        plural = "lines" if result.place == "line" else "rows"
        return f"{plural} {batch.first_line}–{batch.last_line}"

    def report(self, stream: Stream, path: Path, result: ImportResult) -> None:
        self.report_refused(path, result)
        if result.ignored_units:
            codes = ", ".join(f"{c} ({n})" for c, n in sorted(result.ignored_units.items()))
            self.stdout.write(f"Unknown unit codes left out (events kept without a unit): {codes}.")
        if result.rows_without_events:
            self.stdout.write(
                f"Rows without any stage time (no events): {result.rows_without_events}."
            )
        rate = result.rows / result.seconds if result.seconds else 0.0
        summary = (
            f"Accepted {result.accepted} events, of which {result.duplicates} duplicates, "
            f"in {len(result.stored)} batch(es) from {result.rows} rows "
            f"({result.seconds:.1f} s, {rate:.0f} rows/s)."
        )
        if result.dry_run:
            self.stdout.write(
                "Dry run: nothing was stored. " + summary.replace("Accepted", "Would accept", 1)
            )
            if result.refused:
                raise CommandError(
                    f"Dry run: {len(result.refused)} batch(es) would be refused; see above."
                )
            return
        self.stdout.write(summary)
        if result.stored:
            self.stdout.write(
                f"Cases up to date: {result.merged} events merged in {result.merge_seconds:.2f} s."
            )
        if result.refused:
            self.stop(result)

    def report_refused(self, path: Path, result: ImportResult) -> None:
        """Each refused batch with its errors (the same error once, with its lines) and
        hints; at most ``MAX_SHOWN_ERRORS`` kinds of error in all."""
        shown = 0
        for batch in result.refused:
            self.stderr.write(
                f"Batch {batch.number} ({self.span(result, batch)}, {batch.events} events) "
                f"refused: {batch.error_count} error(s)."
            )
            for lines, error in self.grouped(batch.errors):
                if shown >= MAX_SHOWN_ERRORS:
                    break
                self.stderr.write(f"  {self.where(path, result, lines, error)}: {error.message}")
                shown += 1
            if len(batch.errors) < batch.error_count:
                self.stderr.write(
                    f"  (Only the first {len(batch.errors)} of its errors were kept, above.)"
                )
            if batch.naive_times:
                self.stderr.write(
                    f"  {batch.naive_times} time(s) without an offset. If the file's times are "
                    "local times of a zone, say so: --assume-time-zone ZONE (e.g. Asia/Jakarta)."
                )
            if batch.unknown_units:
                codes = ", ".join(f"{code} ({n})" for code, n in batch.unknown_units)
                self.stderr.write(
                    f"  Unknown unit codes: {codes}. Create these units, or pass "
                    "--unknown-units=ignore to keep the events without a unit."
                )
        if shown >= MAX_SHOWN_ERRORS:
            self.stderr.write("  … and more errors of other kinds.")

    def stop(self, result: ImportResult) -> None:
        """The import stopped at a refused batch: say what was stored and what to do."""
        batch = result.refused[0]
        if result.stored:
            first, last = result.stored[0], result.stored[-1]
            kept = (
                f"Batches {first.number}–{last.number} "
                f"({self.span(result, BatchReport(0, first.first_line, last.last_line, 0))}) "
                "were stored."
            )
        else:
            kept = "No batch was stored."
        raise CommandError(
            f"Batch {batch.number} ({self.span(result, batch)}) was refused and nothing of "
            f"it was stored; the import stopped there. {kept} Fix the file and run the same "
            "command again: events stored before count as duplicates."
        )
