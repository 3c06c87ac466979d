"""Running imports: an uploaded file (an :class:`~.models.ImportJob`, started by
:func:`import_job_start` and run in a background task) or a file given to a console command
(:class:`DatasetCommand`). Both read with :mod:`.tabular` and store with
:func:`~.changeset.apply_rows`, which checks the rights of the author (``by``), inside the
audit trail's "import" door.

Progress goes to the cache under the job's id (:func:`progress_get`), so that the page can
show it from another request or process while the task runs, also with the inline backend.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, TypedDict, cast

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from kinerja.accounts.models import User
from kinerja.core import audit
from kinerja.core.actors import Actor
from kinerja.core.models import Channel
from kinerja.core.tabular import commands
from kinerja.core.tabular.errors import RowError, SheetCount, TabularError, count_rows
from kinerja.organizations.scope import scope_for

from . import tabular
from .changeset import Outcome, apply_rows, error_order, load_state
from .columns import ORDER, SHEETS
from .models import Agency, ImportJob, ImportStatus

logger = logging.getLogger(__name__)

PROGRESS_TIMEOUT = 6 * 3600
#: Progress is written at most this often (seconds), and at every change of phase.
PROGRESS_INTERVAL = 0.3
#: A job keeps at most this many errors (a column of numeric NIPs gives one per row); the job
#: page shows the first few hundred.
MAX_STORED_ERRORS = 5000


class JobProgress(TypedDict, total=False):
    """Where a running job stands (empty before its first report)."""

    phase: str
    done: int
    total: int


def progress_key(job_id: uuid.UUID | str) -> str:
    return f"kinerja:import-progress:{job_id}"


def progress_get(job_id: uuid.UUID | str) -> JobProgress:
    progress: JobProgress | None = cache.get(progress_key(job_id))
    return progress or {}


class CacheProgress:
    """A ``progress(phase, done, total)`` callback that writes to the cache, throttled."""

    def __init__(self, job_id: uuid.UUID | str) -> None:
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


def export_agency_codes(by: Actor, wanted: Iterable[str] | None = None) -> list[str] | None:
    """The agencies whose organisation ``by`` exports: those of ``wanted`` (codes, each one
    that ``by`` may export, else :class:`~django.core.management.base.CommandError`), or all
    that ``by`` may export (``None``: the whole region)."""
    exportable = Agency.objects.exportable_by(by)
    codes = commands.agency_codes(wanted)
    if codes:
        return [a.code for a in agencies_named(exportable, codes)]
    if scope_for(by).region_read:
        return None
    return list(exportable.values_list("code", flat=True))


def agencies_named(agencies: QuerySet[Agency], codes: list[str]) -> list[Agency]:
    """The agencies of ``codes`` (``--agency``) among ``agencies``, in code order; a code that
    is not among them is a command error."""
    found = list(agencies.filter(code__in=codes).order_by("code"))
    unknown = sorted(set(codes) - {a.code for a in found})
    if unknown:
        raise CommandError(_("Unknown agency: %(codes)s.") % {"codes": ", ".join(unknown)})
    return found


# --- Uploaded files -----------------------------------------------------------------------------


def import_job_start(
    *, by: User, upload: UploadedFile, job_id: uuid.UUID, dry_run: bool, language: str
) -> ImportJob:
    """Keep ``upload`` as an import job of ``by`` and start it: the inline task backend runs
    it here, a worker backend later (see :func:`process_job`). ``by`` must be allowed to
    import (a Pengelola Kinerja, Admin BKPSDM); which rows they may change is checked when
    the job runs."""
    job = _import_job_create(
        by=by, upload=upload, job_id=job_id, dry_run=dry_run, language=language
    )
    run_import_job.enqueue(str(job.pk))
    return job


@transaction.atomic
def _import_job_create(
    *, by: User, upload: UploadedFile, job_id: uuid.UUID, dry_run: bool, language: str
) -> ImportJob:
    if not scope_for(by).can_import:
        raise PermissionDenied(_("You may not import data."))
    job = ImportJob(
        id=job_id,
        created_by=by,
        original_name=(upload.name or "")[-200:],  # an upload always has a name
        dry_run=dry_run,
        language=language,
    )
    # The file goes to the private storage (outside any web root) under the job's id.
    job.file.save(upload.name, upload, save=False)
    job.save()
    audit.record("create", job, after={"file": job.original_name, "dry_run": job.dry_run})
    return job


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
    summary: dict[str, dict[str, int]] = {}
    with translation.override(job.language):
        try:
            errors, summary = _run(job, job.created_by, progress)
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


def _run(
    job: ImportJob, user: User, progress: CacheProgress
) -> tuple[list[RowError], dict[str, dict[str, int]]]:
    if not scope_for(user).can_import:
        return [RowError("", None, "", _("You may no longer import data."))], {}
    with job.file.open("rb") as handle:
        data = handle.read()
    try:
        dataset = tabular.read_file(job.original_name, data, progress=progress)
    except TabularError as exc:
        return exc.errors, {}
    with audit.door(Channel.IMPORT, user, label=f"import {job.original_name}"[:150]):
        outcome = apply_rows(
            rows=dataset.rows,
            by=user,
            dry_run=job.dry_run or bool(dataset.errors),
            progress=progress,
            note=f"import {job.original_name}",
        )
    errors = sorted(dataset.errors + outcome.errors, key=error_order)
    return errors, outcome.summary()


def job_counts(job: ImportJob) -> list[SheetCount]:
    """The job's counts per sheet, for its page."""
    return count_rows(job.summary, SHEETS)


# --- Console commands -----------------------------------------------------------------------------


class DatasetCommand(commands.TabularCommand):
    """``kinerja <dataset> import|export FILE``: the base of the employees, units, positions
    and agencies commands.

    ``dataset`` is the sheet key a CSV holds; ``whole_workbook`` makes an XLSX mean every
    sheet (the employees command) instead of just the dataset's sheet.
    """

    dataset = "employees"
    whole_workbook = False

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        commands.add_progress_argument(parser)

    def export(self, path: Path, options: dict[str, Any]) -> None:
        codes = export_agency_codes(self.by, options["agency"])
        try:
            kind = tabular.file_kind(path.name)
        except TabularError as exc:
            raise CommandError(str(exc.errors[0].message)) from None
        tables = tabular.state_tables(load_state(codes))
        if kind == "csv":
            keys = [self.dataset]
            data = tabular.write_csv(self.dataset, tables[self.dataset])
        else:
            keys = ORDER if self.whole_workbook else [self.dataset]
            data = tabular.write_xlsx({key: tables[key] for key in keys})
        commands.write_path(path, data)
        self.wrote(path, [(SHEETS[key].title, len(tables[key])) for key in keys])

    def import_(self, path: Path, options: dict[str, Any]) -> None:
        data = commands.read_path(path)
        # The console itself, under the command's OutputWrapper (which ends every write with a
        # line break, as a progress bar must not): django-stubs does not declare ``_out``.
        stream = cast(IO[str], self.stderr._out)
        bar = commands.TqdmProgress(stream, enabled=options["progress"] or commands.isatty(stream))
        try:
            try:
                dataset = tabular.read_file(
                    path.name, data, expect=self.dataset, only=not self.whole_workbook, progress=bar
                )
            except TabularError as exc:
                self.fail(exc.errors)
            with self.import_door(path):
                outcome = apply_rows(
                    rows=dataset.rows,
                    by=self.by,
                    dry_run=options["dry_run"] or bool(dataset.errors),
                    progress=bar,
                    note=f"import {path.name}",
                )
        finally:
            bar.close()
        errors = sorted(dataset.errors + outcome.errors, key=error_order)
        if errors:
            self.fail(errors)
        self.report(outcome)

    def report(self, outcome: Outcome, *, limit: int = 200) -> None:
        self.report_counts(outcome.count_rows(SHEETS))
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
