"""``import_job_start``: an uploaded file becomes an import job of its uploader, recorded in the
audit trail, and runs; someone who may not import is refused before anything is kept."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.core import audit
from kinerja.core.models import AuditRecord, Channel
from kinerja.organizations.imports import import_job_start
from kinerja.organizations.models import Employee, ImportJob, ImportStatus
from kinerja.organizations.tests.support import HEADER
from kinerja.testing.factories import make_nip


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        }
    }


def upload(nip: str, position: str = "DINKES-PKM-PLAJU-PERAWAT") -> SimpleUploadedFile:
    text = HEADER + f"{nip},Pegawai Baru,PNS,III/a,{position}\n"
    return SimpleUploadedFile("pegawai.csv", text.encode(), content_type="text/csv")


def start(by, file: SimpleUploadedFile, **options) -> ImportJob:
    with audit.door(Channel.WEB, by):
        job = import_job_start(
            by=by,
            upload=file,
            job_id=uuid.uuid4(),
            dry_run=options.get("dry_run", False),
            language="id",
        )
    job.refresh_from_db()  # the task ran it (the inline backend) on its own copy
    return job


def test_a_pengelola_starts_a_job_which_is_recorded_and_runs(cast):
    job = start(cast.pengelola, upload(make_nip(1)))
    assert (job.created_by, job.status) == (cast.pengelola, ImportStatus.SUCCEEDED)
    record = AuditRecord.objects.get(object_type="organizations.importjob")
    assert (record.action, record.object_id, record.actor) == (
        "create",
        str(job.pk),
        cast.pengelola,
    )
    assert record.after == {"file": "pegawai.csv", "dry_run": False}
    assert Employee.objects.filter(nip=make_nip(1)).exists()


def test_the_job_changes_only_what_its_uploader_may_change(cast):
    job = start(cast.pengelola, upload(make_nip(1), position="DUKCAPIL-OPERATOR"))
    assert job.status == ImportStatus.FAILED
    assert [(e["sheet"], e["row"], e["column"]) for e in job.errors] == [("Pegawai", 2, "nip")]
    assert not Employee.objects.filter(nip=make_nip(1)).exists()


@pytest.mark.parametrize("persona", ["employee", "rater", "head", "auditor", "outsider"])
def test_someone_who_may_not_import_is_refused_and_nothing_is_kept(cast, persona):
    records = AuditRecord.objects.count()
    with pytest.raises(PermissionDenied):
        start(cast.users[persona], upload(make_nip(1)))
    assert not ImportJob.objects.exists()
    assert AuditRecord.objects.count() == records
