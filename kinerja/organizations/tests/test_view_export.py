"""Exports of the organisation from the web: formats, scope, and a round trip that changes
nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.core.models import AuditRecord
from kinerja.organizations import tabular
from kinerja.organizations.models import Employee, ImportJob, ImportStatus

XLSX = reverse("organizations:export", args=["xlsx"])
CSV = reverse("organizations:export", args=["csv"])
DUKCAPIL_NIPS = {"other_head", "outsider"}


def agencies_in(rows) -> set[str]:
    return {r.values["kode"] for r in rows["agencies"]}


@pytest.mark.parametrize(
    ("persona", "agencies", "employees"),
    [
        ("admin", {"DINKES", "DUKCAPIL"}, 8),
        ("auditor", {"DINKES", "DUKCAPIL"}, 8),
        ("pengelola", {"DINKES"}, 6),
        ("head", {"DINKES"}, 6),
    ],
)
def test_the_workbook_export_holds_what_the_viewer_may_see(
    cast, client_for, persona, agencies, employees
):
    response = client_for(cast.users[persona]).get(XLSX)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="kinerja-organisasi-')
    assert response["Cache-Control"] == "no-store"
    rows = tabular.read_xlsx(response.content).rows
    assert agencies_in(rows) == agencies
    assert len(rows["employees"]) == employees
    if persona in {"pengelola", "head"}:
        hidden = {cast.employees[key].nip for key in DUKCAPIL_NIPS}
        assert not hidden & {r.values["nip"] for r in rows["employees"]}
        assert {r.values["kode"] for r in rows["units"]} == {
            "DINKES",
            "DINKES-YANKES",
            "DINKES-PKM-PLAJU",
        }


@pytest.mark.parametrize(
    "persona", ["employee", "colleague", "rater", "rater_superior", "outsider"]
)
@pytest.mark.parametrize("url", [XLSX, CSV])
def test_people_without_a_whole_agency_may_not_export(cast, client_for, persona, url):
    assert client_for(cast.users[persona]).get(url).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(db, client):
    assert client.get(XLSX).status_code == 302


@pytest.mark.parametrize(
    ("data", "key", "count"),
    [
        ("", "employees", 6),
        ("employees", "employees", 6),
        ("units", "units", 3),
        ("positions", "positions", 5),
        ("agencies", "agencies", 1),
    ],
)
def test_the_csv_export_holds_one_dataset(cast, client_for, data, key, count):
    response = client_for(cast.pengelola).get(CSV, {"data": data} if data else {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = tabular.read_csv(response.content).rows
    assert set(rows) == {key}
    assert len(rows[key]) == count


@pytest.mark.parametrize(
    "url", [reverse("organizations:export", args=["pdf"]), CSV + "?data=users"]
)
def test_an_unknown_format_or_dataset_is_not_found(cast, client_for, url):
    assert client_for(cast.admin).get(url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "url", "name"),
    [
        ("admin", XLSX, "a.xlsx"),
        ("admin", CSV, "a.csv"),
        ("pengelola", XLSX, "a.xlsx"),
        ("pengelola", CSV, "a.csv"),
    ],
)
def test_an_export_uploaded_again_changes_nothing(
    cast, client_for, settings, tmp_path, persona, url, name
):
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        }
    }
    client = client_for(cast.users[persona])
    exported = client.get(url).content
    records = AuditRecord.objects.count()
    stamps = dict(Employee.objects.values_list("nip", "updated_at"))
    client.post(reverse("organizations:import"), {"file": SimpleUploadedFile(name, exported)})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert all(c["created"] == 0 and c["updated"] == 0 for c in job.summary.values())
    assert job.summary["employees"]["unchanged"] == (8 if persona == "admin" else 6)
    # Only the job's own record (the upload); nothing it read changed anything.
    assert AuditRecord.objects.count() == records + 1
    assert AuditRecord.objects.latest("seq").object_type == "organizations.importjob"
    assert dict(Employee.objects.values_list("nip", "updated_at")) == stamps


def test_the_export_makes_a_bounded_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast.admin)
    with django_assert_max_num_queries(12):
        client.get(XLSX)
