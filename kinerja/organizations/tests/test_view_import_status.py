"""``organizations:import_status``: the status of an import job in JSON, its progress while it
runs, and 404 for a job not uploaded yet or someone else's."""

from __future__ import annotations

import uuid

from django.urls import reverse

from kinerja.organizations.imports import progress_get
from kinerja.organizations.models import ImportJob, ImportStatus


def test_the_status_answers_in_json(cast, client, job):
    client.force_login(cast.pengelola, backend="kinerja.accounts.backends.NipOrUsernameBackend")
    response = client.get(reverse("organizations:import_status", args=[job.pk]))
    assert response.status_code == 200
    assert response.json() == {
        "status": "succeeded",
        "phase": "done",
        "done": 1,
        "total": 1,
        "finished": True,
        "summary": {"employees": {"created": 2, "updated": 0, "unchanged": 0}},
        "error_count": 0,
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_status_of_a_job_still_uploading_is_not_found_yet(cast, client_for):
    response = client_for(cast.pengelola).get(
        reverse("organizations:import_status", args=[uuid.uuid4()])
    )
    assert response.status_code == 404


def test_a_running_job_shows_its_progress(cast, client_for, job):
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    from kinerja.organizations.imports import CacheProgress

    CacheProgress(job.pk)("validate", 500, 2000)
    client = client_for(cast.pengelola)
    data = client.get(reverse("organizations:import_status", args=[job.pk])).json()
    assert (data["status"], data["phase"], data["done"], data["total"], data["finished"]) == (
        "running",
        "validate",
        500,
        2000,
        False,
    )
    html = client.get(reverse("organizations:import_job", args=[job.pk])).content.decode()
    assert 'max="2000" value="500"' in html
    assert "data-import-job" in html


def test_progress_is_left_in_the_cache_when_the_job_ends(job):
    assert progress_get(job.pk)["phase"] == "done"
