"""``organizations:import``: who may import, running an import (CSV or workbook, dry run), the
form refusing bad uploads before storing anything, and the job id chosen by the page."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kinerja.core.models import AuditRecord, Channel
from kinerja.organizations import tabular
from kinerja.organizations.models import Employee, ImportJob, ImportStatus
from kinerja.organizations.tests.support import HEADER, IMPORT, csv_upload, new_row
from kinerja.testing.factories import make_nip

REFUSED = [
    "employee",
    "colleague",
    "rater",
    "rater_superior",
    "head",
    "auditor",
    "outsider",
    "other_head",
]


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def job_record(job: ImportJob) -> AuditRecord:
    """The audit record of the upload that started ``job``."""
    return AuditRecord.objects.get(object_type="organizations.importjob", object_id=str(job.pk))


# --- Who may import ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", REFUSED)
def test_only_importers_see_the_import_page(cast, client_for, persona):
    assert client_for(cast.users[persona]).get(IMPORT).status_code == 403


@pytest.mark.parametrize("persona", REFUSED)
def test_a_refused_upload_stores_nothing(cast, client_for, storage, persona):
    response = client_for(cast.users[persona]).post(
        IMPORT, {"file": csv_upload(HEADER + new_row(1))}
    )
    assert response.status_code == 403
    assert not ImportJob.objects.exists()
    assert stored_files(storage) == []
    assert not Employee.objects.filter(nip=make_nip(1)).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(db, client):
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["pengelola", "admin"])
def test_importers_see_the_form_with_help_and_downloads(cast, client_for, persona):
    response = client_for(cast.users[persona]).get(IMPORT)
    assert response.status_code == 200
    html = response.content.decode()
    for marker in (
        'name="file"',
        'name="dry_run"',
        'name="job_id"',
        'id="template-link"',
        'id="export-xlsx-link"',
    ):
        assert marker in html
    for column in ("nip", "kode_jabatan", "kode_instansi", "kode_atasan", "198503122010012002"):
        assert column in html


def test_the_auditor_may_not_import():
    from kinerja.organizations.scope import Scope

    assert Scope(region_read=True).can_import is False


# --- Running an import ---------------------------------------------------------------------------


def test_a_performance_administrator_imports_their_own_agency(cast, client_for, storage):
    client = client_for(cast.pengelola)
    employee = cast.employees["employee"]
    text = HEADER + new_row(1) + f"{employee.nip},Siti Aminah,PNS,III/b,DINKES-PKM-PLAJU-PERAWAT\n"
    response = client.post(IMPORT, {"file": csv_upload(text)})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:import_job", args=[job.pk])
    assert job.status == ImportStatus.SUCCEEDED
    assert job.summary == {"employees": {"created": 1, "updated": 1, "unchanged": 0}}
    assert job.errors == []
    assert Employee.objects.get(nip=make_nip(1)).unit.code == "DINKES-PKM-PLAJU"
    record = AuditRecord.objects.get(object_id=make_nip(1))
    assert (record.channel, record.actor) == (Channel.IMPORT, cast.pengelola)
    # The upload is deleted once the job has finished; the job stays.
    assert stored_files(storage) == []
    assert not job.file
    assert job.original_name == "pegawai.csv"


def test_a_performance_administrator_is_refused_another_agencys_rows(cast, client_for, storage):
    client = client_for(cast.pengelola)
    outsider = cast.employees["outsider"]
    text = HEADER + new_row(1) + f"{outsider.nip},Andi,PNS,III/a,DUKCAPIL-OPERATOR\n"
    client.post(IMPORT, {"file": csv_upload(text)})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert [(e["sheet"], e["row"], e["column"]) for e in job.errors] == [("Pegawai", 3, "nip")]
    assert not Employee.objects.filter(nip=make_nip(1)).exists()
    assert Employee.objects.get(pk=outsider.pk).name == outsider.name
    page = client.get(reverse("organizations:import_job", args=[job.pk]))
    assert page.status_code == 200
    assert page.content.decode().count('class="import-error"') == 1


def test_a_workbook_is_imported_by_a_regional_administrator(cast, client_for, storage):
    tables = {
        "agencies": [
            {"kode": "BAPPEDA", "nama": "Bappeda", "jenis": "badan", "kode_jabatan_pimpinan": ""}
        ]
    }
    upload = SimpleUploadedFile("instansi.xlsx", tabular.write_xlsx(tables))
    client_for(cast.admin).post(IMPORT, {"file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.summary == {"agencies": {"created": 1, "updated": 0, "unchanged": 0}}


def test_a_dry_run_checks_and_stores_nothing(cast, client_for, storage):
    records = AuditRecord.objects.count()
    client_for(cast.admin).post(IMPORT, {"file": csv_upload(HEADER + new_row(1)), "dry_run": "on"})
    job = ImportJob.objects.get()
    assert job.dry_run and job.status == ImportStatus.SUCCEEDED
    assert job.summary == {"employees": {"created": 1, "updated": 0, "unchanged": 0}}
    assert not Employee.objects.filter(nip=make_nip(1)).exists()
    assert AuditRecord.objects.count() == records + 1  # the job's own record: the upload
    assert job_record(job)


def test_a_file_with_a_bad_nip_names_the_row_and_stores_nothing(cast, client_for, storage):
    client = client_for(cast.admin)
    text = HEADER + new_row(1) + "198503122010011000,Salah,PNS,III/a,DINKES-PKM-PLAJU-PERAWAT\n"
    client.post(IMPORT, {"file": csv_upload(text)})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert [(e["sheet"], e["row"], e["column"]) for e in job.errors] == [("Pegawai", 3, "nip")]
    assert not Employee.objects.filter(nip=make_nip(1)).exists()


def test_a_file_that_cannot_be_read_fails_with_its_reason(cast, client_for, storage):
    client_for(cast.admin).post(IMPORT, {"file": csv_upload("nip,nama,warna\n1,2,3\n")})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.errors and job.errors[0]["row"] == 1


def test_the_template_uploaded_unchanged_imports_nothing(cast, client_for, storage):
    client = client_for(cast.admin)
    template = client.get(reverse("organizations:import_template")).content
    records = AuditRecord.objects.count()
    client.post(IMPORT, {"file": SimpleUploadedFile("templat.xlsx", template)})
    job = ImportJob.objects.get()
    assert (job.status, job.summary, job.errors) == (ImportStatus.SUCCEEDED, {}, [])
    assert AuditRecord.objects.count() == records + 1  # the job's own record: the upload
    assert job_record(job)
    page = client.get(reverse("organizations:import_job", args=[job.pk])).content.decode()
    assert 'id="job-result"' in page and 'id="job-counts"' not in page


# --- The form refuses bad uploads before storing anything ----------------------------------------


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("pegawai.txt", b"nip,nama,status\n"),
        SimpleUploadedFile("pegawai.xlsx", b"nip,nama,status\n"),
        SimpleUploadedFile("pegawai.xls", b"\xd0\xcf\x11\xe0"),
        SimpleUploadedFile("pegawai.csv", "nip,nama,status\nDésiré\n".encode("cp1252")),
        SimpleUploadedFile("pegawai.csv", b""),
    ],
    ids=["txt", "renamed-csv", "xls", "not-utf8", "empty"],
)
def test_a_file_of_the_wrong_type_is_refused_with_a_form_error(cast, client_for, storage, upload):
    response = client_for(cast.admin).post(IMPORT, {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()
    assert stored_files(storage) == []


def test_a_file_over_the_size_limit_is_refused_with_a_form_error(
    cast, client_for, storage, settings
):
    settings.KINERJA_MAX_UPLOAD_MB = 1
    big = HEADER + new_row(1) * (1024 * 1024 // len(new_row(1)) + 10)
    response = client_for(cast.admin).post(IMPORT, {"file": csv_upload(big)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()
    assert stored_files(storage) == []


def test_no_file_is_a_form_error(cast, client_for, storage):
    response = client_for(cast.admin).post(IMPORT, {})
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_the_form_needs_its_csrf_token(cast, storage):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin, backend="kinerja.accounts.backends.NipOrUsernameBackend")
    response = client.post(IMPORT, {"file": csv_upload(HEADER + new_row(1))})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()
    page = client.get(IMPORT)
    token = page.cookies["csrftoken"].value
    response = client.post(
        IMPORT, {"file": csv_upload(HEADER + new_row(1)), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


# --- The job id chosen by the page ---------------------------------------------------------------


def test_the_page_may_choose_the_job_id_and_follows_it_as_json(cast, client_for, storage):
    job_id = uuid.uuid4()
    response = client_for(cast.admin).post(
        IMPORT,
        {"file": csv_upload(HEADER + new_row(1)), "job_id": str(job_id)},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "url": reverse("organizations:import_job", args=[job_id]),
        "id": str(job_id),
    }
    assert ImportJob.objects.get().pk == job_id


def test_a_job_id_that_exists_is_refused(cast, client_for, storage):
    client = client_for(cast.admin)
    job_id = str(uuid.uuid4())
    client.post(IMPORT, {"file": csv_upload(HEADER + new_row(1)), "job_id": job_id})
    response = client.post(
        IMPORT,
        {"file": csv_upload(HEADER + new_row(2)), "job_id": job_id},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "job_id" in response.json()["errors"]
    assert ImportJob.objects.count() == 1
    assert not Employee.objects.filter(nip=make_nip(2)).exists()


@pytest.mark.parametrize("job_id", ["", "not-a-uuid", "123"])
def test_the_server_makes_the_job_id_when_none_or_a_bad_one_is_given(
    cast, client_for, storage, job_id
):
    client_for(cast.admin).post(IMPORT, {"file": csv_upload(HEADER + new_row(1)), "job_id": job_id})
    assert ImportJob.objects.get().pk.version == 4


def test_form_errors_come_as_json_to_the_page_script(cast, client_for, storage):
    response = client_for(cast.admin).post(
        IMPORT, {"file": SimpleUploadedFile("a.txt", b"x")}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["file"][0]["message"]
