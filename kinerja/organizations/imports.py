"""Running imports: an uploaded file (an :class:`~.models.ImportJob`, in a background task) or a
file given to a console command. Both read with :mod:`.tabular` and store with
:func:`~.changeset.apply_rows`, inside the audit trail's "import" door.

Progress goes to the cache under the job's id (:func:`progress_get`), so that the page can
show it from another request or process while the task runs, also with the inline backend.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from pathlib import Path

from django.core.cache import cache
from django.core.management.base import CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from kinerja.core import audit
from kinerja.core.commands import AuditedCommand, console_label
from kinerja.core.models import Channel
from kinerja.organizations.scope import scope_for

from . import tabular
from .changeset import Outcome, RowError, apply_rows, error_order, load_state
from .columns import ORDER, SHEETS
from .models import Agency, ImportJob, ImportStatus
from .selectors import allowed_agency_codes

logger = logging.getLogger(__name__)

PROGRESS_TIMEOUT = 6 * 3600
#: Progress is written at most this often (seconds), and at every change of phase.
PROGRESS_INTERVAL = 0.3
#: A job keeps at most this many errors (a column of numeric NIPs gives one per row); the job
#: page shows the first few hundred.
MAX_STORED_ERRORS = 5000


def progress_key(job_id) -> str:
    return f"kinerja:import-progress:{job_id}"


def progress_get(job_id) -> dict:
    return cache.get(progress_key(job_id)) or {}


class CacheProgress:
    """A ``progress(phase, done, total)`` callback that writes to the cache, throttled."""

    def __init__(self, job_id):
        self.key = progress_key(job_id)
        self.phase = ""
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self.phase and done < total and now - self.last < PROGRESS_INTERVAL:
            return
        self.phase, self.last = phase, now
        cache.set(
            self.key, {"phase": phase, "done": done, "total": total}, timeout=PROGRESS_TIMEOUT
        )


# --- Uploaded files -----------------------------------------------------------------------------


@task()
def run_import_job(job_id: str) -> str:
    """The background task: run one uploaded import (see :func:`process_job`)."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        return "missing"
    if job.finished:  # a worker retried a job that had finished
        return job.status
    process_job(job)
    return job.status


def process_job(job: ImportJob) -> ImportJob:
    """Read the job's file, validate everything and store it unless anything is wrong or the
    job is a dry run; keep the summary and the errors (in the uploader's language) on the job,
    then delete the uploaded file.

    The uploader's rights are taken when the job runs: an import of a Pengelola Kinerja may
    change only the agencies they manage then.
    """
    progress = CacheProgress(job.pk)
    job.status = ImportStatus.RUNNING
    job.save(update_fields=["status"])
    progress("read", 0, 0)
    user = job.created_by
    summary: dict = {}
    with translation.override(job.language):
        try:
            errors, summary = _run(job, user, progress)
        except Exception:
            logger.exception("Import %s failed", job.pk)
            errors = [
                RowError("", None, "", _("The import failed unexpectedly; nothing was stored."))
            ]
        job.errors = [e.as_dict() for e in errors[:MAX_STORED_ERRORS]]
    job.summary = summary
    job.status = ImportStatus.FAILED if errors else ImportStatus.SUCCEEDED
    job.finished_at = timezone.now()
    if job.file:
        try:
            job.file.delete(save=False)
        except OSError:
            logger.warning("Could not delete the upload of import %s", job.pk)
    job.save(update_fields=["status", "summary", "errors", "finished_at", "file"])
    progress("done", 1, 1)
    return job


def _run(job: ImportJob, user, progress) -> tuple[list[RowError], dict]:
    if not scope_for(user).can_import:
        return [RowError("", None, "", _("You may no longer import data."))], {}
    with job.file.open("rb") as handle:
        data = handle.read()
    try:
        dataset = tabular.read_file(job.original_name, data, progress=progress)
    except tabular.TabularError as exc:
        return exc.errors, {}
    with audit.door(Channel.IMPORT, user, label=f"import {job.original_name}"[:150]):
        outcome = apply_rows(
            dataset.rows,
            allowed_agencies=allowed_agency_codes(user),
            dry_run=job.dry_run or bool(dataset.errors),
            progress=progress,
            note=f"import {job.original_name}",
        )
    errors = sorted(dataset.errors + outcome.errors, key=error_order)
    return errors, outcome.summary()


# --- Console commands -----------------------------------------------------------------------------


class TqdmProgress:
    """A ``progress(phase, done, total)`` callback drawing one tqdm bar per phase."""

    LABELS = {
        "read": "reading",
        "validate": "validating",
        "write": "writing",
        "audit": "audit trail",
        "raters": "rater chains",
    }

    def __init__(self, stream, *, enabled: bool):
        self.stream, self.enabled = stream, enabled
        self.bar = None
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = tqdm(
                total=total or None,
                desc=self.LABELS.get(phase, phase),
                unit="rows",
                file=self.stream,
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


class DatasetCommand(AuditedCommand):
    """``kinerja <dataset> import|export FILE``: the base of the employees, units, positions
    and agencies commands.

    ``dataset`` is the sheet key a CSV holds; ``whole_workbook`` makes an XLSX mean every
    sheet (the employees command) instead of just the dataset's sheet.
    """

    dataset = "employees"
    whole_workbook = False

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("file", metavar="FILE", help="a .xlsx or .csv file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="import: check every row and report what would change; store nothing",
        )
        parser.add_argument(
            "--agency",
            action="extend",
            nargs="+",
            metavar="CODE",
            help="export: only these agencies (default: all)",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="show progress bars even when standard error is not a terminal",
        )

    def run(self, *args, **options):
        path = Path(options["file"])
        if options["action"] == "export":
            if options["dry_run"]:
                raise CommandError(_("--dry-run is for import only."))
            self.export(path, options["agency"])
        else:
            if options["agency"]:
                raise CommandError(_("--agency is for export only."))
            self.import_(path, dry_run=options["dry_run"], show=options["progress"])

    # export
    def export(self, path: Path, agencies: Iterable[str] | None) -> None:
        codes = None
        if agencies:
            codes = sorted({code.strip().upper() for code in agencies})
            known = set(Agency.objects.filter(code__in=codes).values_list("code", flat=True))
            unknown = [code for code in codes if code not in known]
            if unknown:
                raise CommandError(_("Unknown agency: %(codes)s.") % {"codes": ", ".join(unknown)})
        try:
            kind = tabular.file_kind(path.name)
        except tabular.TabularError as exc:
            raise CommandError(str(exc.errors[0].message)) from None
        tables = tabular.state_tables(load_state(codes))
        if kind == "csv":
            data = tabular.write_csv(self.dataset, tables[self.dataset])
            written = {self.dataset: len(tables[self.dataset])}
        else:
            keys = ORDER if self.whole_workbook else [self.dataset]
            data = tabular.write_xlsx({key: tables[key] for key in keys})
            written = {key: len(tables[key]) for key in keys}
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s")
                % {"path": path, "reason": exc.strerror or exc}
            ) from None
        for key, count in written.items():
            self.stdout.write(
                _("%(sheet)s: %(count)d rows") % {"sheet": SHEETS[key].title, "count": count}
            )
        self.stdout.write(_("Wrote %(path)s") % {"path": path})

    # import
    def import_(self, path: Path, *, dry_run: bool, show: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(reason)s")
                % {"path": path, "reason": exc.strerror or exc}
            ) from None
        stream = self.stderr._out
        bar = TqdmProgress(stream, enabled=show or _isatty(stream))
        try:
            try:
                dataset = tabular.read_file(
                    path.name,
                    data,
                    expect=self.dataset,
                    only=not self.whole_workbook,
                    progress=bar,
                )
            except tabular.TabularError as exc:
                self.fail(exc.errors)
            actor = audit.current_door().actor()
            label = f"{console_label()} (import {path.name})"
            with audit.door(Channel.IMPORT, actor, label=label[:150]):
                outcome = apply_rows(
                    dataset.rows,
                    allowed_agencies=None,
                    dry_run=dry_run or bool(dataset.errors),
                    progress=bar,
                    note=f"import {path.name}",
                )
        finally:
            bar.close()
        errors = sorted(dataset.errors + outcome.errors, key=error_order)
        if errors:
            self.fail(errors)
        self.report(outcome)

    def fail(self, errors: list[RowError]) -> None:
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

    def report(self, outcome: Outcome, *, limit: int = 200) -> None:
        if not outcome.counts:
            self.stdout.write(_("The file holds no rows (only column names); nothing changed."))
        for key in ORDER:
            if key not in outcome.counts:
                continue
            c = outcome.counts[key]
            self.stdout.write(
                _("%(sheet)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {
                    "sheet": SHEETS[key].title,
                    "created": c["created"],
                    "updated": c["updated"],
                    "unchanged": c["unchanged"],
                }
            )
        if not outcome.dry_run:
            return
        for change in outcome.changes[:limit]:
            sign = "+" if change.kind == "created" else "~"
            self.stdout.write(
                f"  {sign} {SHEETS[change.sheet].title} {change.key}: {', '.join(change.columns)}"
            )
        if len(outcome.changes) > limit:
            self.stdout.write(_("  … and %(count)d more") % {"count": len(outcome.changes) - limit})
        self.stdout.write(_("Dry run: nothing was stored."))


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
