"""The console side of spreadsheets: ``kinerja <data> import|export FILE [--dry-run]``.

:class:`TabularCommand` is the base of the commands of organisation data (employees, units,
positions, agencies) and of indicators; the arguments and the progress bar serve the events
import too. Errors are printed one a line, each naming its sheet, row and column, and the
command ends with the count and "nothing was stored".
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.core import audit
from kinerja.core.commands import AuditedCommand, console_label
from kinerja.core.models import Channel

from .errors import RowError, SheetCount

if TYPE_CHECKING:
    from tqdm import tqdm

DRY_RUN_HELP = "import: check every row and report what would change; store nothing"
PROGRESS_HELP = "show progress bars even when standard error is not a terminal"


def add_file_argument(parser: CommandParser, help: str) -> None:
    parser.add_argument("file", metavar="FILE", help=help)


def add_dry_run_argument(parser: CommandParser, help: str = DRY_RUN_HELP) -> None:
    parser.add_argument("--dry-run", action="store_true", help=help)


def add_progress_argument(parser: CommandParser, help: str = PROGRESS_HELP) -> None:
    parser.add_argument("--progress", action="store_true", help=help)


def isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def progress_bar(stream: IO[str], **options: Any) -> tqdm[Any]:
    """A tqdm bar on ``stream``. tqdm (~7 MB) is loaded only when a bar is shown: on a
    terminal or with ``--progress``, not when a command runs from a script or a job."""
    from tqdm import tqdm

    return tqdm(file=stream, **options)


def rows_bar(stream: IO[str], *, desc: str) -> tqdm[Any]:
    """A bar counting rows read, for a file whose length is not known before."""
    return progress_bar(stream, desc=desc, unit=" rows", unit_scale=True, mininterval=0.5)


class TqdmProgress:
    """A ``progress(phase, done, total)`` callback drawing one tqdm bar per phase."""

    LABELS = {
        "read": "reading",
        "validate": "validating",
        "write": "writing",
        "audit": "audit trail",
        "raters": "rater chains",
    }

    def __init__(self, stream: IO[str], *, enabled: bool) -> None:
        self.stream, self.enabled = stream, enabled
        self.bar: tqdm[Any] | None = None
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = progress_bar(
                self.stream,
                total=total or None,
                desc=self.LABELS.get(phase, phase),
                unit="rows",
                leave=True,
                dynamic_ncols=True,
            )
        if self.bar is not None:
            if total and self.bar.total != total:
                self.bar.total = total
            self.bar.n = done
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def read_path(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror or exc}
        ) from None


def write_path(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise CommandError(
            _("Cannot write %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror or exc}
        ) from None


def agency_codes(codes: Iterable[str] | None) -> list[str]:
    """``--agency`` codes as stored: upper case, each once, sorted."""
    return sorted({code.strip().upper() for code in codes or ()})


class TabularCommand(AuditedCommand):
    """``kinerja <data> import|export FILE``: the arguments, their checks, reading and writing
    the file, and the report. Subclasses implement ``export(path, options)`` and
    ``import_(path, options)``."""

    file_help = "a .xlsx or .csv file"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=["import", "export"])
        add_file_argument(parser, self.file_help)
        add_dry_run_argument(parser)
        parser.add_argument(
            "--agency",
            action="extend",
            nargs="+",
            metavar="CODE",
            help="export: only these agencies (default: all)",
        )

    def run(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        self.check_path(path)
        if options["action"] == "export":
            if options["dry_run"]:
                raise CommandError(_("--dry-run is for import only."))
            self.export(path, options)
        else:
            self.check_import_options(options)
            self.import_(path, options)

    def check_path(self, path: Path) -> None:
        """Refuse a file name of the wrong kind before anything is read or written."""

    def check_import_options(self, options: dict[str, Any]) -> None:
        if options["agency"]:
            raise CommandError(_("--agency is for export only."))

    def export(self, path: Path, options: dict[str, Any]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def import_(self, path: Path, options: dict[str, Any]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def import_door(self, path: Path) -> AbstractContextManager[None]:
        """Changes of the import of ``path`` in the audit trail: the import door, with the
        command's actor and the console's name."""
        label = f"{console_label()} (import {path.name})"
        return audit.door(Channel.IMPORT, audit.current_door().actor(), label=label[:150])

    def wrote(self, path: Path, counts: Iterable[tuple[str, int]]) -> None:
        for title, count in counts:
            self.stdout.write(_("%(sheet)s: %(count)d rows") % {"sheet": title, "count": count})
        self.stdout.write(_("Wrote %(path)s") % {"path": path})

    def fail(self, errors: list[RowError]) -> NoReturn:
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

    def report_counts(self, rows: list[SheetCount]) -> None:
        """Created, updated and unchanged rows per sheet (see ``errors.count_rows``)."""
        if not any(r["created"] + r["updated"] + r["unchanged"] for r in rows):
            self.stdout.write(_("The file holds no rows (only column names); nothing changed."))
        for row in rows:
            self.stdout.write(
                _("%(sheet)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {
                    "sheet": row["title"],
                    "created": row["created"],
                    "updated": row["updated"],
                    "unchanged": row["unchanged"],
                }
            )
